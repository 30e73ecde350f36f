/**
 * The test kit: matchers, the call recorder, the missing-mock check and
 * workflow coverage.
 */
import { runDefinition, runWorkflow, CallRecorder, missingMocks, MissingMocksError, stateVisits, testState } from "../../src/executor/index";
import { buildCoverageReport, coverageItems, formatCoverage, coverageHtml, coverageObserver, enableWorkflowCoverage, workflowCoverageCounts } from "../../src/executor/coverage";

const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };
let stdout: jest.SpyInstance;
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

const order = (token: string) => ({
  orderId: "ord-1",
  customerId: "cus-1",
  items: [{ sku: "SKU-1", quantity: 2, unitPrice: 10 }],
  payment: { method: "card", token },
});

const machine = {
  StartAt: "Check",
  States: {
    Check: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 5, Next: "Big" }, { Variable: "$.n", NumericEquals: 0, Next: "Notify" }], Default: "Small" },
    Big: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:big", Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Small" }], End: true },
    Small: { Type: "Pass", End: true },
    Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Next: "Wait" },
    Wait: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true },
  },
};

describe("matchers", () => {
  test("toHaveVisited (a state, or states in order), toHaveSucceededWith", async () => {
    const r = await runWorkflow("order-processing", order("tok_visa"), EMPTY_ENV);
    expect(r).toHaveVisited("ProcessPayment");
    expect(r).toHaveVisited(["ValidateOrder", "UpdateInventory"]);
    expect(r).not.toHaveVisited(["UpdateInventory", "ValidateOrder"]);
    expect(r).not.toHaveVisited("HandleError");
    expect(r).toHaveSucceededWith({ orderId: "ord-1" });
    expect(() => expect(r).toHaveVisited("HandleError")).toThrow(/visited: ValidateOrder -> ProcessPayment -> UpdateInventory/);
  });

  test("toHaveFailedWith: error, cause text, RegExp or fields of its JSON; testState responses too", async () => {
    const r = await runWorkflow("order-processing", order("tok_declined_card"), EMPTY_ENV);
    expect(r).toHaveFailedWith(r.error!);
    expect(r).toHaveFailedWith(/./, r.cause!);
    expect(r).not.toHaveSucceededWith();
    expect(() => expect(r).toHaveFailedWith("Nope")).toThrow(/received status FAILED/);
    const ok = await runWorkflow("order-processing", order("tok_visa"), EMPTY_ENV);
    expect(ok).not.toHaveFailedWith(/.*/);
    const t = await testState({ definition: { Type: "Fail", Error: "E", Cause: '{"errorType":"X","n":1}' } });
    expect(t).toHaveFailedWith("E", { errorType: "X" });
    expect(t).not.toHaveFailedWith("E", { errorType: "Y" });
  });
});

