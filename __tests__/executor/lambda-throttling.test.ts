/**
 * Every shipped workflow retries Lambda's transient service errors: a
 * throttled first call to each function changes nothing but the history.
 * (This also covers each Task's Lambda Retry rule in the workflow coverage.)
 */
import { prepareWorkflow, runWorkflow, LambdaHandler } from "../../src/executor/index";
import { workflowNames } from "../../src/catalogue";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const START = "2024-06-01T08:00:00.000Z";
// batch-import's distributed Map reads and writes a local folder standing for S3 (a fresh copy of the fixtures per run).
const S3_FIXTURES = join(__dirname, "fixtures", "s3");
const s3Dirs: string[] = [];
const freshS3 = () => {
  const dir = mkdtempSync(join(tmpdir(), "throttle-s3-"));
  cpSync(S3_FIXTURES, dir, { recursive: true });
  s3Dirs.push(dir);
  return dir;
};
afterAll(() => s3Dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };
let stdout: jest.SpyInstance;
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

const order = { orderId: "ord-1001", customerId: "cus-42", items: [{ sku: "SKU-1", quantity: 2, unitPrice: 19.99 }], payment: { method: "card", token: "tok_visa" } };
const INPUTS: Record<string, unknown> = {
  "order-processing": order,
  "error-handling": order,
  sequential: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
  parallel: { orderId: "o-9", items: [{ sku: "A", quantity: 1, unitPrice: 100 }] },
  map: { items: [{ id: "a", value: 1 }] },
  choice: { ...order, orderType: "premium" },
  wait: { jobId: "job-1", scheduledTime: "2024-06-01T09:00:00Z", task: { type: "sum", payload: { values: [1, 2] } } },
  "data-transform": { data: [{ a: 1 }], config: {} },
  "batch-import": {},
};
// The states no input above reaches (each is reached by a failure path the workflow tests take).
const ERROR_INPUTS: Record<string, unknown> = { "order-processing": { orderId: "x" }, "error-handling": { orderId: "x" }, choice: { ...order, orderType: "standard" } };

// Wall-clock stamps, request ids, and the payment handler's attempt counter (it reads $$.State.RetryCount, so a retry shows there by design).
const normalise = (v: unknown) =>
  v === undefined
    ? undefined
    : JSON.parse(
    JSON.stringify(v)
      .replace(/"attempts":\d+/g, '"attempts":"<n>"')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>"),
  );

// order-fulfilment calls no function of its own: its Tasks are DynamoDB, S3 and SNS (mocked in
// __tests__/workflows/order-fulfilment.test.ts) and a nested order-processing, whose Retry rules are covered here.
const NO_FUNCTIONS_OF_ITS_OWN = ["order-fulfilment"];
const throttled = () => workflowNames().filter((n) => !NO_FUNCTIONS_OF_ITS_OWN.includes(n));

test("every workflow that calls functions has an input here", () => {
  expect(Object.keys(INPUTS).sort()).toEqual(throttled().sort());
});

const cases = throttled().flatMap((name) => [[name, INPUTS[name]] as const, ...(name in ERROR_INPUTS ? [[name, ERROR_INPUTS[name]] as const] : [])]);

test.each(cases)("%s: a throttled first call to each function is retried and changes nothing else", async (name, input) => {
  const prepared = await prepareWorkflow(name, EMPTY_ENV);
  const plain = await runWorkflow(name, input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1, s3Dir: freshS3() });
  const throttledOnce = new Set<string>();
  const resolveHandler = async (fn: string): Promise<LambdaHandler | undefined> => {
    const real = await prepared.resolveHandler(fn);
    if (!real) return undefined;
    return (async (event: unknown, context: unknown) => {
      if (!throttledOnce.has(fn)) {
        throttledOnce.add(fn);
        throw Object.assign(new Error("Rate exceeded"), { name: "Lambda.TooManyRequestsException" });
      }
      return (real as (e: unknown, c: unknown) => unknown)(event, context);
    }) as LambdaHandler;
  };
  const throttled = await runWorkflow(name, input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1, resolveHandler, s3Dir: freshS3() });
  expect(throttledOnce.size).toBeGreaterThan(0);
  expect(throttled.status).toBe(plain.status);
  expect(throttled.error).toBe(plain.error);
  expect(normalise(throttled.output)).toEqual(normalise(plain.output));
  const throttles = throttled.history.filter((e) => JSON.stringify(e).includes("Lambda.TooManyRequestsException")).length;
  expect(throttles).toBeGreaterThanOrEqual(throttledOnce.size);
});

test("error-handling: the generic error path retries a throttled handle-error too", async () => {
  const prepared = await prepareWorkflow("error-handling", EMPTY_ENV);
  let throttled = false;
  const r = await runWorkflow("error-handling", order, {
    ...EMPTY_ENV,
    startTime: START,
    resolveHandler: async (fn: string) => {
      if (fn.endsWith("-validate-order")) {
        return (() => {
          throw Object.assign(new Error("disk on fire"), { name: "Unexpected" });
        }) as LambdaHandler;
      }
      const real = (await prepared.resolveHandler(fn)) as (e: unknown, c: unknown) => unknown;
      return (async (event: unknown, context: unknown) => {
        if (!throttled) {
          throttled = true;
          throw Object.assign(new Error("Rate exceeded"), { name: "Lambda.TooManyRequestsException" });
        }
        return real(event, context);
      }) as LambdaHandler;
    },
  });
  expect(throttled).toBe(true);
  expect(r).toHaveVisited(["ValidateInput", "HandleGenericError", "Failed"]);
  expect(r).toHaveFailedWith("Unexpected");
});
