/**
 * The review derives exactly what the synthesis derived (same context, escape
 * hatch included), reports no permission missing that the policy grants, and
 * prints ARNs with readable placeholders. The workflow is a test fixture that
 * touches DynamoDB, SNS, SQS, EventBridge, a nested startExecution.sync:2, a
 * .waitForTaskToken callback, a distributed Map with ItemReader and
 * ResultWriter, and an integration granted through extraStatements.
 */
import { toPolicyStatements, type ExtraStatement, type PermissionRow } from "../../src/asl/iam";
import { toMarkdown } from "../../src/review/document";
import { readableArn } from "../../src/review/derivation";
import { buildReview } from "../../src/review/report";
import { ENGINE_ANALYSERS } from "../../src/review/run";
import { synthFromJson } from "../../src/review/synth";
import { diffSynth } from "../../src/review/synth-diff";
import { reviewWorkflows, type WorkflowAnalysers } from "../../src/review/workflows";
import { getWorkflow } from "../../src/catalogue";
import type { WorkflowSpec } from "../../workflows/catalogue";
import { policyDocumentOf, stageConfig, synthStage, type Tf } from "../modules/helpers";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec: WorkflowSpec = {
  name: "shop-order",
  template: "__tests__/review/fixtures/workflows/shop-order.asl.json.hbs",
  type: "STANDARD",
  description: "Test fixture: every kind of integration the review must agree on.",
  triggers: [],
};
const TRAIN = "arn:aws:states:::sagemaker:createTrainingJob.sync";
const extra: ExtraStatement[] = [
  { covers: [TRAIN], actions: ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"], resources: ["arn:aws:sagemaker:us-east-1:123456789012:training-job/*"], reason: "train the model" },
];
/** The stack as written to cdk.tf.json, "//" comments included (cdktf's Testing.synth drops them). */
const fullSynth = (stack: { toTerraform(): unknown }): Tf => JSON.parse(JSON.stringify(stack.toTerraform())) as Tf;
const analysers: WorkflowAnalysers = { ...ENGINE_ANALYSERS, catalogue: [spec] };

let tf: Tf;
beforeAll(() => {
  tf = fullSynth(synthStage({ workflows: [spec], extraStatements: { [spec.name]: extra } }).stack);
}, 60_000);

function policyStatements(json: Tf): Array<{ sid: string; actions: string[]; resources: string[]; conditions?: unknown }> {
  const policy = Object.values(json.resource.aws_iam_policy).find((p: Any) => p.name === "my-app-dev-shop-order-sfn") as Any;
  return policyDocumentOf(json, policy.policy).statement.map((s: Any) => ({ sid: s.sid, actions: s.actions, resources: s.resources, ...(s.condition ? { conditions: s.condition } : {}) }));
}

test("the review's derivation is the synthesis's: the role's derived statements, exactly", () => {
  const synth = synthFromJson(tf, "test/cdk.tf.json", "my-app-dev");
  const machine = [...synth.blocks.values()].find((b) => b.type === "aws_sfn_state_machine");
  const [w] = reviewWorkflows(synth, analysers);
  expect(w.problems).toEqual([]);
  const derived = ENGINE_ANALYSERS.derive?.(w.definition as Any, { workflow: spec.name, file: spec.template, synth, machine: machine as never }) as PermissionRow[];
  const fixed = new Set(["CloudWatchLogsDelivery", "XRayTracing", "UseStageKey"]);
  expect(toPolicyStatements(derived)).toEqual(policyStatements(tf).filter((s) => !fixed.has(s.sid)));
  // The HTTP Task's conditions reach the role.
  expect(policyStatements(tf).find((s) => s.actions.includes("states:InvokeHTTPEndpoint"))).toEqual({
    sid: "StatesInvokeHTTPEndpoint",
    actions: ["states:InvokeHTTPEndpoint"],
    resources: ["arn:${data.aws_partition.current.partition}:states:us-east-1:${data.aws_caller_identity.current.account_id}:stateMachine:my-app-dev-shop-order"],
    conditions: [
      { test: "StringEquals", variable: "states:HTTPMethod", values: ["POST"] },
      { test: "StringLike", variable: "states:HTTPEndpoint", values: ["https://carrier.example.com/bookings"] },
    ],
  });
  // The escape hatch's statement is part of both.
  expect(derived.find((r) => r.integration === "extraStatements")).toMatchObject({ statePath: "States.Train", reason: "train the model" });
});

test("no permission is reported missing, and nothing failed to derive", () => {
  const synth = synthFromJson(tf, "test/cdk.tf.json", "my-app-dev");
  const [w] = reviewWorkflows(synth, analysers);
  expect(w.missing).toEqual([]);
  expect(w.problems).toEqual([]);
  const md = toMarkdown(buildReview({ stage: "dev", synth, synthLabel: "x", analysers }).blocks);
  expect(md).not.toContain("Missing permissions");
  expect(md).not.toContain("deriving the permissions");
});

test("a grant the policy lacks is still reported missing, with a readable ARN", () => {
  const json = JSON.parse(JSON.stringify(tf)) as Tf;
  const policy = Object.values(json.resource.aws_iam_policy).find((p: Any) => p.name === "my-app-dev-shop-order-sfn") as Any;
  const doc = policyDocumentOf(json, policy.policy);
  doc.statement = doc.statement.filter((s: Any) => !(s.actions as string[]).includes("dynamodb:PutItem"));
  const synth = synthFromJson(json, "test/cdk.tf.json", "my-app-dev");
  const [w] = reviewWorkflows(synth, analysers);
  expect(w.missing.map((m) => [m.statePath, m.actions, m.resources.map((r) => readableArn(synth, r))])).toEqual([
    ["States.SaveOrder", ["dynamodb:PutItem"], ["arn:aws:dynamodb:us-east-1:<account>:table/my-app-dev-orders"]],
  ]);
  const md = toMarkdown(buildReview({ stage: "dev", synth, synthLabel: "x", analysers }).blocks);
  expect(md).toContain("`dynamodb:PutItem` on `arn:aws:dynamodb:us-east-1:<account>:table/my-app-dev-orders` for States.SaveOrder");
});

test("IAM cells show readable placeholders, not Terraform interpolations", () => {
  const synth = synthFromJson(tf, "test/cdk.tf.json", "my-app-dev");
  const md = toMarkdown(buildReview({ stage: "dev", synth, synthLabel: "x", analysers }).blocks);
  const iamTable = md.slice(md.indexOf("IAM permissions of the state machine role"), md.indexOf("#### Alarms"));
  expect(iamTable).toContain("`arn:aws:dynamodb:us-east-1:<account>:table/my-app-dev-orders`");
  expect(iamTable).toContain("`arn:aws:states:us-east-1:<account>:execution:my-app-dev-shop-order/*`");
  expect(iamTable).toContain("`arn:aws:s3:::my-app-dev-exports/results/*`");
  expect(iamTable).toContain("`arn:aws:lambda:us-east-1:<account>:function:my-app-dev-process-item`");
  expect(iamTable).toContain(
    "`arn:aws:states:us-east-1:<account>:stateMachine:my-app-dev-shop-order` when `StringEquals states:HTTPMethod = POST`, `StringLike states:HTTPEndpoint = https://carrier.example.com/bookings`",
  );
  expect(iamTable).not.toContain("${");
});

test("a synthesis without the recorded derivation (an older base) is derived from the stack's own references", () => {
  const plain: WorkflowSpec = { ...spec, name: "map", template: "workflows/map.asl.json.hbs" };
  const json = fullSynth(synthStage({ workflows: [plain] }).stack);
  for (const machine of Object.values(json.resource.aws_sfn_state_machine) as Any[]) delete machine["//"];
  const synth = synthFromJson(json, "test/cdk.tf.json", "my-app-dev");
  const [w] = reviewWorkflows(synth, { ...ENGINE_ANALYSERS, catalogue: [plain] });
  expect(w.problems).toEqual([]);
  expect(w.missing).toEqual([]);
});

test("readable ARNs: partition from the region, account as <account>, unknown references named", () => {
  const synth = synthFromJson({ provider: { aws: [{ region: "cn-north-1" }] }, data: { aws_partition: { p: {} } } }, "x", "s");
  expect(readableArn(synth, "arn:${data.aws_partition.p.partition}:sqs:cn-north-1:${data.aws_caller_identity.i.account_id}:q")).toBe("arn:aws-cn:sqs:cn-north-1:<account>:q");
  expect(readableArn(synth, "${aws_kms_key.k.arn}")).toBe("<aws_kms_key.k.arn>");
});

test("readable ARNs: a name built from references is resolved in turn; a given account replaces <account>", () => {
  const synth = synthFromJson(
    { resource: { aws_s3_bucket: { receipts: { bucket: "shop-dev-receipts-${data.aws_caller_identity.current.account_id}" } }, aws_sqs_queue: { a: { name: "${aws_sqs_queue.a.name}" } } } },
    "x",
    "s",
  );
  expect(readableArn(synth, "${aws_s3_bucket.receipts.bucket}")).toBe("shop-dev-receipts-<account>");
  expect(readableArn(synth, "${aws_s3_bucket.receipts.arn}/r/*", "123456789012")).toBe("arn:aws:s3:::shop-dev-receipts-123456789012/r/*");
  // A reference loop ends, the name left unknown, instead of recursing forever.
  expect(readableArn(synth, "${aws_sqs_queue.a.arn}")).toBe("arn:aws:sqs:<region>:<account>:<aws_sqs_queue.a.name>");
});

test("IAM changes against a base show readable ARNs too", () => {
  const before = JSON.parse(JSON.stringify(tf)) as Tf;
  const policy = Object.values(before.resource.aws_iam_policy).find((p: Any) => p.name === "my-app-dev-shop-order-sfn") as Any;
  const doc = policyDocumentOf(before, policy.policy);
  doc.statement = doc.statement.filter((s: Any) => !(s.actions as string[]).includes("dynamodb:PutItem"));
  const base = synthFromJson(before, "base/cdk.tf.json", "my-app-dev");
  const synth = synthFromJson(tf, "test/cdk.tf.json", "my-app-dev");
  const md = toMarkdown(buildReview({ stage: "dev", synth, synthLabel: "x", analysers, base: { label: "main", diff: diffSynth(base, synth) } }).blocks);
  expect(md).toContain("+ `DynamodbPutItem: Allow dynamodb:PutItem on arn:aws:dynamodb:us-east-1:<account>:table/my-app-dev-orders`");
});

test("a derivation built without the stack's references (arn:aws:...:*:*:) still matches the policy's exact ARNs", () => {
  const synth = synthFromJson(tf, "test/cdk.tf.json", "my-app-dev");
  const [w] = reviewWorkflows(synth, {
    catalogue: [spec],
    derive: () => [
      { actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:*:*:table/my-app-dev-orders"], statePath: "States.GetOrder", reason: "r" },
      { actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:*:*:table/my-app-dev-other"], statePath: "States.Other", reason: "r" },
    ],
  });
  expect(w.missing.map((m) => m.statePath)).toEqual(["States.Other"]);
});

describe("existing declared resources with their own customer-managed keys (RESOURCE_<NAME>_KMS_KEY_ARN)", () => {
  const tableKey = "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111";
  const topicKey = "arn:aws:kms:us-east-1:111122223333:key/22222222-2222-4222-8222-222222222222";
  const env = {
    RESOURCE_ORDERS_ARN: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders",
    RESOURCE_ORDERS_KMS_KEY_ARN: tableKey,
    RESOURCE_ORDER_EVENTS_ARN: "arn:aws:sns:us-east-1:111122223333:legacy-order-events",
    RESOURCE_ORDER_EVENTS_KMS_KEY_ARN: topicKey,
  };
  const catalogue = [getWorkflow("order-processing"), getWorkflow("order-fulfilment")];
  let json: Tf;
  beforeAll(() => {
    json = fullSynth(synthStage({ workflows: catalogue, config: stageConfig(env) }).stack);
  }, 60_000);

  test("the review derives the same KMS grants the policy holds, and reports none missing", () => {
    const synth = synthFromJson(json, "test/cdk.tf.json", "my-app-dev");
    const reviews = reviewWorkflows(synth, { ...ENGINE_ANALYSERS, catalogue });
    const fulfilment = reviews.find((w) => w.workflow === "order-fulfilment");
    expect(fulfilment?.problems).toEqual([]);
    expect(fulfilment?.missing).toEqual([]);
    const machine = [...synth.blocks.values()].find((b) => b.type === "aws_sfn_state_machine" && b.body.name === "my-app-dev-order-fulfilment");
    const derived = ENGINE_ANALYSERS.derive?.(fulfilment?.definition as Any, { workflow: "order-fulfilment", file: "workflows/order-fulfilment.asl.json.hbs", synth, machine: machine as never }) as PermissionRow[];
    const kmsRows = derived.filter((r) => r.actions.some((a) => a.startsWith("kms:"))).map((r) => [r.statePath, r.actions, r.resources]);
    expect(kmsRows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["States.AnnounceOrder", ["kms:Decrypt", "kms:GenerateDataKey"], [topicKey]],
      ["States.RecordOrder", ["kms:Decrypt"], [tableKey]],
      // The receipts bucket is still created here, under the stage key.
      ["States.StoreReceipt", ["kms:GenerateDataKey"], ["${aws_kms_key.stage.arn}"]],
    ]);
    const policy = Object.values(json.resource.aws_iam_policy).find((p: Any) => p.name === "my-app-dev-order-fulfilment-sfn") as Any;
    const statements = policyDocumentOf(json, policy.policy).statement.filter((s: Any) => s.sid !== "UseStageKey" && (s.actions as string[]).some((a) => a.startsWith("kms:")));
    expect(toPolicyStatements(derived).filter((s) => s.actions.some((a) => a.startsWith("kms:")))).toEqual(statements.map((s: Any) => ({ sid: s.sid, actions: s.actions, resources: s.resources })));
  });

  test("fail: with the topic key's grant removed from the policy, the review reports it missing", () => {
    const broken = JSON.parse(JSON.stringify(json)) as Tf;
    const policy = Object.values(broken.resource.aws_iam_policy).find((p: Any) => p.name === "my-app-dev-order-fulfilment-sfn") as Any;
    const doc = policyDocumentOf(broken, policy.policy);
    doc.statement = doc.statement.filter((s: Any) => !(s.resources as string[]).includes(topicKey));
    const synth = synthFromJson(broken, "test/cdk.tf.json", "my-app-dev");
    const fulfilment = reviewWorkflows(synth, { ...ENGINE_ANALYSERS, catalogue }).find((w) => w.workflow === "order-fulfilment");
    expect(fulfilment?.missing.map((m) => [m.statePath, m.actions, m.resources])).toEqual([["States.AnnounceOrder", ["kms:Decrypt", "kms:GenerateDataKey"], [topicKey]]]);
  });
});