describe("CallRecorder", () => {
  test("records mock and handler calls with their inputs and results", async () => {
    const calls = new CallRecorder();
    const r = await runDefinition(
      machine,
      { n: 9 },
      calls.options({ lambdas: { big: async (e: { n: number }) => ({ doubled: e.n * 2 }) } }),
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(calls.calls).toEqual([{ kind: "lambda", function: "arn:aws:lambda:us-east-1:123456789012:function:big", state: "Big", input: { n: 9 }, output: { doubled: 18 } }]);
    expect(calls.inputsTo("Big")).toEqual([{ n: 9 }]);
  });

  test("mocks: each invocation, its input and its error", async () => {
    const calls = new CallRecorder();
    let n = 0;
    const r = await runDefinition(machine, { n: 0 }, calls.options({ mocks: { Notify: () => ({ MessageId: "m-1" }), Wait: (p) => ({ got: p, n: n++ }) } }));
    expect(r.status).toBe("SUCCEEDED");
    expect(calls.callsTo("Notify")).toEqual([{ kind: "mock", state: "Notify", input: { n: 0 }, invocation: 0, output: { MessageId: "m-1" } }]);
    const failing = new CallRecorder();
    await runDefinition(machine, { n: 9 }, failing.options({ mocks: { Big: () => { throw Object.assign(new Error("slow"), { name: "Busy" }); } } }));
    expect(failing.callsTo("Big").map((c) => c.error)).toEqual([
      { name: "Busy", message: "slow" },
      { name: "Busy", message: "slow" },
      { name: "Busy", message: "slow" },
      { name: "Busy", message: "slow" },
    ]);
  });
});

describe("missing mocks, listed before the run", () => {
  test("every Task that would need a mock, with why", async () => {
    expect(await missingMocks(machine, {})).toEqual([
      { state: "Big", path: "Big", resource: "arn:aws:lambda:us-east-1:123456789012:function:big", reason: "no handler for arn:aws:lambda:us-east-1:123456789012:function:big" },
      { state: "Notify", path: "Notify", resource: "arn:aws:states:::sns:publish", reason: "arn:aws:states:::sns:publish: not Lambda" },
      { state: "Wait", path: "Wait", resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", reason: "arn:aws:states:::sqs:sendMessage.waitForTaskToken: a callback" },
    ]);
    expect(await missingMocks(machine, { lambdas: { big: async () => 1 }, mocks: { Notify: () => 1, Wait: () => 1 } })).toEqual([]);
  });

  test("requireMocks refuses the run in one error that names them all", async () => {
    const p = runDefinition(machine, { n: 1 }, { requireMocks: true, mocks: { Notify: () => 1 } });
    await expect(p).rejects.toBeInstanceOf(MissingMocksError);
    await expect(p).rejects.toThrow(/^2 states would need a mock before this run: Big \(no handler for .*\); Wait \(.*a callback\)\. Pass mocks: \{ "Big": \.\.\., "Wait": \.\.\. \}/);
  });

  test("the shipped workflows need no mock with their real handlers", async () => {
    const r = await runWorkflow("order-processing", order("tok_visa"), { ...EMPTY_ENV, requireMocks: true });
    expect(r.status).toBe("SUCCEEDED");
  });
});

describe("workflow coverage", () => {
  test("items: states, Choice rules and Default, Retry, Catch, branches", () => {
    const items = coverageItems({
      StartAt: "P",
      States: { P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], Next: "C" }, ...machine.States },
    });
    expect(items.map((i) => `${i.kind}:${i.key}`)).toEqual([
      "state:P", "branch:P/Branches[0]", "state:P/Branches[0]/A",
      "state:Check", "choice:Check#0", "choice:Check#1", "default:Check#Default",
      "state:Big", "retry:Big#0", "catch:Big#0",
      "state:Small", "state:Notify", "state:Wait",
    ]);
  });

  test("what runs take is counted; the table lists what was not taken", async () => {
    enableWorkflowCoverage();
    const before = workflowCoverageCounts()["unit-test-machine"];
    expect(before).toBeUndefined();
    let calls = 0;
    for (const n of [9, 1]) {
      await runDefinition(machine, { n }, {
        observer: coverageObserver("unit-test-machine"),
        lambdas: { big: async () => { if (calls++ === 0) throw Object.assign(new Error("x"), { name: "Busy" }); return 1; } },
      });
    }
    const counts = workflowCoverageCounts()["unit-test-machine"];
    expect(counts).toEqual({ executions: 2, entered: { Check: 2, Big: 1, Small: 1 }, choices: { "Check#0": 1, "Check#Default": 1 }, retries: { "Big#0": 1 }, catches: {} });
    const report = buildCoverageReport({ "unit-test-machine": machine }, { "unit-test-machine": counts }, new Date(0));
    expect(report.covered).toBe(6);
    expect(report.total).toBe(10);
    const table = formatCoverage(report);
    expect(table).toMatch(/unit-test-machine\s+2\s+3\/5\s+2\/3\s+1\/1\s+0\/1\s+-\s+60%/);
    expect(table).toContain("unit-test-machine: Check Choices[1] -> Notify");
    expect(table).toContain("unit-test-machine: Big Catch[0] [States.ALL] -> Small");
    expect(coverageHtml(report)).toContain('<tr class="miss"><td>Check Choices[1] -&gt; Notify</td>');
  });
});

test("stateVisits is exported", async () => {
  const r = await runDefinition({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }, {});
  expect(stateVisits(r.history).map((v) => v.name)).toEqual(["A"]);
});

describe("the README's examples", () => {
  test("a recorder, ordered visits and a partial output", async () => {
    const calls = new CallRecorder();
    const r = await runWorkflow("order-processing", order("tok_unavailable_1"), calls.options({ ...EMPTY_ENV, mocks: { UpdateInventory: () => ({ Payload: { orderId: "ord-1", status: "COMPLETED" } }) } }));
    expect(r).toHaveVisited(["ValidateOrder", "ProcessPayment", "UpdateInventory"]);
    expect(calls.inputsTo("UpdateInventory")).toHaveLength(1);
    expect(calls.callsTo("ProcessPayment").map((c) => c.error?.name)).toEqual(["Payment.TransientFailure", undefined]);
    expect(r).toHaveSucceededWith({ status: "COMPLETED" });
    expect(calls.inputsTo("my-app-dev-process-payment")).toHaveLength(2); // by function name too
  });

  test("declined", async () => {
    const r = await runWorkflow("order-processing", order("tok_declined_card"), EMPTY_ENV);
    expect(r).toHaveFailedWith("Payment.Declined", { errorType: "Payment.Declined" });
  });
});

test("coverage records: each test file's flush is read back and summed by the teardown's reader", () => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  const { join } = require("node:path") as typeof import("node:path");
  const { flushWorkflowCoverage, readCoverageRecords } = require("../../src/executor/coverage") as typeof import("../../src/executor/coverage");
  const dir = mkdtempSync(join(tmpdir(), "wf-coverage-"));
  // A store of its own: this file's real records stay for the jest teardown.
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for("sfn-workflows.workflow-coverage");
  const saved = holder[key];
  holder[key] = {};
  const flushAs = (n: number) => {
    for (let i = 0; i < n; i++) coverageObserver("round-trip")!.stateEntered!({ path: "A" } as never, {});
    return flushWorkflowCoverage(dir);
  };
  expect(flushAs(2)).toMatch(/\.json$/);
  expect(flushAs(3)).toMatch(/\.json$/);
  expect(workflowCoverageCounts()).toEqual({}); // a flush starts afresh
  expect(readCoverageRecords(dir)["round-trip"]).toEqual({ executions: 5, entered: { A: 5 }, choices: {}, retries: {}, catches: {} });
  holder[key] = saved;
});
