import { existingResources, parseResourceArn } from "../../src/config/resources";
import { getWorkflow } from "../../src/catalogue";
import type { DeclaredResource } from "../../workflows/resources";
import { byField, policyDocumentOf, resources, stageConfig, synthStage } from "./helpers";

const fulfilment = getWorkflow("order-fulfilment");
const processing = getWorkflow("order-processing");

function policyOf(tf: any, roleName: string): any[] {
  const [, policy] = byField(tf, "aws_iam_policy", "name", roleName);
  return policyDocumentOf(tf, policy.policy).statement;
}

describe("created declared resources", () => {
  const { tf } = synthStage({ workflows: [processing, fulfilment] });

  test("each is created secure by default with the stage key", () => {
    const [, table] = byField(tf, "aws_dynamodb_table", "name", "my-app-dev-orders");
    expect(table).toMatchObject({
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "orderId",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.stage.arn}" },
    });
    const [, topic] = byField(tf, "aws_sns_topic", "name", "my-app-dev-order-events");
    expect(topic.kms_master_key_id).toBe("${aws_kms_key.stage.arn}");
    const [id, bucket] = byField(tf, "aws_s3_bucket", "bucket", "my-app-dev-receipts-${data.aws_caller_identity.current.account_id}");
    expect(id).toBe("receipts");
    expect(bucket).toBeDefined();
    expect(resources(tf, "aws_s3_bucket_versioning").receipts.versioning_configuration).toEqual({ status: "Enabled" });
    expect(resources(tf, "aws_s3_bucket_public_access_block").receipts).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(resources(tf, "aws_s3_bucket_server_side_encryption_configuration").receipts.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.stage.arn}",
    });
    expect(tf.data.aws_iam_policy_document.receipts_bucket_tls_only.statement[0]).toMatchObject({ effect: "Deny", condition: [{ variable: "aws:SecureTransport", values: ["false"] }] });
  });

  test("the definition holds Terraform references, no hard-coded account, region or name", () => {
    const [, machine] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-fulfilment");
    const definition = JSON.parse(machine.definition);
    expect(definition.States.ProcessOrder.Parameters.StateMachineArn).toBe(
      "arn:${data.aws_partition.current.partition}:states:us-east-1:${data.aws_caller_identity.current.account_id}:stateMachine:my-app-dev-order-processing",
    );
    expect(definition.States.RecordOrder.Parameters.TableName).toBe("${aws_dynamodb_table.orders.name}");
    expect(definition.States.StoreReceipt.Parameters).toMatchObject({ Bucket: "${aws_s3_bucket.receipts.bucket}", ExpectedBucketOwner: "${data.aws_caller_identity.current.account_id}" });
    expect(definition.States.AnnounceOrder.Parameters.TopicArn).toBe("${aws_sns_topic.order_events.arn}");
    expect(machine.definition).not.toMatch(/123456789012/);
  });

  test("its policy names exactly those resources, with the stage key for the encrypted ones", () => {
    const grants = policyOf(tf, "my-app-dev-order-fulfilment-sfn")
      .filter((s) => !["CloudWatchLogsDelivery", "XRayTracing", "UseStageKey"].includes(s.sid))
      .map((s) => [s.actions.join(","), s.resources.join(",")]);
    const account = "${data.aws_caller_identity.current.account_id}";
    const partition = "${data.aws_partition.current.partition}";
    expect(grants).toEqual([
      ["dynamodb:PutItem", "${aws_dynamodb_table.orders.arn}"],
      ["events:DescribeRule,events:PutRule,events:PutTargets", `arn:${partition}:events:us-east-1:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`],
      ["kms:Decrypt,kms:GenerateDataKey", "${aws_kms_key.stage.arn}"],
      ["s3:PutObject", "${aws_s3_bucket.receipts.arn}/receipts/*"],
      ["sns:Publish", "${aws_sns_topic.order_events.arn}"],
      ["states:DescribeExecution,states:StopExecution", `arn:${partition}:states:us-east-1:${account}:execution:my-app-dev-order-processing:*`],
      ["states:StartExecution", `arn:${partition}:states:us-east-1:${account}:stateMachine:my-app-dev-order-processing`],
    ]);
  });
});

describe("existing declared resources (RESOURCE_<NAME>_ARN)", () => {
  const arn = "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders";
  const { tf } = synthStage({ workflows: [processing, fulfilment], config: stageConfig({ RESOURCE_ORDERS_ARN: arn }) });

  test("is not created, is referenced by its name, and is granted by its ARN without the stage key", () => {
    expect(Object.values(resources(tf, "aws_dynamodb_table"))).toHaveLength(0);
    const [, machine] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-fulfilment");
    expect(JSON.parse(machine.definition).States.RecordOrder.Parameters.TableName).toBe("legacy-orders");
    const statements = policyOf(tf, "my-app-dev-order-fulfilment-sfn");
    expect(statements.find((s) => s.sid === "DynamodbPutItem").resources).toEqual([arn]);
  });
});

