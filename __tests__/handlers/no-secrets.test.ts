/**
 * No payment token (or other secret) reaches a log line: every handler on
 * every order path, run by the local executor with the real handlers at
 * LOG_LEVEL=DEBUG, plus the SQS bridge's preview of an invalid body. Also
 * pins down where the token does travel in state data (what
 * SFN_LOG_EXECUTION_DATA=true writes to the state machine's log group).
 */
import { captureLogs } from "./capture-logs";

type Executor = typeof import("../../src/executor");
type Bridge = typeof import("../../handlers/sqs");

let runWorkflow: Executor["runWorkflow"];
let processMessage: Bridge["processMessage"];
const saved = { LOG_LEVEL: process.env.LOG_LEVEL, STATE_MACHINE_ARN: process.env.STATE_MACHINE_ARN };

beforeAll(async () => {
  // Loggers read LOG_LEVEL when their module loads: load everything after setting it.
  process.env.LOG_LEVEL = "DEBUG";
  process.env.STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:never-called";
  ({ runWorkflow } = await import("../../src/executor"));
  ({ processMessage } = await import("../../handlers/sqs"));
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

const order = (token: unknown) => ({
  orderId: "ord-secret-1",
  customerId: "c-1",
  items: [{ sku: "SKU-A", quantity: 2, unitPrice: 5 }],
  payment: { method: "card", token },
});

/** The states whose input or output (history) carries the token. */
function statesCarrying(history: readonly Record<string, unknown>[], secret: string): string[] {
  return history
    .filter((e) => JSON.stringify(e).includes(secret))
    .map((e) => {
      const details = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
      return details?.name ? `${e.type}:${details.name}` : String(e.type);
    });
}

describe("order-processing with the real handlers: no token in any log line", () => {
  test.each([
    ["charged", "tok_visa_SECRET111", "SUCCEEDED"],
    ["declined", "tok_declined_SECRET222", "FAILED"],
    ["provider unavailable on every attempt", "tok_unavailable_9_SECRET333", "FAILED"],
  ])("%s", async (_label, token, status) => {
    const result = await runWorkflow("order-processing", order(token));
    expect(result.status).toBe(status);
    const raw = logs.raw();
    expect(raw.length).toBeGreaterThan(0);
    expect(logs.lines().some((l) => l.level === "DEBUG" || l.level === "INFO")).toBe(true);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain("SECRET");
    // Where the token still travels: the execution input and the states before the charge drops it.
    if (status === "SUCCEEDED") {
      expect(JSON.stringify(result.output)).not.toContain(token);
      expect(statesCarrying(result.history, token)).toEqual([
        "ExecutionStarted",
        "TaskStateEntered:ValidateOrder",
        "TaskScheduled",
        "TaskSucceeded",
        "TaskStateExited:ValidateOrder",
        "TaskStateEntered:ProcessPayment",
        "TaskScheduled",
      ]);
    } else {
      expect(result.error).toBe(token.startsWith("tok_declined") ? "Payment.Declined" : "Payment.TransientFailure");
      expect(result.cause ?? "").not.toContain(token);
      expect(statesCarrying(result.history, token)).toEqual(expect.arrayContaining(["TaskStateEntered:HandleError"]));
    }
  });

  test("a token of the wrong type (a card number) is masked in the validation error too", async () => {
    const result = await runWorkflow("order-processing", order(4242424242424242));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("CustomError.ValidationFailed");
    expect(JSON.parse(result.cause ?? "{}")).toMatchObject({
      errorType: "CustomError.ValidationFailed",
      errorMessage: "Invalid order: payment.token must be a non-empty string (received a number (value masked))",
    });
    expect(result.cause).not.toContain("4242424242424242");
    expect(logs.raw()).not.toContain("4242424242424242");
  });
});

test("the SQS bridge masks the token in the preview of a body that is not JSON", async () => {
  const body = '{"orderId":"o-9","payment":{"method":"card","token":"tok_sqs_SECRET444"}';
  const out = await processMessage({ Records: [{ messageId: "m-1", body } as never] }, { awsRequestId: "r-1" });
  expect(out.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }]);
  expect(logs.raw()).not.toContain("tok_sqs_SECRET444");
  expect(logs.lines().find((l) => l.messageId === "m-1")).toMatchObject({ bodyPreview: '{"orderId":"o-9","payment":{"method":"card","token":"****"}' });
});
