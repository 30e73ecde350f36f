/** The cost of an execution from its history, at the list prices in cost.ts. */
import { runDefinition, runWorkflow, executionCost, formatCost, STEP_FUNCTIONS_PRICES } from "../../src/executor/index";
import { cli } from "../cli/helpers";

const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };
let stdout: jest.SpyInstance;
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

const order = (token: string) => ({ orderId: "o-1", customerId: "c-1", items: [{ sku: "A", quantity: 1, unitPrice: 3 }], payment: { method: "card", token } });

test("the price table: us-east-1 list prices, with source and date", () => {
  expect(STEP_FUNCTIONS_PRICES).toMatchObject({ region: "us-east-1", source: "https://aws.amazon.com/step-functions/pricing/", standardPerStateTransition: 0.000025, expressPerRequest: 0.000001, expressPerGbHour: 0.06 });
  expect(STEP_FUNCTIONS_PRICES.expressPerGbSecond).toBeCloseTo(0.0000166667, 10);
  expect(STEP_FUNCTIONS_PRICES.date).toMatch(/^\d{4}-\d\d-\d\d$/);
});

test("Standard: one transition per state entered, plus each retry", async () => {
  const happy = executionCost(await runWorkflow("order-processing", order("tok_visa"), EMPTY_ENV));
  expect(happy).toMatchObject({ type: "STANDARD", stateTransitions: 3, retries: 0 });
  expect(happy.usd).toBeCloseTo(0.000075, 12);
  expect(happy.usdPer1000Executions).toBeCloseTo(0.075, 9);
  const retried = executionCost(await runWorkflow("order-processing", order("tok_unavailable_2"), EMPTY_ENV));
  expect(retried).toMatchObject({ stateTransitions: 5, retries: 2 });
  expect(formatCost(retried)).toBe(`Cost (STANDARD, us-east-1 list price of ${STEP_FUNCTIONS_PRICES.date}): 5 state transitions (2 retries) = $0.000125; $0.125000 per 1,000 executions`);
});

test("Map iterations' states count", async () => {
  const r = await runDefinition({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true } } }, [1, 2, 3]);
  expect(executionCost(r).stateTransitions).toBe(4);
});

test("Express: one request plus duration (100 ms steps) x memory (64 MB chunks)", async () => {
  const def = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, Next: "P" }, P: { Type: "Pass", End: true } } };
  const r = await runDefinition(def, {}, { stateMachineType: "EXPRESS" });
  const c = executionCost(r, { extraDurationMs: 250 });
  expect(c).toMatchObject({ type: "EXPRESS", requests: 1, billedDurationMs: 1300, billedMemoryMb: 64, stateTransitions: 2 });
  expect(c.gbSeconds).toBeCloseTo(0.0625 * 1.3, 12);
  expect(c.usd).toBeCloseTo(0.000001 + ((0.0625 * 1.3) / 3600) * 0.06, 15);
  expect(executionCost(r, { memoryMb: 100 }).billedMemoryMb).toBe(128);
  expect(executionCost(r, { type: "STANDARD" }).usd).toBeCloseTo(0.00005, 12);
});

test("sfn-workflows exec prints the cost; --json includes it (the catalogue's type decides)", async () => {
  const quiet = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const j = await cli(["exec", "data-transform", "--input", '{"data":[{"a":1}],"config":{}}', "--json"]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).cost).toMatchObject({ type: "EXPRESS", requests: 1, billedDurationMs: 100, billedMemoryMb: 64 });
    const t = await cli(["exec", "order-processing", "--input", JSON.stringify(order("tok_visa"))]);
    expect(t.stdout).toContain("Cost (STANDARD, us-east-1 list price of");
    expect(t.stdout).toContain("3 state transitions = $0.000075; $0.075000 per 1,000 executions");
  } finally {
    quiet.mockRestore();
  }
});