describe("existing declared resources with a customer-managed key (RESOURCE_<NAME>_KMS_KEY_ARN)", () => {
  const tableKey = "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111";
  const topicKey = "arn:aws:kms:us-east-1:111122223333:key/22222222-2222-4222-8222-222222222222";
  const bucketKey = "arn:aws:kms:us-east-1:444455556666:key/mrk-3333333333334333833333333333333a";
  const env = {
    RESOURCE_ORDERS_ARN: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders",
    RESOURCE_ORDER_EVENTS_ARN: "arn:aws:sns:us-east-1:111122223333:legacy-order-events",
    RESOURCE_RECEIPTS_ARN: "arn:aws:s3:::legacy-receipts",
  };
  const kmsGrants = (tf: any) =>
    policyOf(tf, "my-app-dev-order-fulfilment-sfn")
      .filter((s) => s.sid !== "UseStageKey" && s.actions.some((a: string) => a.startsWith("kms:")))
      .map((s) => [s.actions.join(","), s.resources.join(",")]);

  test("fail: the same resources without their keys get no KMS grant (the stage key is not theirs)", () => {
    const { tf } = synthStage({ workflows: [processing, fulfilment], config: stageConfig(env) });
    expect(kmsGrants(tf)).toEqual([]);
  });

  test("pass: the stage's policy grants each key exactly what the workflow's calls need, on that key only", () => {
    const config = stageConfig({ ...env, RESOURCE_ORDERS_KMS_KEY_ARN: tableKey, RESOURCE_ORDER_EVENTS_KMS_KEY_ARN: topicKey, RESOURCE_RECEIPTS_KMS_KEY_ARN: bucketKey });
    const { tf } = synthStage({ workflows: [processing, fulfilment], config });
    expect(kmsGrants(tf)).toEqual([
      ["kms:Decrypt", tableKey], // dynamodb:PutItem
      ["kms:Decrypt,kms:GenerateDataKey", topicKey], // sns:Publish
      ["kms:GenerateDataKey", bucketKey], // s3:PutObject (one part)
    ]);
    // order-processing touches none of them.
    expect(policyOf(tf, "my-app-dev-order-processing-sfn").filter((s) => s.sid !== "UseStageKey" && s.actions.some((a: string) => a.startsWith("kms:")))).toEqual([]);
  });
});

test("a queue and an event bus: the queue has its own encrypted dead-letter queue", () => {
  const declared: DeclaredResource[] = [
    { kind: "sqs-queue", name: "work", description: "Work items." },
    { kind: "event-bus", name: "partners", description: "Partner events." },
  ];
  const { tf } = synthStage({ workflows: [processing], resources: declared });
  const [, queue] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-work");
  const [, dlq] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-work-dlq");
  expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: "${aws_sqs_queue.work_dlq.arn}", maxReceiveCount: 5 });
  expect(queue.kms_master_key_id).toBe("${aws_kms_key.stage.arn}");
  expect(dlq.kms_master_key_id).toBe("${aws_kms_key.stage.arn}");
  byField(tf, "aws_cloudwatch_event_bus", "name", "my-app-dev-partners");
});

test("a secret is never created: given by ARN, it is granted exactly", () => {
  const secret: DeclaredResource = { kind: "secret", name: "api-key", description: "Partner API key.", existing: true };
  const arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-AbC123";
  const parsed = parseResourceArn(secret, arn, "us-east-1");
  expect(parsed).toMatchObject({ name: "partner/api-key" });
  const config = { ...stageConfig(), resources: { "api-key": parsed as Exclude<typeof parsed, string> } };
  const workflow = { name: "read-secret", template: "__tests__/modules/fixtures/read-secret.asl.json.hbs", type: "STANDARD" as const, description: "", triggers: [] };
  const { tf } = synthStage({ workflows: [workflow], resources: [secret], config });
  expect(resources(tf, "aws_secretsmanager_secret")).toEqual({});
  const statements = policyOf(tf, "my-app-dev-read-secret-sfn");
  expect(statements.find((s) => s.actions.includes("secretsmanager:GetSecretValue")).resources).toEqual([arn]);
});

test("a secret with its own customer-managed key: kms:Decrypt on that key for GetSecretValue, nothing without it", () => {
  const secret: DeclaredResource = { kind: "secret", name: "api-key", description: "Partner API key.", existing: true };
  const arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-AbC123";
  const key = "arn:aws:kms:us-east-1:111122223333:key/44444444-4444-4444-8444-444444444444";
  const workflow = { name: "read-secret", template: "__tests__/modules/fixtures/read-secret.asl.json.hbs", type: "STANDARD" as const, description: "", triggers: [] };
  const kms = (env: Record<string, string>) => {
    const parsed = parseResourceArn(secret, arn, "us-east-1") as Exclude<ReturnType<typeof parseResourceArn>, string>;
    const config = { ...stageConfig(), resources: { "api-key": { ...parsed, ...env } } };
    const { tf } = synthStage({ workflows: [workflow], resources: [secret], config });
    return policyOf(tf, "my-app-dev-read-secret-sfn").filter((s) => s.sid !== "UseStageKey" && s.actions.some((a: string) => a.startsWith("kms:")));
  };
  expect(kms({})).toEqual([]);
  expect(kms({ kmsKeyArn: key })).toEqual([expect.objectContaining({ actions: ["kms:Decrypt"], resources: [key] })]);
});

