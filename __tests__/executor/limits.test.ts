import { runDefinition, InvalidExecutionInputError } from "../../src/executor/index";
import { JSONATA_LIMITS } from "../../src/executor/jsonata";

const START = "2024-05-01T12:00:00.000Z";
const HISTORY_CAUSE = "The execution reached the maximum number of history events (25000).";
const MB = 1024 * 1024;

/** Runs and checks that the heap did not grow without bound along the way. */
async function bounded(definition: object, input: unknown, options: Parameters<typeof runDefinition>[2] = {}) {
  const before = process.memoryUsage().heapUsed;
  const started = Date.now();
  const result = await runDefinition(definition, input, { startTime: START, history: false, ...options });
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(process.memoryUsage().heapUsed - before).toBeLessThan(400 * MB);
  return result;
}

describe("runaway executions end with AWS's error, in seconds, in bounded memory", () => {
  test("a Choice loop without an end fails at 25,000 history events", async () => {
    const def = {
      StartAt: "Loop",
      States: { Loop: { Type: "Choice", Choices: [{ Variable: "$.go", BooleanEquals: true, Next: "Loop" }], Default: "Done" }, Done: { Type: "Succeed" } },
    };
    const r = await bounded(def, { go: true });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: HISTORY_CAUSE });
  });

  test("the history stops at event 25,000, an ExecutionFailed", async () => {
    const def = { StartAt: "Loop", States: { Loop: { Type: "Pass", Next: "Loop" } } };
    const r = await bounded(def, {}, { history: true });
    expect(r.history).toHaveLength(25_000);
    expect(r.history[24_999]).toMatchObject({ id: 25_000, type: "ExecutionFailed" });
  });

  test("a Wait loop fails at 25,000 history events", async () => {
    const def = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, Next: "W" } } };
    const r = await bounded(def, {});
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: HISTORY_CAUSE });
  });

  test("Retry with MaxAttempts 99999999 and a constant interval fails at 25,000 history events", async () => {
    const def = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:boom", Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 99999999, BackoffRate: 1 }], End: true } },
    };
    const boom = async () => {
      throw new Error("no");
    };
    const r = await bounded(def, {}, { lambdas: { boom } });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: HISTORY_CAUSE });
  });

  test("Retry with MaxAttempts 99999999 and a growing back-off times out at AWS's one-year maximum", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:boom", Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 99999999 }], End: true } } };
    const r = await bounded(def, {}, { lambdas: { boom: () => Promise.reject(new Error("no")) } });
    expect(r.status).toBe("TIMED_OUT");
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(365 * 24 * 3600 * 1000);
  });

  test("a Map over 100,000 items fails at 25,000 history events", async () => {
    const def = { StartAt: "M", States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } };
    const r = await bounded(def, { items: new Array(100_000).fill(0) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: HISTORY_CAUSE });
  });

  test("Parallel branches share the execution's history limit", async () => {
    const loop = { StartAt: "L", States: { L: { Type: "Pass", Next: "L" } } };
    const def = { StartAt: "P", States: { P: { Type: "Parallel", Branches: [loop, loop], End: true } } };
    const r = await bounded(def, {});
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: HISTORY_CAUSE });
  });

  test("a payload that keeps doubling fails with States.DataLimitExceeded (JSONPath)", async () => {
    const def = { StartAt: "D", States: { D: { Type: "Pass", Parameters: { "a.$": "$", "b.$": "$" }, Next: "D" } } };
    const r = await bounded(def, { seed: "x".repeat(100) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded", cause: "The state/task 'D' returned a result with a size exceeding the maximum number of bytes service limit." });
  });

  test("a payload that keeps doubling fails with States.DataLimitExceeded (JSONata)", async () => {
    const def = { QueryLanguage: "JSONata", StartAt: "D", States: { D: { Type: "Pass", Output: "{% $append($states.input, $states.input) %}", Next: "D" } } };
    const r = await bounded(def, ["x".repeat(100)]);
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });

  test("an intrinsic result over 256 KiB is States.DataLimitExceeded", async () => {
    const def = { StartAt: "D", States: { D: { Type: "Pass", Parameters: { "a.$": "States.Array($.s, $.s)" }, End: true } } };
    const r = await bounded(def, { s: "y".repeat(150 * 1024) });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  test("a Pass state whose Result is over 256 KiB fails with States.DataLimitExceeded (4-byte characters count as 4)", async () => {
    const def = { StartAt: "State_1", States: { State_1: { Type: "Pass", Result: { Arg1: "\u{10348}".repeat((257 * 1024) / 4) }, End: true } } };
    const r = await bounded(def, {});
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded", cause: "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit." });
  });

  describe("JSONata that does not end", () => {
    const saved = { ...JSONATA_LIMITS };
    afterEach(() => Object.assign(JSONATA_LIMITS, saved));

    test("a recursive function is stopped at the depth bound", async () => {
      const def = { QueryLanguage: "JSONata", StartAt: "J", States: { J: { Type: "Pass", Output: "{% ($f := function($x) { $f($x) + 1 }; $f(0)) %}", End: true } } };
      const r = await bounded(def, {});
      expect(r.status).toBe("FAILED");
      expect(r.error).toBe("States.QueryEvaluationError");
      expect(r.cause).toContain("nested deeper than 2000 levels");
    });

    test("a tail-recursive loop is stopped at the time bound", async () => {
      JSONATA_LIMITS.timeMs = 300;
      const def = { QueryLanguage: "JSONata", StartAt: "J", States: { J: { Type: "Pass", Output: "{% ($f := function($x) { $f($x + 1) }; $f(0)) %}", End: true } } };
      const r = await bounded(def, {});
      expect(r.status).toBe("FAILED");
      expect(r.error).toBe("States.QueryEvaluationError");
      expect(r.cause).toContain("did not finish within 0.3 s");
    });

    test("a string that doubles without end is stopped at the size bound", async () => {
      const def = { QueryLanguage: "JSONata", StartAt: "J", States: { J: { Type: "Pass", Output: "{% ($f := function($s) { $f($s & $s) }; $f('x')) %}", End: true } } };
      const r = await bounded(def, {});
      expect(r.status).toBe("FAILED");
      expect(r.cause).toContain("more than the local executor allows");
    });
  });

  test("a 10 MB execution input is refused before the run, as StartExecution refuses it", async () => {
    const input = { blob: "z".repeat(10 * MB) };
    await expect(runDefinition({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, input)).rejects.toThrow(InvalidExecutionInputError);
    await expect(runDefinition({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, input)).rejects.toThrow(
      /Member must have length less than or equal to 262144 \(received 10485771 bytes\)/,
    );
  });

  test("a 10,000-level nested input is refused with a clear one-line error, not a stack trace", async () => {
    let input: unknown = {};
    for (let i = 0; i < 10_000; i++) input = { a: input };
    const err = await runDefinition({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, input).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidExecutionInputError);
    expect(err.message).toBe(
      "Execution input: nested more than 1000 levels deep, more than the local executor supports. Flatten the input (or pass a reference to the data instead of the data).",
    );
  });

  test("States.ArrayRange refuses more than 1,000 items", async () => {
    const def = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "r.$": "States.ArrayRange(1, 1001, 1)" }, End: true } } };
    const r = await bounded(def, {});
    expect(r).toMatchObject({ status: "FAILED", error: "States.IntrinsicFailure" });
    expect(r.cause).toContain("would produce 1001 items");
  });
});
