import { parseResourceArn } from "../../src/config/resources";
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
