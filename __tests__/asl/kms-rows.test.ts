/**
 * Every row of the KMS table (src/asl/kms.ts): a definition whose resource has
 * no customer-managed key gets no KMS statement; with a key it gets exactly
 * the documented KMS actions, on that key only.
 */
import { derivePermissions, toPolicyStatements, type DeriveOptions } from "../../src/asl/iam";
import { KMS_RULES } from "../../src/asl/kms";

const opts: DeriveOptions = { workflow: "shop", file: "workflows/shop.asl.json.hbs", arn: { partition: "aws", region: "us-east-1", accountId: "123456789012", stateMachineName: "shop-dev-main" } };
const KEY = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY = "arn:aws:kms:us-east-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const task = (resource: string, parameters: Record<string, unknown>) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, Parameters: parameters, End: true } } });
const kmsStatements = (definition: Record<string, unknown>, encryptionKeys: Record<string, string> = {}) =>
  toPolicyStatements(derivePermissions(definition, { ...opts, encryptionKeys }))
    .filter((s) => s.actions.some((a) => a.startsWith("kms:")))
    .map(({ actions, resources }) => ({ actions, resources }));

const TOPIC = "arn:aws:sns:us-east-1:123456789012:shop-dev-events";
const QUEUE = "arn:aws:sqs:us-east-1:123456789012:shop-dev-work";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/shop-dev-work";
const BUCKET = "arn:aws:s3:::shop-dev-exports";
const TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-orders";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:partner/api-key-AbC123";
const CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/partner-api/81210c42-8af1-456b-9c4a-6ff02fc664ac";
const BUS = "arn:aws:events:us-east-1:123456789012:event-bus/shop-dev-partners";
const DEFAULT_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default";
const httpInvoke = (connectionArn: string) =>
  task("arn:aws:states:::http:invoke", { ApiEndpoint: "https://api.example.com/orders", Method: "POST", Authentication: { ConnectionArn: connectionArn } });
const mapWith = (field: "ItemReader" | "ResultWriter", resource: string, parameters: Record<string, unknown>) => ({
  StartAt: "M",
  States: {
    M: {
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      [field]: { Resource: resource, ...(field === "ItemReader" ? { ReaderConfig: { InputType: "JSON" } } : {}), Parameters: parameters },
      End: true,
    },
  },
});

