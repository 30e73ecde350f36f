import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { AddressError } from "../../src/errors";
import { WORKFLOWS } from "../../workflows/catalogue";
import { MOVED_FILE, address, checkAddresses, movedBlocks, movedTf, snake } from "../../modules/addresses";
import { EncryptedQueue } from "../../modules/encrypted-queue";
import { EventBridgeTrigger } from "../../modules/eventbridge-trigger";
import { QueueDepthAlarm } from "../../modules/queue-depth-alarm";
import { StageStack } from "../../modules/stage-stack";
import { StateBootstrapStack } from "../../modules/state-bootstrap-stack";
import { WorkflowAlarms } from "../../modules/workflow-alarms";
import { WorkflowStateMachine } from "../../modules/workflow-state-machine";
import { stageConfig, synthStage, type Tf } from "./helpers";

// cdktf's own naming (TerraformStack.allocateLogicalId): what every address was before they were chosen explicitly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeUniqueId } = require("cdktf/lib/private/unique") as { makeUniqueId: (components: string[]) => string };

type Synthesized = Tf & { moved?: unknown };

const HASH_SUFFIX = /_[0-9A-F]{8}$/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

const FIXTURE = JSON.parse(readFileSync(join(__dirname, "fixtures", "addresses-a6466f8.json"), "utf8")) as {
  stacks: Record<string, { resource: string[]; data: string[] }>;
};

function bootstrapStack(): StateBootstrapStack {
  const config = stageConfig();
  return new StateBootstrapStack(Testing.app(), "my-app-state-bootstrap", {
    projectName: config.projectName,
    owner: config.owner,
    region: config.region,
    bucketName: "my-app-tf-state",
    statePath: "terraform.my-app-state-bootstrap.tfstate",
  });
}

