import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig } from "../../src/config/stage";
import { existingResources, parseResourceArn, parseResourceKmsKey, resourceDeclarationProblems } from "../../src/config/resources";
import type { DeclaredResource } from "../../workflows/resources";

const load = (env: Record<string, string>) => loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "res-")), env });
const table: DeclaredResource = { kind: "dynamodb-table", name: "orders", description: "", partitionKey: { name: "id", type: "S" } };
const bucket: DeclaredResource = { kind: "s3-bucket", name: "receipts", description: "" };
const queue: DeclaredResource = { kind: "sqs-queue", name: "work-items", description: "" };

describe("RESOURCE_<NAME>_ARN", () => {
  test("a valid ARN makes the resource existing for that stage", () => {
    const c = load({ RESOURCE_ORDERS_ARN: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy" });
    expect(c.resources.orders).toEqual({ arn: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy", name: "legacy", region: "us-east-1", accountId: "111122223333" });
    expect(load({}).resources).toEqual({});
  });

  test.each([
    ["not an ARN", "legacy", /RESOURCE_ORDERS_ARN must be an ARN/],
    ["another partition", "arn:aws-cn:dynamodb:us-east-1:111122223333:table/legacy", /must be in the partition of REGION us-east-1 \("aws"\), not "aws-cn"/],
    ["another service", "arn:aws:sqs:us-east-1:111122223333:legacy", /must be an ARN of the "dynamodb" service, not "sqs"/],
    ["another region", "arn:aws:dynamodb:eu-west-1:111122223333:table/legacy", /must be in REGION us-east-1 .*not "eu-west-1"/],
    ["a short account", "arn:aws:dynamodb:us-east-1:1111:table/legacy", /must have a 12-digit account id, not "1111"/],
    ["the wrong shape", "arn:aws:dynamodb:us-east-1:111122223333:legacy", /must name a resource of this shape, with a name AWS accepts \(resource "orders" is a dynamodb-table: arn:<partition>:dynamodb:<region>:<account>:table\/<name>\)/],
  ])("%s is a configuration error naming the variable and the value", (_what, arn, message) => {
    expect(() => load({ RESOURCE_ORDERS_ARN: arn })).toThrow(message);
    expect(() => load({ RESOURCE_ORDERS_ARN: arn })).toThrow(`Received: ${JSON.stringify(arn)}`);
  });

  test("bucket ARNs have no region or account; queue names come from the last field", () => {
    expect(parseResourceArn(bucket, "arn:aws:s3:::my-bucket", "us-east-1")).toMatchObject({ name: "my-bucket" });
    expect(parseResourceArn(bucket, "arn:aws:s3:us-east-1:111122223333:my-bucket", "us-east-1")).toMatch(/empty region and account/);
    expect(parseResourceArn(queue, "arn:aws:sqs:us-east-1:111122223333:jobs", "us-east-1")).toMatchObject({ name: "jobs", accountId: "111122223333" });
    expect(parseResourceArn(table, "arn:aws:dynamodb:us-east-1:111122223333:table/t12", "us-east-1")).toMatchObject({ name: "t12" });
  });

  test("declarations: kebab-case names, each once", () => {
    expect(resourceDeclarationProblems([table, { ...table }])).toEqual(['workflows/resources.ts: resource name "orders" appears twice.']);
    expect(resourceDeclarationProblems([{ ...table, name: "Orders" }])[0]).toMatch(/must be kebab-case/);
  });
});

test("secrets and EventBridge connections are existing only, with their ARN shapes", () => {
  const secret = { kind: "secret", name: "api-key", description: "" } as unknown as DeclaredResource;
  expect(resourceDeclarationProblems([secret])).toEqual([
    'workflows/resources.ts: resource "api-key" is a secret, which the stage stack never creates: mark it existing: true and give each stage its ARN in RESOURCE_API_KEY_ARN.',
  ]);
  const connection: DeclaredResource = { kind: "eventbridge-connection", name: "partner", description: "", existing: true };
  expect(parseResourceArn(connection, "arn:aws:events:us-east-1:111122223333:connection/partner-api/0f1e2d3c-aaaa-bbbb", "us-east-1")).toMatchObject({ name: "partner-api" });
  expect(parseResourceArn(connection, "arn:aws:events:us-east-1:111122223333:event-bus/x", "us-east-1")).toMatch(/connection\/<name>\/<id>/);
  expect(parseResourceArn({ ...connection, kind: "secret" } as DeclaredResource, "arn:aws:secretsmanager:us-east-1:111122223333:secret:db", "us-east-1")).toMatch(/secret:<name>-<6 characters>/);
});

describe("RESOURCE_<NAME>_KMS_KEY_ARN", () => {
  const tableArn = "arn:aws:dynamodb:us-east-1:111122223333:table/legacy";
  const key = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const topic: DeclaredResource = { kind: "sns-topic", name: "events", description: "" };
  const bus: DeclaredResource = { kind: "event-bus", name: "partners", description: "" };

  test("a key ARN beside the resource's ARN is kept on the existing resource (another account's key too)", () => {
    expect(load({ RESOURCE_ORDERS_ARN: tableArn, RESOURCE_ORDERS_KMS_KEY_ARN: key }).resources.orders).toEqual({
      arn: tableArn,
      name: "legacy",
      region: "us-east-1",
      accountId: "111122223333",
      kmsKeyArn: key,
    });
    const multiRegion = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    expect(parseResourceKmsKey(topic, multiRegion, "us-east-1")).toEqual({ kmsKeyArn: multiRegion });
  });

  test("without it, the existing resource has no key (no KMS grant is derived)", () => {
    expect(load({ RESOURCE_ORDERS_ARN: tableArn }).resources.orders).not.toHaveProperty("kmsKeyArn");
  });

  test.each([
    ["a key id", "1234abcd-12ab-34cd-56ef-1234567890ab", /must be the key's full ARN, not a key id or alias name .*aws kms describe-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --query KeyMetadata.Arn/],
    ["an alias name", "alias/orders", /must be the key's full ARN, not a key id or alias name/],
    ["not an ARN", "orders key", /must be a KMS key ARN \(resource "orders" is a dynamodb-table encrypted with that key: arn:<partition>:kms:<region>:<account>:key\/<key id>\)/],
    ["an alias ARN", "arn:aws:kms:us-east-1:111122223333:alias/orders", /names an alias, which IAM cannot scope a permission to .*a grant on the alias ARN allows nothing.*Fix: give the key ARN instead \(aws kms describe-key --key-id arn:aws:kms:us-east-1:111122223333:alias\/orders --query KeyMetadata.Arn\)/],
    ["another service", "arn:aws:sqs:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", /must be an ARN of the "kms" service, not "sqs"/],
    ["another partition", "arn:aws-cn:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", /must be in the partition of REGION us-east-1 \("aws"\), not "aws-cn"/],
    ["another region", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", /must be in REGION us-east-1, the region of the dynamodb-table .*not "eu-west-1"/],
    ["a short account", "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab", /must have a 12-digit account id, not "1111"/],
    ["a malformed key id", "arn:aws:kms:us-east-1:111122223333:key/orders", /must end in key\/<key id> \(a UUID, or mrk- and 32 hex digits/],
  ])("%s is one configuration error naming the variable, the value and the fix", (_what, value, message) => {
    const load2 = () => load({ RESOURCE_ORDERS_ARN: tableArn, RESOURCE_ORDERS_KMS_KEY_ARN: value });
    expect(load2).toThrow(message);
    expect(load2).toThrow(`RESOURCE_ORDERS_KMS_KEY_ARN`);
    expect(load2).toThrow(`Received: ${JSON.stringify(value)}`);
    const problem = parseResourceKmsKey(table, value, "us-east-1") as string;
    expect(problem).not.toContain("\n");
    expect(problem).toMatch(/^RESOURCE_ORDERS_KMS_KEY_ARN .*Fix: /);
  });

  test("a key for a resource the stage creates is an error: it is encrypted with the stage key", () => {
    expect(() => load({ RESOURCE_ORDERS_KMS_KEY_ARN: key })).toThrow(
      `RESOURCE_ORDERS_KMS_KEY_ARN names a KMS key for resource "orders", which this stage creates (no RESOURCE_ORDERS_ARN) and encrypts with the stage key. Received: ${JSON.stringify(key)}. Fix: remove it, or set RESOURCE_ORDERS_ARN to use an existing dynamodb-table.`,
    );
  });

  test("a bucket's key may be in any region of the partition (its ARN does not say where the bucket is)", () => {
    const euKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(parseResourceKmsKey(bucket, euKey, "us-east-1")).toEqual({ kmsKeyArn: euKey });
    expect(parseResourceKmsKey(bucket, "arn:aws:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "us-east-1")).toMatch(/must name a region of partition "aws" \(that of REGION us-east-1\), not "cn-north-1"/);
  });

  describe("an existing event bus and an existing EventBridge connection name their keys too", () => {
    const connection: DeclaredResource = { kind: "eventbridge-connection", name: "partner-api", description: "", existing: true };
    const busArn = "arn:aws:events:us-east-1:111122223333:event-bus/partners";
    const connectionArn = "arn:aws:events:us-east-1:111122223333:connection/partner-api/0f1e2d3c-aaaa-bbbb";
    const stage = { projectName: "my-app", stage: "dev", region: "us-east-1", namesValid: true };
    const parse = (env: Record<string, string>) => {
      const problems: string[] = [];
      const resources = existingResources((k) => env[k], stage, problems, [bus, connection]);
      return { resources, problems };
    };

    test("pass: each key is kept on its resource (the bus's key for the bus, the connection's for its secret)", () => {
      const { resources, problems } = parse({
        RESOURCE_PARTNERS_ARN: busArn,
        RESOURCE_PARTNERS_KMS_KEY_ARN: key,
        RESOURCE_PARTNER_API_ARN: connectionArn,
        RESOURCE_PARTNER_API_KMS_KEY_ARN: key,
      });
      expect(problems).toEqual([]);
      expect(resources.partners).toEqual({ arn: busArn, name: "partners", region: "us-east-1", accountId: "111122223333", kmsKeyArn: key });
      expect(resources["partner-api"]).toEqual({ arn: connectionArn, name: "partner-api", region: "us-east-1", accountId: "111122223333", kmsKeyArn: key });
      expect(parse({ RESOURCE_PARTNERS_ARN: busArn, RESOURCE_PARTNER_API_ARN: connectionArn }).resources.partners).not.toHaveProperty("kmsKeyArn");
    });

    test("fail: their keys follow the same rules (the resource's region, a key ARN), one line each", () => {
      const euKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      const { problems } = parse({
        RESOURCE_PARTNERS_ARN: busArn,
        RESOURCE_PARTNERS_KMS_KEY_ARN: euKey,
        RESOURCE_PARTNER_API_ARN: connectionArn,
        RESOURCE_PARTNER_API_KMS_KEY_ARN: "alias/partner",
      });
      expect(problems).toEqual([
        expect.stringMatching(/^RESOURCE_PARTNERS_KMS_KEY_ARN must be in REGION us-east-1, the region of the event-bus .*not "eu-west-1".*Fix: /),
        expect.stringMatching(/^RESOURCE_PARTNER_API_KMS_KEY_ARN must be the key's full ARN, not a key id or alias name \(resource "partner-api" is a eventbridge-connection .*Fix: give the key ARN \(aws kms describe-key --key-id alias\/partner/),
      ]);
      expect(problems.join("\n")).not.toContain("extraStatements");
    });
  });

  test("it is a known stage setting (no unknown-key warning)", () => {
    expect(load({ RESOURCE_ORDERS_ARN: tableArn, RESOURCE_ORDERS_KMS_KEY_ARN: key }).warnings).toEqual([]);
  });
});