const cases: Array<[string, Record<string, unknown>, string, string[]]> = [
  ["sns:publish to an SSE-KMS topic", task("arn:aws:states:::sns:publish", { TopicArn: TOPIC, "Message.$": "$" }), TOPIC, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["aws-sdk:sns:publishBatch", task("arn:aws:states:::aws-sdk:sns:publishBatch", { TopicArn: TOPIC, "PublishBatchRequestEntries.$": "$.entries" }), TOPIC, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["sqs:sendMessage to an SSE-KMS queue", task("arn:aws:states:::sqs:sendMessage", { QueueUrl: QUEUE_URL, "MessageBody.$": "$" }), QUEUE, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["aws-sdk:sqs:receiveMessage (a consumer)", task("arn:aws:states:::aws-sdk:sqs:receiveMessage", { QueueUrl: QUEUE_URL }), QUEUE, ["kms:Decrypt"]],
  ["ItemReader s3:getObject", mapWith("ItemReader", "arn:aws:states:::s3:getObject", { Bucket: "shop-dev-exports", Key: "in.json" }), BUCKET, ["kms:Decrypt"]],
  ["aws-sdk:s3:putObject (one part)", task("arn:aws:states:::aws-sdk:s3:putObject", { Bucket: "shop-dev-exports", Key: "out.json", "Body.$": "$" }), BUCKET, ["kms:GenerateDataKey"]],
  ["ResultWriter s3:putObject (multipart)", mapWith("ResultWriter", "arn:aws:states:::s3:putObject", { Bucket: "shop-dev-exports", Prefix: "runs" }), BUCKET, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["aws-sdk:s3:uploadPart (multipart)", task("arn:aws:states:::aws-sdk:s3:uploadPart", { Bucket: "shop-dev-exports", Key: "big.bin", "UploadId.$": "$.id", PartNumber: 1 }), BUCKET, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["dynamodb:putItem with a CMK", task("arn:aws:states:::dynamodb:putItem", { TableName: "shop-dev-orders", "Item.$": "$.item" }), TABLE, ["kms:Decrypt"]],
  ["aws-sdk:dynamodb:query on an index", task("arn:aws:states:::aws-sdk:dynamodb:query", { TableName: "shop-dev-orders", IndexName: "byCustomer", KeyConditionExpression: "c = :c" }), TABLE, ["kms:Decrypt"]],
  ["aws-sdk:secretsmanager:getSecretValue", task("arn:aws:states:::aws-sdk:secretsmanager:getSecretValue", { SecretId: SECRET }), SECRET, ["kms:Decrypt"]],
  ["aws-sdk:secretsmanager:putSecretValue", task("arn:aws:states:::aws-sdk:secretsmanager:putSecretValue", { SecretId: SECRET, "SecretString.$": "$.v" }), SECRET, ["kms:Decrypt", "kms:GenerateDataKey"]],
  ["http:invoke through a connection whose secret has a CMK", httpInvoke(CONNECTION), CONNECTION, ["kms:Decrypt"]],
  // Rule calls are granted on the rule (rule/<bus>/<name>); the key is the bus's, found through the grant's `touches`.
  ["aws-sdk:eventbridge:putRule on a CMK event bus", task("arn:aws:states:::aws-sdk:eventbridge:putRule", { Name: "r", EventBusName: "shop-dev-partners", EventPattern: "{}" }), BUS, ["kms:Decrypt"]],
  ["aws-sdk:eventbridge:putTargets on a CMK event bus", task("arn:aws:states:::aws-sdk:eventbridge:putTargets", { Rule: "r", EventBusName: "shop-dev-partners", Targets: [] }), BUS, ["kms:Decrypt"]],
  ["aws-sdk:eventbridge:listRules of a CMK event bus (granted on *)", task("arn:aws:states:::aws-sdk:eventbridge:listRules", { EventBusName: "shop-dev-partners" }), BUS, ["kms:Decrypt"]],
  ["aws-sdk:eventbridge:describeRule on a CMK default bus", task("arn:aws:states:::aws-sdk:eventbridge:describeRule", { Name: "r" }), DEFAULT_BUS, ["kms:Decrypt"]],
  ["ecs:runTask.sync: its managed rule on a CMK default bus", task("arn:aws:states:::ecs:runTask.sync", { Cluster: "c", TaskDefinition: "shop-job" }), DEFAULT_BUS, ["kms:Decrypt"]],
];

describe.each(cases)("%s", (_name, definition, resource, kms) => {
  test("fail: no customer-managed key on the resource -> no KMS statement", () => {
    expect(kmsStatements(definition)).toEqual([]);
    expect(kmsStatements(definition, { "arn:aws:sns:us-east-1:123456789012:unrelated": KEY })).toEqual([]);
  });
  test(`pass: its key -> exactly ${kms.join(" + ")} on that key`, () => {
    expect(kmsStatements(definition, { [resource]: KEY })).toEqual([{ actions: kms, resources: [KEY] }]);
    const row = derivePermissions(definition, { ...opts, encryptionKeys: { [resource]: KEY } }).find((r) => r.actions.some((a) => a.startsWith("kms:")));
    expect(row?.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(row?.reason).toContain(`${resource} is encrypted with a customer-managed KMS key`);
  });
});

test("every row of the table has its AWS documentation link and is exercised above", () => {
  for (const rule of KMS_RULES) {
    expect(rule.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(rule.kms.every((a) => /^kms:[A-Z][A-Za-z]+$/.test(a))).toBe(true);
  }
});

test("a call that touches an encrypted resource but reads or writes no data gets no KMS grant", () => {
  const list = mapWith("ItemReader", "arn:aws:states:::s3:listObjectsV2", { Bucket: "shop-dev-exports", Prefix: "in/" });
  expect(kmsStatements(list, { [BUCKET]: KEY })).toEqual([]);
  const describe = task("arn:aws:states:::aws-sdk:dynamodb:describeTable", { TableName: "shop-dev-orders" });
  expect(kmsStatements(describe, { [TABLE]: KEY })).toEqual([]);
});

test("states on resources under different keys: one statement per key, each with what its states need", () => {
  const definition = {
    StartAt: "Read",
    States: {
      Read: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", Parameters: { TableName: "shop-dev-orders", Key: { id: { S: "1" } } }, Next: "Publish" },
      Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: TOPIC, Message: "x" }, Next: "Write" },
      Write: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:putObject", Parameters: { Bucket: "shop-dev-exports", Key: "o", Body: "x" }, End: true },
    },
  };
  // The table and the bucket share a key: Decrypt (table) and GenerateDataKey (bucket) merge into one statement on it.
  expect(kmsStatements(definition, { [TABLE]: KEY, [BUCKET]: KEY })).toEqual([{ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [KEY] }]);
  // The table alone under one key, the topic under another: Decrypt on the first, Decrypt and GenerateDataKey on the second.
  expect(kmsStatements(definition, { [TABLE]: KEY, [TOPIC]: OTHER_KEY })).toEqual([
    { actions: ["kms:Decrypt"], resources: [KEY] },
    { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [OTHER_KEY] },
  ]);
  // The review sees one row per state and resource.
  const rows = derivePermissions(definition, { ...opts, encryptionKeys: { [TABLE]: KEY, [BUCKET]: KEY } }).filter((r) => r.integration === "kms (customer-managed key)");
  expect(rows.map((r) => [r.statePath, r.actions])).toEqual([
    ["States.Read", ["kms:Decrypt"]],
    ["States.Write", ["kms:GenerateDataKey"]],
  ]);
});

describe("events:putEvents on an event bus with a customer-managed key", () => {
  const entries = { Entries: [{ EventBusName: "shop-dev-partners", Source: "shop", DetailType: "OrderPlaced", "Detail.$": "$" }] };
  const put = task("arn:aws:states:::events:putEvents", entries);

  test("the bus is granted, its key is not: EventBridge encrypts events itself (as events.amazonaws.com, allowed by the key policy)", () => {
    const rows = derivePermissions(put, { ...opts, encryptionKeys: { [BUS]: KEY } });
    expect(rows.map((r) => [r.actions, r.resources])).toEqual([[["events:PutEvents"], [BUS]]]);
    expect(kmsStatements(put, { [BUS]: KEY })).toEqual([]);
    // No row of the table makes PutEvents call KMS with the caller's permissions.
    expect(KMS_RULES.filter((r) => r.actions.includes("events:PutEvents"))).toEqual([]);
  });

  test("the same bus's key is still granted where AWS requires it: a rule call on that bus in the same workflow", () => {
    const both = {
      StartAt: "Put",
      States: {
        Put: { Type: "Task", Resource: "arn:aws:states:::events:putEvents", Parameters: entries, Next: "Rule" },
        Rule: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:eventbridge:describeRule", Parameters: { Name: "r", EventBusName: "shop-dev-partners" }, End: true },
      },
    };
    const rows = derivePermissions(both, { ...opts, encryptionKeys: { [BUS]: KEY } }).filter((r) => r.actions.some((a) => a.startsWith("kms:")));
    expect(rows.map((r) => [r.statePath, r.actions, r.resources])).toEqual([["States.Rule", ["kms:Decrypt"], [KEY]]]);
  });
});

test("http:invoke: the key of another connection, or a connection computed at run time, gets no KMS grant", () => {
  const other = "arn:aws:events:us-east-1:123456789012:connection/other-api/11111111-8af1-456b-9c4a-6ff02fc664ac";
  expect(kmsStatements(httpInvoke(CONNECTION), { [other]: KEY })).toEqual([]);
  const dynamic = task("arn:aws:states:::http:invoke", { ApiEndpoint: "https://api.example.com/orders", Method: "POST", Authentication: { "ConnectionArn.$": "$.connection" } });
  expect(kmsStatements(dynamic, { [CONNECTION]: KEY })).toEqual([]);
});