function synthesized(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** Every `type.name` (resources) and `data.type.name` (data sources) of a synthesized stack. */
function addresses(tf: Tf): { resource: string[]; data: string[] } {
  const list = (group: Tf["resource"] | undefined, prefix: string) =>
    Object.entries(group ?? {})
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`))
      .sort();
  return { resource: list(tf.resource, ""), data: list(tf.data, "data.") };
}

/** The stacks the fixture was taken from, synthesized as they are now. */
const STACKS: Record<string, () => TerraformStack> = {
  "my-app-dev": () => synthStage().stack,
  "my-app-dev (STATE_BACKEND=s3)": () => synthStage({ env: { STATE_BACKEND: "s3", STATE_BUCKET: "my-app-tf-state" } }).stack,
  "my-app-dev (ALARM_EMAIL)": () => synthStage({ env: { ALARM_EMAIL: "oncall@example.com" } }).stack,
  "my-app-state-bootstrap": bootstrapStack,
};

describe.each(Object.keys(STACKS))("%s", (name) => {
  let stack: TerraformStack;
  let tf: Synthesized;
  beforeAll(() => {
    stack = STACKS[name]();
    tf = synthesized(stack);
  });

  test("every resource and data source has a snake_case address without a hash", () => {
    const all = [...addresses(tf).resource, ...addresses(tf).data];
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((a) => HASH_SUFFIX.test(a) || !SNAKE_CASE.test(a.split(".").pop()!))).toEqual([]);
  });

  test("every address synthesized at a6466f8 has exactly one moved block, to a resource of the same type", () => {
    const old = FIXTURE.stacks[name];
    const now = addresses(tf);
    const moved = movedBlocks(stack);
    // Each old resource address is moved exactly once. (Resources added since a6466f8 get moved blocks from
    // their hashed addresses too: harmless where no state holds them, needed where a build of main was deployed.)
    const froms = moved.map((m) => m.from);
    expect(old.resource.filter((a) => froms.filter((f) => f === a).length !== 1)).toEqual([]);
    expect(new Set(froms).size).toBe(froms.length);
    // Each target exists, has the same type, and receives exactly one object.
    expect(moved.map((m) => m.to).sort()).toEqual(now.resource);
    for (const m of moved) expect(m.to.split(".")[0]).toBe(m.from.split(".")[0]);
    // Data sources hold no state (and Terraform has no moved blocks for them): none lost, none moved.
    expect(now.data.length).toBeGreaterThanOrEqual(old.data.length);
    expect(moved.filter((m) => m.from.startsWith("data.") || m.to.startsWith("data."))).toEqual([]);
  });

  test("each moved block starts from cdktf's hashed address of the same construct path", () => {
    const expected = stack.node
      .findAll()
      .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c))
      .map((r) => {
        const components = r.node.scopes.slice(r.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
        return { from: `${r.terraformResourceType}.${makeUniqueId(components)}`, to: `${r.terraformResourceType}.${r.friendlyUniqueId}` };
      })
      .sort((a, b) => a.to.localeCompare(b.to));
    expect(movedBlocks(stack)).toEqual(expected);
  });
});

describe("moved blocks on disk", () => {
  test("synthesis writes them to moved.tf beside cdk.tf.json, in HCL, and leaves cdk.tf.json without them (checkov cannot parse moved blocks in JSON)", () => {
    const outdir = mkdtempSync(join(tmpdir(), "addresses-"));
    const app = new App({ outdir, stackTraces: false });
    const stack = new StageStack(app, "my-app-dev", { config: stageConfig() });
    app.synth();
    const folder = join(outdir, "stacks", "my-app-dev");
    const json = JSON.parse(readFileSync(join(folder, "cdk.tf.json"), "utf8")) as Synthesized;
    expect(json.moved).toBeUndefined();
    const hcl = readFileSync(join(folder, MOVED_FILE), "utf8");
    expect(hcl).toBe(movedTf(movedBlocks(stack)));
    expect(hcl.match(/^moved \{$/gm)).toHaveLength(Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0));
    expect(hcl).toContain("\nmoved {\n  from = aws_sfn_state_machine.order-processing_state-machine_99488600\n  to   = aws_sfn_state_machine.order_processing\n}\n");
  });
});

describe("the default stage's addresses", () => {
  test("read as what each block is", () => {
    const { tf } = synthStage();
    const { resource, data } = addresses(tf);
    expect(resource).toEqual(
      expect.arrayContaining([
        "aws_sfn_state_machine.order_processing",
        "aws_iam_role.order_processing_execution",
        "aws_cloudwatch_log_group.order_processing_state_machine",
        "aws_lambda_function.validate_order",
        "aws_cloudwatch_log_group.validate_order",
        "aws_iam_role.validate_order",
        "aws_cloudwatch_metric_alarm.choice_executions_failed",
        "aws_kms_key.stage",
        "aws_sns_topic.alarms",
        "aws_sqs_queue.order_processing",
        "aws_sqs_queue.order_processing_dlq",
        "aws_lambda_function.order_processing_bridge",
        "aws_cloudwatch_event_rule.order_processing",
        "aws_sqs_queue.order_processing_events_dlq",
        "aws_cloudwatch_metric_alarm.functions_dlq_not_empty",
        "aws_cloudwatch_dashboard.stage",
      ]),
    );
    expect(data).toEqual(expect.arrayContaining(["data.aws_caller_identity.current", "data.aws_iam_policy_document.order_processing_execution_policy"]));
  });

  test("outputs keep their names", () => {
    const { tf } = synthStage();
    expect(Object.keys(tf.output).sort()).toEqual(
      [
        "alarm_topic_arn",
        "event_bus_name",
        "order_processing_queue_url",
        "order_processing_http_endpoint",
        ...WORKFLOWS.flatMap((w) => [`${w.name.replace(/-/g, "_")}_state_machine_arn`, `${w.name.replace(/-/g, "_")}_alias_arn`]),
      ].sort(),
    );
  });
});

describe("moving a construct does not change its addresses", () => {
  /** A workflow's state machine, alarms and EventBridge trigger, as StageStack builds them. */
  function build(scope: Construct): void {
    const common = { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", accountId: "123456789012" };
    const machine = new WorkflowStateMachine(scope, "state-machine", {
      ...common,
      address: "orders",
      name: "my-app-dev-orders",
      roleName: "my-app-dev-orders-sfn",
      type: "STANDARD",
      definitionJson: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }),
      permissions: [],
      logGroupName: "/aws/vendedlogs/states/my-app-dev-orders",
      logRetentionDays: 365,
      logExecutionData: true,
      partition: "aws",
      region: "us-east-1",
    });
    const arn = machine.stateMachine.arn;
    new WorkflowAlarms(scope, "alarms", { address: "orders", stateMachineName: "my-app-dev-orders", stateMachineArn: arn, topicArn: "arn:aws:sns:us-east-1:123456789012:t" });
    new EventBridgeTrigger(scope, "eventbridge", {
      ...common,
      address: "orders",
      ruleName: "my-app-dev-orders",
      description: "starts orders",
      eventBusName: "my-app-dev-events",
      pattern: { source: ["shop"] },
      stateMachineArn: arn,
      roleName: "my-app-dev-orders-events",
      deadLetterQueueName: "my-app-dev-orders-events-dlq",
    });
    new QueueDepthAlarm(scope, "eventbridge-dlq-alarm", { address: "orders_events_dlq", queueName: "my-app-dev-orders-events-dlq", topicArn: "t", what: "events" });
  }

  const blocks = (stack: TerraformStack) =>
    stack.node.findAll().filter((c): c is TerraformResource | TerraformDataSource => TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c));

  test("the same constructs at the stack's root and two levels down get the same addresses", () => {
    const flat = new TerraformStack(Testing.app(), "flat");
    build(flat);
    const nested = new TerraformStack(Testing.app(), "nested");
    build(new Construct(new Construct(nested, "platform"), "orders-v2"));

    const before = addresses(synthesized(flat));
    const after = addresses(synthesized(nested));
    expect(before.resource.length).toBeGreaterThan(10);
    expect(after).toEqual(before);
    // Under cdktf's scheme every one of them would have been renamed by the move.
    const hashed = (stack: TerraformStack) => new Set(blocks(stack).map((b) => `${b.terraformResourceType}.${stack.getLogicalId(b)}`));
    const flatHashed = hashed(flat);
    expect([...hashed(nested)].filter((a) => flatHashed.has(a))).toEqual([]);
  });
});

describe("addresses are checked at synthesis", () => {
  test("two blocks with the same address stop synthesis with a project error naming both", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const kms = "arn:aws:kms:us-east-1:123456789012:key/k";
    new EncryptedQueue(new Construct(stack, "orders"), "queue", { address: "orders", name: "a", kmsKeyArn: kms });
    new EncryptedQueue(new Construct(stack, "returns"), "queue", { address: "orders", name: "b", kmsKeyArn: kms });
    expect(() => Testing.synth(stack)).toThrow(AddressError);
    expect(() => Testing.synth(stack)).toThrow(
      'Stack "test": 2 blocks would share the Terraform address aws_sqs_queue.orders: test/orders/queue/queue, test/returns/queue/queue. ' +
        "Addresses must be unique in a stack and are never suffixed silently. " +
        "Rename the workflow (workflows/catalogue.ts) or handler (handlers/) whose name produces it, or give one of the constructs another address base in modules/.",
    );
  });

  test("a workflow named like another workflow's dead-letter queue collides in the stage stack, instead of getting a suffix", () => {
    const orderProcessing = WORKFLOWS.find((w) => w.name === "order-processing")!;
    const workflows = [
      { ...orderProcessing, name: "orders" },
      { ...orderProcessing, name: "orders-dlq" },
    ];
    expect(() => synthStage({ workflows })).toThrow(/^Stack "test": 2 blocks would share the Terraform address aws_sqs_queue\.orders_dlq: test\/orders\/sqs\/dlq\/queue, test\/orders-dlq\/sqs\/queue\/queue\. /);
  });

  test("a resource left without an address stops synthesis, showing the hash cdktf would use", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    checkAddresses(stack);
    new SqsQueue(new Construct(stack, "legacy"), "queue", { name: "q" });
    expect(() => Testing.synth(stack)).toThrow(AddressError);
    expect(() => Testing.synth(stack)).toThrow(
      new RegExp(
        '^Stack "test": test/legacy/queue \\(aws_sqs_queue\\) has no explicit Terraform address, so cdktf would call it aws_sqs_queue\\.legacy_queue_[0-9A-F]{8}, ' +
          "a hash of its construct path that changes whenever the code is refactored\\. Name it with address\\(\\) from modules/addresses\\.ts, after what it is\\.$",
      ),
    );
  });

  test("an address that is not snake_case is refused where it is given", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => address(new SqsQueue(stack, "queue", { name: "q" }), "Orders-Queue")).toThrow(
      'Stack "test": test/queue (aws_sqs_queue) was given the Terraform address name "Orders-Queue", which is not snake_case. Received: "Orders-Queue". ' +
        "Use lower-case letters, digits and single underscores, starting with a letter (snake() in modules/addresses.ts converts workflow and handler names).",
    );
  });

  test.each([
    [["order-processing", "dlq"], "order_processing_dlq"],
    [["validateOrder"], "validate_order"],
    [["order-processing", "-1"], "order_processing_1"],
    [["ExecutionsTimedOut"], "executions_timed_out"],
  ])("snake(%j) is %s", (parts, expected) => {
    expect(snake(...parts)).toBe(expected);
  });
});
