/**
 * Every shipped workflow through the local executor with the real handlers
 * (handlers/*.ts), rendered for the default stage: the happy path and each
 * error path the templates promise.
 */
import { runWorkflow, ExecutionResult, HistoryEvent } from "../../src/executor/index";
import { stateVisits } from "../../src/executor/summary";
import { workflowNames } from "../../src/catalogue";

const START = "2024-06-01T08:00:00.000Z";
const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };

let stdout: jest.SpyInstance;
beforeEach(() => {
  // Handlers log JSON lines to stdout; keep the test output readable.
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

const run = (name: string, input: unknown, extra: object = {}) => runWorkflow(name, input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1, ...extra });
const visited = (r: ExecutionResult) => stateVisits(r.history).map((v) => v.name);
const elapsedSeconds = (r: ExecutionResult) => (r.stopDate.getTime() - r.startDate.getTime()) / 1000;
const failures = (h: HistoryEvent[]) => h.filter((e) => e.type === "TaskFailed").map((e) => (e.taskFailedEventDetails as { error: string }).error);

const order = (token: string, extra: object = {}) => ({
  orderId: "ord-1001",
  customerId: "cus-42",
  items: [
    { sku: "SKU-1", quantity: 2, unitPrice: 19.99 },
    { sku: "SKU-2", quantity: 1, unitPrice: 5 },
  ],
  payment: { method: "card", token },
  ...extra,
});

describe("order-processing", () => {
  test("happy path: validated, charged once, inventory reserved", async () => {
    const r = await run("order-processing", order("tok_visa"));
    expect(r.status).toBe("SUCCEEDED");
    expect(visited(r)).toEqual(["ValidateOrder", "ProcessPayment", "UpdateInventory"]);
    expect(r.output).toMatchObject({ orderId: "ord-1001", total: 44.98, payment: { status: "CHARGED", amount: 44.98, attempts: 1 } });
    expect(JSON.stringify(r.output)).not.toContain("tok_visa");
  });

  test("a transient payment failure is retried (2 s, then 4 s) and succeeds", async () => {
    const r = await run("order-processing", order("tok_unavailable_2"));
    expect(r.status).toBe("SUCCEEDED");
    expect(failures(r.history)).toEqual(["Payment.TransientFailure", "Payment.TransientFailure"]);
    expect(r.output).toMatchObject({ payment: { status: "CHARGED", attempts: 3 } });
    expect(elapsedSeconds(r)).toBe(6);
  });

  test("a transient failure that outlasts the retries is caught and recorded", async () => {
    const r = await run("order-processing", order("tok_unavailable_9"));
    expect(r).toMatchObject({ status: "FAILED", error: "Payment.TransientFailure" });
    expect(failures(r.history)).toHaveLength(4);
    expect(visited(r)).toEqual(["ValidateOrder", "ProcessPayment", "HandleError", "OrderFailed"]);
  });

  test("a declined payment is not retried; HandleError records it and the execution fails with it", async () => {
    const r = await run("order-processing", order("tok_declined_card"));
    expect(r).toMatchObject({ status: "FAILED", error: "Payment.Declined" });
    expect(JSON.parse(r.cause!)).toMatchObject({ errorType: "Payment.Declined" });
    expect(failures(r.history)).toEqual(["Payment.Declined"]);
    expect(visited(r)).toEqual(["ValidateOrder", "ProcessPayment", "HandleError", "OrderFailed"]);
  });

  test("a validation failure reaches HandleError with the error under $.error", async () => {
    const r = await run("order-processing", { orderId: "ord-1", items: [] });
    const entered = r.history.find((e) => e.type === "TaskStateEntered" && (e.stateEnteredEventDetails as { name: string }).name === "HandleError")!;
    const handleErrorInput = JSON.parse((entered.stateEnteredEventDetails as { input: string }).input);
    expect(handleErrorInput.error).toEqual({ Error: "CustomError.ValidationFailed", Cause: expect.stringContaining("Invalid order") });
    expect(r).toMatchObject({ status: "FAILED", error: "CustomError.ValidationFailed" });
  });

  test("an out-of-stock item fails UpdateInventory into the Catch path", async () => {
    const r = await run("order-processing", order("tok_visa", { items: [{ sku: "OOS-1", quantity: 1, unitPrice: 1 }] }));
    expect(r).toMatchObject({ status: "FAILED", error: "Inventory.OutOfStock" });
    expect(visited(r)).toEqual(["ValidateOrder", "ProcessPayment", "UpdateInventory", "HandleError", "OrderFailed"]);
  });
});

describe("error-handling", () => {
  test("valid input succeeds", async () => {
    const r = await run("error-handling", order("tok_visa"));
    expect(r.status).toBe("SUCCEEDED");
    expect(visited(r)).toEqual(["ValidateInput", "Succeeded"]);
  });

  test("a validation failure takes the validation path with the error under $.error", async () => {
    const r = await run("error-handling", { orderId: "x" });
    expect(visited(r)).toEqual(["ValidateInput", "HandleValidationError", "ValidationFailed"]);
    expect(r).toMatchObject({ status: "FAILED", error: "CustomError.ValidationFailed" });
  });

  test("anything else takes the generic path", async () => {
    const r = await run("error-handling", order("tok_visa"), {
      resolveHandler: (fn: string) =>
        fn.endsWith("-validate-order")
          ? () => {
              throw Object.assign(new Error("disk on fire"), { name: "Unexpected" });
            }
          : undefined,
    });
    expect(visited(r)).toEqual(["ValidateInput", "HandleGenericError", "Failed"]);
    expect(r).toMatchObject({ status: "FAILED", error: "Unexpected" });
  });

  test("Lambda's transient errors are retried before the catch", async () => {
    let calls = 0;
    const r = await run("error-handling", order("tok_visa"), {
      resolveHandler: (fn: string) =>
        fn.endsWith("-validate-order")
          ? (e: unknown) => {
              calls++;
              if (calls < 3) throw Object.assign(new Error("throttled"), { name: "Lambda.ServiceException" });
              return e;
            }
          : undefined,
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(calls).toBe(3);
    expect(elapsedSeconds(r)).toBe(2 + 4);
  });
});

describe("the other workflows", () => {
  test("sequential: normalise then enrich", async () => {
    const r = await run("sequential", { email: "  Ada@Example.COM ", firstName: " Ada ", lastName: "Lovelace" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ email: "ada@example.com", domain: "example.com", displayName: "Ada Lovelace" });
  });

  test("parallel: totals and risk side by side, then combined", async () => {
    const r = await run("parallel", { orderId: "o-9", items: [{ sku: "A", quantity: 1, unitPrice: 100 }] });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.history.map((e) => e.type)).toEqual(expect.arrayContaining(["ParallelStateStarted", "ParallelStateSucceeded"]));
    expect(visited(r)).toEqual(expect.arrayContaining(["ParallelProcessing", "ProcessA", "ProcessB", "CombineResults"]));
  });

  test("map: every item processed, in order, with its index", async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ sku: `S${i}`, quantity: i + 1, unitPrice: 2 }));
    const r = await run("map", { items });
    expect(r.status).toBe("SUCCEEDED");
    const results = (r.output as { results: Array<{ index: number; status: string; lineTotal: number }> }).results;
    expect(results.map((x) => x.index)).toEqual(items.map((_, i) => i));
    expect(results[3]).toMatchObject({ status: "PROCESSED", lineTotal: 8 });
  });

  test.each([
    ["premium", "PremiumProcessing"],
    ["standard", "StandardProcessing"],
  ])("choice: %s orders go to %s", async (orderType, state) => {
    const r = await run("choice", { ...order("tok_visa"), orderType });
    expect(r.status).toBe("SUCCEEDED");
    expect(visited(r)).toEqual(["CheckCondition", state]);
  });

  test("wait: 30 s, then until scheduledTime, on the virtual clock", async () => {
    const scheduledTime = "2024-06-01T09:00:00Z";
    const t0 = Date.now();
    const r = await run("wait", { jobId: "job-1", scheduledTime, task: { type: "sum", payload: { values: [1, 2, 3] } } });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.stopDate.toISOString()).toBe("2024-06-01T09:00:00.000Z");
    expect(visited(r)).toEqual(["WaitForProcessing", "CheckStatus", "IsScheduled", "WaitUntilScheduled", "ExecuteScheduledTask"]);
  });

  test("wait: without scheduledTime it is done after the check", async () => {
    const r = await run("wait", { jobId: "job-2" });
    expect(visited(r)).toEqual(["WaitForProcessing", "CheckStatus", "IsScheduled", "Done"]);
    expect(elapsedSeconds(r)).toBe(30);
  });

  test("data-transform: processedAt is the state's entered time (Parameters, not a static Result)", async () => {
    const r = await run("data-transform", { data: [{ a: 1 }, { a: 2 }], config: {} });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ metadata: { processedAt: START, status: "processed" }, result: { value: { count: 2 } } });
  });

  test("every catalogued workflow is covered above", () => {
    // order-fulfilment (mocked services, nested order-processing): __tests__/workflows/order-fulfilment.test.ts;
    // batch-import (distributed Map over a local S3 folder): __tests__/executor/distributed-map.test.ts.
    expect(workflowNames().sort()).toEqual(["batch-import", "choice", "data-transform", "error-handling", "map", "order-fulfilment", "order-processing", "parallel", "sequential", "wait"]);
  });
});
