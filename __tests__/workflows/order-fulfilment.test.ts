/**
 * The "Done when" example of declared resources and references: order-fulfilment
 * runs unchanged in the local executor, its references resolved to local values
 * (account 123456789012, the stage's region, declared resources named as the
 * stage stack names them), with mocks for DynamoDB, S3 and SNS and the real
 * order-processing run for the nested startExecution.sync:2.
 */
import { runWorkflow, type ExecutionResult } from "../../src/executor/index";
import { stateVisits } from "../../src/executor/summary";

const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };
const START = "2024-06-01T08:00:00.000Z";

let stdout: jest.SpyInstance;
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

const order = (token: string) => ({
  orderId: "ord-1001",
  customerId: "cus-42",
  items: [{ sku: "SKU-1", quantity: 2, unitPrice: 19.99 }],
  payment: { method: "card", token },
});

interface Calls {
  [state: string]: unknown[];
}

function services(calls: Calls) {
  const record = (state: string, result: unknown) => (parameters: unknown) => {
    (calls[state] ??= []).push(parameters);
    return result;
  };
  return {
    // startExecution.sync:2: run the sibling for real in the local executor, and answer as Step Functions does.
    ProcessOrder: async (parameters: unknown) => {
      (calls.ProcessOrder ??= []).push(parameters);
      const { StateMachineArn, Input } = parameters as { StateMachineArn: string; Input: Record<string, unknown> };
      const child = await runWorkflow("order-processing", Input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1 });
      if (child.status !== "SUCCEEDED") {
        throw Object.assign(new Error(child.cause ?? ""), { name: "States.TaskFailed" });
      }
      return { StateMachineArn, Status: "SUCCEEDED", Output: child.output };
    },
    RecordOrder: record("RecordOrder", {}),
    StoreReceipt: record("StoreReceipt", { ETag: '"abc"' }),
    AnnounceOrder: record("AnnounceOrder", { MessageId: "m-1" }),
  };
}

const run = (input: unknown, mocks: object) => runWorkflow("order-fulfilment", input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1, mocks: mocks as never });
const visited = (r: ExecutionResult) => stateVisits(r.history).map((v) => v.name);

describe("order-fulfilment", () => {
  test("happy path: the sibling runs, then the order is recorded, its receipt stored and announced, with local values for every reference", async () => {
    const calls: Calls = {};
    const r = await run(order("tok_visa"), services(calls));
    expect(r.status).toBe("SUCCEEDED");
    expect(visited(r)).toEqual(["ProcessOrder", "RecordOrder", "StoreReceipt", "AnnounceOrder"]);
    expect((calls.ProcessOrder[0] as { StateMachineArn: string }).StateMachineArn).toBe(
      "arn:aws:states:us-east-1:123456789012:stateMachine:my-app-dev-order-processing",
    );
    expect(calls.RecordOrder[0]).toMatchObject({ TableName: "my-app-dev-orders", Item: { orderId: { S: "ord-1001" }, status: { S: "FULFILLED" } } });
    expect(calls.StoreReceipt[0]).toMatchObject({ Bucket: "my-app-dev-receipts-123456789012", Key: "receipts/ord-1001.json", ExpectedBucketOwner: "123456789012" });
    expect(calls.AnnounceOrder[0]).toMatchObject({
      TopicArn: "arn:aws:sns:us-east-1:123456789012:my-app-dev-order-events",
      MessageAttributes: { region: { StringValue: "us-east-1" }, stage: { StringValue: "dev" }, paymentMode: { StringValue: "sandbox" } },
    });
    expect((r.output as { announcement: unknown }).announcement).toEqual({ messageId: "m-1" });
  });

  test("a failed sibling execution fails the fulfilment without recording anything, and is not retried (no second charge)", async () => {
    const calls: Calls = {};
    const r = await run(order("tok_declined"), services(calls));
    expect(r.status).toBe("FAILED");
    expect(calls.ProcessOrder).toHaveLength(1);
    expect(calls.RecordOrder).toBeUndefined();
  });
});
