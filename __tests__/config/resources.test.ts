import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig } from "../../src/config/stage";
import { parseResourceArn, resourceDeclarationProblems } from "../../src/config/resources";
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