describe("an existing EventBridge connection and event bus with their own customer-managed keys", () => {
  const connection: DeclaredResource = { kind: "eventbridge-connection", name: "partner-api", description: "Partner API.", existing: true };
  const bus: DeclaredResource = { kind: "event-bus", name: "partners", description: "Partner events." };
  const connectionArn = "arn:aws:events:us-east-1:111122223333:connection/partner-api/81210c42-8af1-456b-9c4a-6ff02fc664ac";
  const busArn = "arn:aws:events:us-east-1:111122223333:event-bus/partners";
  const connectionKey = "arn:aws:kms:us-east-1:111122223333:key/55555555-5555-4555-8555-555555555555";
  const busKey = "arn:aws:kms:us-east-1:111122223333:key/66666666-6666-4666-8666-666666666666";
  const callPartner = { name: "call-partner", template: "__tests__/modules/fixtures/call-partner.asl.json.hbs", type: "STANDARD" as const, description: "", triggers: [] };
  const putEvent = { name: "put-partner-event", template: "__tests__/modules/fixtures/put-partner-event.asl.json.hbs", type: "STANDARD" as const, description: "", triggers: [] };
  const synth = (keys: Record<string, string>) => {
    const env: Record<string, string> = { RESOURCE_PARTNER_API_ARN: connectionArn, RESOURCE_PARTNERS_ARN: busArn, ...keys };
    const problems: string[] = [];
    const parsed = existingResources((k) => env[k], { projectName: "my-app", stage: "dev", region: "us-east-1", namesValid: true }, problems, [connection, bus]);
    expect(problems).toEqual([]);
    return synthStage({ workflows: [callPartner, putEvent], resources: [connection, bus], config: { ...stageConfig(), resources: parsed } });
  };
  const kmsOf = (tf: any, role: string) => policyOf(tf, role).filter((s) => s.sid !== "UseStageKey" && s.actions.some((a: string) => a.startsWith("kms:")));

  test("fail: without the keys, neither workflow is granted a KMS key", () => {
    const { tf } = synth({});
    expect(kmsOf(tf, "my-app-dev-call-partner-sfn")).toEqual([]);
    expect(kmsOf(tf, "my-app-dev-put-partner-event-sfn")).toEqual([]);
  });

  test("pass: http:invoke through the connection gets kms:Decrypt on its key; putting events on the bus gets nothing on the bus key, and synthesis says nothing about it", () => {
    const { tf, stack } = synth({ RESOURCE_PARTNER_API_KMS_KEY_ARN: connectionKey, RESOURCE_PARTNERS_KMS_KEY_ARN: busKey });
    expect(kmsOf(tf, "my-app-dev-call-partner-sfn")).toEqual([expect.objectContaining({ actions: ["kms:Decrypt"], resources: [connectionKey] })]);
    expect(policyOf(tf, "my-app-dev-call-partner-sfn").find((s) => s.actions.includes("events:RetrieveConnectionCredentials")).resources).toEqual([connectionArn]);
    expect(kmsOf(tf, "my-app-dev-put-partner-event-sfn")).toEqual([]);
    expect(policyOf(tf, "my-app-dev-put-partner-event-sfn").find((s) => s.actions.includes("events:PutEvents")).resources).toEqual([busArn]);
    expect(stack.findings.filter((f) => /kms|key|partners|partner-api/i.test(f.message))).toEqual([]);
  });
});

test("rule calls on a created event bus are granted on its rule, whether the template names the bus by name or by ARN", () => {
  const bus: DeclaredResource = { kind: "event-bus", name: "partners", description: "Partner events." };
  const workflow = { name: "manage-partner-rule", template: "__tests__/modules/fixtures/manage-partner-rule.asl.json.hbs", type: "STANDARD" as const, description: "", triggers: [] };
  const { tf, stack } = synthStage({ workflows: [workflow], resources: [bus] });
  const rules = policyOf(tf, "my-app-dev-manage-partner-rule-sfn").filter((s) => s.actions.some((a: string) => a.startsWith("events:")));
  const rule = "arn:${data.aws_partition.current.partition}:events:us-east-1:${data.aws_caller_identity.current.account_id}:rule/${aws_cloudwatch_event_bus.partners.name}/order-placed";
  expect(rules.map((s) => [s.actions, s.resources])).toEqual([
    [["events:DescribeRule"], [rule]],
    [["events:PutTargets"], [rule]],
  ]);
  expect(stack.findings.filter((f) => /partners|order-placed|EventBusName/.test(f.message))).toEqual([]);
});
