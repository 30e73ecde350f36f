/**
 * testState: the TestState API's request and response, and agreement with a
 * full run at every state of every shipped workflow.
 */
import { runWorkflow, prepareWorkflow, testState, TestStateValidationError, HistoryEvent } from "../../src/executor/index";

const START = "2024-06-01T08:00:00.000Z";
const EMPTY_ENV = { cwd: "/nonexistent-so-defaults-apply" };

let stdout: jest.SpyInstance;
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

describe("AWS's documented examples (developer guide, \"Using TestState API to test a state\")", () => {
  test("Example 1: INFO on a Choice state", async () => {
    const r = await testState({
      definition: '{"Type": "Choice", "Choices": [{"Variable": "$.number", "NumericEquals": 1, "Next": "Equals 1"}, {"Variable": "$.number", "NumericEquals": 2, "Next": "Equals 2"}], "Default": "No Match"}',
      roleArn: "arn:aws:iam::123456789012:role/myRole",
      input: '{"number": 2}',
    });
    expect(r).toEqual({ output: '{"number": 2}', nextState: "Equals 2", status: "SUCCEEDED" });
  });

  test("Example 2: DEBUG on a Pass state's input and output processing", async () => {
    const r = await testState({
      definition: '{"Type": "Pass", "InputPath": "$.payload", "Parameters": {"data": 1}, "ResultPath": "$.result", "OutputPath": "$.result.data", "Next": "Another State"}',
      roleArn: "arn:aws:iam::123456789012:role/myRole",
      input: '{"payload": {"foo": "bar"}}',
      inspectionLevel: "DEBUG",
    });
    expect(r).toEqual({
      output: "1",
      inspectionData: {
        input: '{"payload": {"foo": "bar"}}',
        afterInputPath: '{"foo":"bar"}',
        afterParameters: '{"data":1}',
        afterResultSelector: '{"data":1}',
        afterResultPath: '{"payload":{"foo":"bar"},"result":{"data":1}}',
      },
      nextState: "Another State",
      status: "SUCCEEDED",
    });
  });

  test("mocked Lambda invoke at DEBUG (the mocking guide's example)", async () => {
    const r = await testState({
      definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "process-order" }, End: true },
      input: "{}",
      mock: { result: '{"orderId":"12345","status":"processed"}' },
      inspectionLevel: "DEBUG",
    });
    const out = '{"orderId":"12345","status":"processed"}';
    expect(r).toEqual({
      output: out,
      inspectionData: { input: "{}", afterInputPath: "{}", afterParameters: '{"FunctionName":"process-order"}', result: out, afterResultSelector: out, afterResultPath: out },
      status: "SUCCEEDED",
    });
  });
});

/** Responses recorded against AWS (TestState with stateConfiguration, November 2025), rebuilt here. */
describe("AWS-recorded stateConfiguration behaviour", () => {
  const VALUES = JSON.stringify({ Values: ["first", "second", "third"] });
  const mockError = { errorOutput: { error: "MockException", cause: "Mock the cause of the error." } };
  const taskRetry = {
    QueryLanguage: "JSONata",
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Arguments: { FunctionName: "foo", Payload: "bar" },
    Retry: [{ ErrorEquals: ["MockException"], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2.0 }],
    End: true,
  };

  test("retrierRetryCount 4 of 5: RETRIABLE after 16 s; 5: FAILED naming the retrier", async () => {
    const below = await testState({ definition: taskRetry, input: VALUES, inspectionLevel: "DEBUG", mock: mockError, stateConfiguration: { retrierRetryCount: 4 } });
    expect(below).toEqual({
      cause: "Mock the cause of the error.",
      error: "MockException",
      inspectionData: { afterArguments: '{"FunctionName":"foo","Payload":"bar"}', errorDetails: { retryBackoffIntervalSeconds: 16, retryIndex: 0 }, input: VALUES },
      status: "RETRIABLE",
    });
    const over = await testState({ definition: taskRetry, input: VALUES, inspectionLevel: "DEBUG", mock: mockError, stateConfiguration: { retrierRetryCount: 5 } });
    expect(over).toEqual({
      cause: "Mock the cause of the error.",
      error: "MockException",
      inspectionData: { afterArguments: '{"FunctionName":"foo","Payload":"bar"}', errorDetails: { retryIndex: 0 }, input: VALUES },
      status: "FAILED",
    });
  });

  const processor = { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "TestState", States: { TestState: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "foo", Payload: "bar" }, End: true } } };
  const baseMap = { Type: "Map", QueryLanguage: "JSONata", Items: "{% $states.input.Values %}", ItemProcessor: processor, Output: "{% $states.result %}", End: true };
  const mapRetry = { ...baseMap, Output: undefined, Retry: [{ ErrorEquals: ["MockException"], MaxAttempts: 3 }, { ErrorEquals: ["States.ExceedToleratedFailureThreshold"], MaxAttempts: 2 }], ToleratedFailureCount: 1 };
  const mapCatch = { ...baseMap, Output: undefined, Catch: [{ ErrorEquals: ["MockException"], Next: "X" }, { ErrorEquals: ["States.ExceedToleratedFailureThreshold"], Next: "HandleThreshold" }], ToleratedFailureCount: 1, End: undefined, Next: "After" };

  test("mapIterationFailureCount over ToleratedFailureCount: the Map's own Retry, then Catch", async () => {
    const under = await testState({ definition: mapRetry, input: VALUES, inspectionLevel: "DEBUG", mock: { result: "[1, 1, 1]" }, stateConfiguration: { mapIterationFailureCount: 0 } });
    expect(under).toEqual({ inspectionData: { input: VALUES, maxConcurrency: 0, toleratedFailureCount: 1 }, output: "[1,1,1]", status: "SUCCEEDED" });
    const over = await testState({ definition: mapRetry, input: VALUES, inspectionLevel: "DEBUG", mock: { result: "[0, 0, 1]" }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(over).toEqual({
      cause: "The specified tolerated failure threshold was exceeded",
      error: "States.ExceedToleratedFailureThreshold",
      inspectionData: { errorDetails: { retryBackoffIntervalSeconds: 1, retryIndex: 1 }, input: VALUES, maxConcurrency: 0, toleratedFailureCount: 1 },
      status: "RETRIABLE",
    });
    const caught = await testState({ definition: mapCatch, input: VALUES, inspectionLevel: "DEBUG", mock: { result: "[0, 0, 1]" }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(caught).toMatchObject({ status: "CAUGHT_ERROR", error: "States.ExceedToleratedFailureThreshold", nextState: "HandleThreshold", inspectionData: { errorDetails: { catchIndex: 1 }, maxConcurrency: 0, toleratedFailureCount: 1 } });
  });

  test("without a tolerance the failure count is not checked; a mocked error wins over it", async () => {
    const r = await testState({ definition: baseMap, input: VALUES, mock: { result: "[0, 0, 1]" }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(r).toEqual({ output: "[0,0,1]", status: "SUCCEEDED" });
    const e = await testState({
      definition: { ...baseMap, ToleratedFailureCount: 1 },
      input: VALUES,
      mock: { errorOutput: { error: "MockException", cause: "Mock the error cause." } },
      stateConfiguration: { mapIterationFailureCount: 2, errorCausedByState: "TestState" },
    });
    expect(e).toEqual({ cause: "Mock the error cause.", error: "MockException", status: "FAILED" });
  });
});

describe("request and response (API reference)", () => {
  test("a Pass state at DEBUG shows each processing step", async () => {
    const r = await testState({
      definition: JSON.stringify({ Type: "Pass", InputPath: "$.order", Parameters: { "id.$": "$.id" }, ResultPath: "$.picked", Next: "After" }),
      input: JSON.stringify({ order: { id: 7, x: 1 } }),
      inspectionLevel: "DEBUG",
    });
    expect(r).toEqual({
      status: "SUCCEEDED",
      output: JSON.stringify({ order: { id: 7, x: 1 }, picked: { id: 7 } }),
      nextState: "After",
      inspectionData: {
        input: JSON.stringify({ order: { id: 7, x: 1 } }),
        afterInputPath: JSON.stringify({ id: 7, x: 1 }),
        afterParameters: JSON.stringify({ id: 7 }),
        afterResultSelector: JSON.stringify({ id: 7 }),
        afterResultPath: JSON.stringify({ order: { id: 7, x: 1 }, picked: { id: 7 } }),
      },
    });
  });

  test("INFO (the default) returns no inspectionData", async () => {
    const r = await testState({ definition: { Type: "Pass", End: true }, input: '{"a":1}' });
    expect(r).toEqual({ status: "SUCCEEDED", output: '{"a":1}' });
  });

  test("a mocked Task result goes through ResultSelector and ResultPath", async () => {
    const r = await testState({
      definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", "Payload.$": "$" }, ResultSelector: { "v.$": "$.Payload.v" }, ResultPath: "$.r", End: true },
      input: '{"k":1}',
      mock: { result: JSON.stringify({ Payload: { v: 42 }, StatusCode: 200 }) },
      inspectionLevel: "DEBUG",
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(JSON.parse(r.output!)).toEqual({ k: 1, r: { v: 42 } });
    expect(r.inspectionData!.afterParameters).toBe(JSON.stringify({ FunctionName: "f", Payload: { k: 1 } }));
    expect(r.inspectionData!.afterResultSelector).toBe('{"v":42}');
    expect(r.nextState).toBeUndefined();
  });

  const retrying = {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: "f" },
    Retry: [{ ErrorEquals: ["Other"] }, { ErrorEquals: ["Boom"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
    Catch: [{ ErrorEquals: ["Nope"], Next: "X" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Recover" }],
    Next: "Done",
  };

  test("a mocked error with retries left is RETRIABLE, with the retrier's index and back-off", async () => {
    const r0 = await testState({ definition: retrying, mock: { errorOutput: { error: "Boom", cause: "bad" } }, inspectionLevel: "DEBUG" });
    expect(r0).toMatchObject({ status: "RETRIABLE", error: "Boom", cause: "bad", inspectionData: { errorDetails: { retryIndex: 1, retryBackoffIntervalSeconds: 2 } } });
    expect(r0.nextState).toBeUndefined();
    const r1 = await testState({ definition: retrying, mock: { errorOutput: { error: "Boom", cause: "bad" } }, inspectionLevel: "DEBUG", stateConfiguration: { retrierRetryCount: 1 } });
    expect(r1.inspectionData!.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 6 });
  });

  test("retries spent: CAUGHT_ERROR with the catcher's index, Next and output", async () => {
    const r = await testState({
      definition: retrying,
      input: '{"a":1}',
      mock: { errorOutput: { error: "Boom", cause: "bad" } },
      inspectionLevel: "DEBUG",
      stateConfiguration: { retrierRetryCount: 2 },
    });
    expect(r).toMatchObject({ status: "CAUGHT_ERROR", error: "Boom", cause: "bad", nextState: "Recover", inspectionData: { errorDetails: { catchIndex: 1 } } });
    expect(JSON.parse(r.output!)).toEqual({ a: 1, err: { Error: "Boom", Cause: "bad" } });
  });

  test("an error nothing handles is FAILED", async () => {
    const r = await testState({ definition: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true }, mock: { errorOutput: { error: "SQS.Down", cause: "c" } } });
    expect(r).toEqual({ status: "FAILED", error: "SQS.Down", cause: "c" });
  });

  test("Fail and Choice states", async () => {
    expect(await testState({ definition: { Type: "Fail", Error: "E", Cause: "C" } })).toEqual({ status: "FAILED", error: "E", cause: "C" });
    const choice = { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 5, Next: "Big" }], Default: "Small" };
    expect(await testState({ definition: choice, input: '{"n":9}' })).toEqual({ status: "SUCCEEDED", output: '{"n":9}', nextState: "Big" });
    expect((await testState({ definition: choice, input: '{"n":1}' })).nextState).toBe("Small");
  });

  test("variables and context are the state's scope; JSONata shows afterArguments", async () => {
    const r = await testState({
      definition: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% {'v': $limit, 'n': $states.context.Execution.Name, 'a': $states.input.a} %}", Assign: { seen: "{% true %}" }, End: true },
      input: '{"a":2}',
      variables: '{"limit":10}',
      context: '{"Execution":{"Name":"exec-1"}}',
      inspectionLevel: "DEBUG",
    });
    expect(JSON.parse(r.output!)).toEqual({ v: 10, n: "exec-1", a: 2 });
    expect(JSON.parse(r.inspectionData!.variables!)).toEqual({ limit: 10, seen: true });
    expect(r.inspectionData!.afterInputPath).toBeUndefined();
  });

  test("stateName picks a state inside a full definition, in a Map processor too", async () => {
    const def = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "M" },
        M: { Type: "Map", ItemProcessor: { StartAt: "Inner", States: { Inner: { Type: "Pass", Result: "x", End: true } } }, End: true },
      },
    };
    expect(await testState({ definition: def, stateName: "Inner" })).toEqual({ status: "SUCCEEDED", output: '"x"' });
    expect(await testState({ definition: def, stateName: "A", input: "[1]" })).toEqual({ status: "SUCCEEDED", output: "[1]", nextState: "M" });
  });

  test("a mocked Map: the mock is its result; mapIterationFailureCount over the tolerance fails it", async () => {
    const map = { Type: "Map", ItemsPath: "$.items", ToleratedFailureCount: 1, ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, ResultPath: "$.out", End: true };
    const ok = await testState({ definition: map, input: '{"items":[1,2,3]}', mock: { result: "[10,20,30]" }, stateConfiguration: { mapIterationFailureCount: 1 } });
    expect(ok).toEqual({ status: "SUCCEEDED", output: '{"items":[1,2,3],"out":[10,20,30]}' });
    const over = await testState({ definition: { ...map, ResultPath: undefined }, input: '{"items":[1,2,3]}', mock: { result: "[]" }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(over).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
  });

  test.each([
    [{ definition: "{nope" }, /definition is not valid JSON/],
    [{ definition: { Type: "Pass" }, input: "{" }, /input is not valid JSON/],
    [{ definition: { StartAt: "A", States: { A: { Type: "Pass", End: true } } } }, /pass stateName/],
    [{ definition: { StartAt: "A", States: { A: { Type: "Pass", End: true } } }, stateName: "B" }, /names no state.*States: A/],
    [{ definition: { Type: "Pass", End: true }, mock: { result: "1" } }, /mock applies to Task, Map and Parallel/],
    [{ definition: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true } }, /only with a mock/],
    [{ definition: { Type: "Pass", End: true }, inspectionLevel: "LOUD" }, /inspectionLevel must be/],
  ] as const)("refuses a bad request in one line (%#)", async (request, message) => {
    const p = testState(request as never);
    await expect(p).rejects.toBeInstanceOf(TestStateValidationError);
    await expect(p).rejects.toThrow(message);
  });
});

/** The same inputs the workflow tests use: happy and error paths. */
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
const CASES: Array<[string, unknown]> = [
  ["order-processing", order("tok_visa")],
  ["order-processing", order("tok_declined_card")],
  ["order-processing", order("tok_unavailable_2")],
  ["order-processing", order("tok_unavailable_9")],
  ["order-processing", { orderId: "ord-1", items: [] }],
  ["order-processing", order("tok_visa", { items: [{ sku: "OOS-1", quantity: 1, unitPrice: 1 }] })],
  ["error-handling", order("tok_visa")],
  ["error-handling", { orderId: "x" }],
  ["sequential", { email: "  Ada@Example.COM ", firstName: " Ada ", lastName: "Lovelace" }],
  ["parallel", { orderId: "o-9", items: [{ sku: "A", quantity: 1, unitPrice: 100 }] }],
  ["map", { items: [{ id: "a", value: 1 }, { id: "b", value: 2 }] }],
  ["choice", { ...order("tok_visa"), orderType: "premium" }],
  ["choice", { ...order("tok_visa"), orderType: "standard" }],
  ["wait", { jobId: "job-1", scheduledTime: "2024-06-01T09:00:00Z", task: { type: "sum", payload: { values: [1, 2, 3] } } }],
  ["wait", { jobId: "job-2" }],
  ["data-transform", { data: [{ a: 1 }, { a: 2 }], config: {} }],
];

/** Each state's input and what it handed on (its Exited output), from a full run's history (events chain to their state by previousEventId). */
function stateRecords(history: HistoryEvent[]): Array<{ name: string; input: unknown; output?: unknown; entered: Date }> {
  const out: Array<{ name: string; input: unknown; output?: unknown; entered: Date }> = [];
  const owner = new Map<number, number>();
  for (const e of history) {
    if (e.type.endsWith("StateEntered")) {
      const d = e.stateEnteredEventDetails as { name: string; input: string };
      out.push({ name: d.name, input: JSON.parse(d.input), entered: e.timestamp });
      owner.set(e.id, out.length - 1);
      continue;
    }
    const o = owner.get(e.previousEventId);
    if (o !== undefined) owner.set(e.id, o);
    if (e.type.endsWith("StateExited") && o !== undefined) {
      const d = e.stateExitedEventDetails as { name: string; output: string };
      if (out[o].name === d.name) out[o].output = JSON.parse(d.output);
    }
  }
  return out;
}

/** Handlers stamp the wall-clock time (and a delay measured on it) and Lambda request ids: not part of what is compared. */
const normalise = (v: unknown) =>
  JSON.parse(
    JSON.stringify(v)
      .replace(/"delaySeconds":\d+/g, '"delaySeconds":"<n>"')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>"),
  );

describe("testState agrees with a full run at every state of the shipped workflows", () => {
  test.each(CASES)("%s %#", async (name, input) => {
    const prepared = await prepareWorkflow(name, EMPTY_ENV);
    const full = await runWorkflow(name, input, { ...EMPTY_ENV, startTime: START, jitterSeed: 1, executionName: "e-1" });
    const records = stateRecords(full.history);
    expect(records.length).toBeGreaterThan(0);
    let compared = 0;
    for (const [i, rec] of records.entries()) {
      const options = { resolveHandler: prepared.resolveHandler, startTime: rec.entered, executionName: "e-1", stateMachineName: prepared.stateMachineName, region: prepared.region, jitterSeed: 1 };
      const request = { definition: prepared.definition, stateName: rec.name, input: JSON.stringify(rec.input) };
      let r = await testState(request, options);
      // A Task the full run retried: RETRIABLE alone; again with the retries made so far ($$.State.RetryCount), as the run did.
      for (let retries = 1; r.status === "RETRIABLE" && retries < 10; retries++) r = await testState({ ...request, stateConfiguration: { retrierRetryCount: retries } }, options);
      if (rec.output === undefined) {
        // The state that failed the execution (the last one): the same error, alone.
        if (i !== records.length - 1) continue;
        expect({ state: rec.name, status: r.status, error: r.error }).toEqual({ state: rec.name, status: "FAILED", error: full.error });
        compared++;
        continue;
      }
      if (r.status !== "SUCCEEDED" && r.status !== "CAUGHT_ERROR") throw new Error(`${name} ${rec.name}: ${JSON.stringify(r)}`);
      expect({ state: rec.name, output: normalise(JSON.parse(r.output!)) }).toEqual({ state: rec.name, output: normalise(rec.output) });
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe("sfn-workflows test-state", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cli, tempDir } = require("../cli/helpers") as typeof import("../cli/helpers");
  const { writeFileSync } = require("node:fs") as typeof import("node:fs");
  const dir = tempDir("test-state-cli-");
  writeFileSync(`${dir}/mock.json`, JSON.stringify({ errorOutput: { error: "Payment.TransientFailure", cause: "busy" } }));
  async function run(...argv: string[]) {
    const quiet = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      return await cli(["test-state", ...argv], { cwd: dir });
    } finally {
      quiet.mockRestore();
    }
  }
  const payment = JSON.stringify({ orderId: "o", total: 3, payment: { method: "card", token: "tok_visa" } });

  test("a mocked error from a file: RETRIABLE with the retrier's back-off, exit 1", async () => {
    const r = await run("order-processing", "--state", "ProcessPayment", "--input", payment, "--mock", "mock.json", "--inspection-level", "DEBUG", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "RETRIABLE", error: "Payment.TransientFailure", inspectionData: { errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 2 } } });
  });

  test("human output names the next state; exit 0", async () => {
    const r = await run("choice", "--state", "CheckCondition", "--input", '{"orderType":"premium"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Status: +SUCCEEDED/);
    expect(r.stdout).toMatch(/Next state: \S+/);
  });

  test.each([
    [["order-processing", "--input", "{}"], /--state is required/],
    [["order-processing", "--state", "X", "--input", "{"], /--input: not valid JSON/],
    [["order-processing", "--state", "X", "--input", "missing.json"], /--input missing.json: no such file/],
    [["nope", "--state", "X", "--input", "{}"], /Unknown workflow "nope"/],
    [["order-processing", "--state", "X", "--input", "{}"], /stateName "X" names no state/],
    [["order-processing", "--state", "X", "--input", "{}", "--inspection-level", "LOUD"], /--inspection-level: must be INFO, DEBUG or TRACE/],
  ])("bad input: one line, exit 2 (%#)", async (argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd()).not.toContain("\n");
  });
});

describe("Map inspection data", () => {
  const map = {
    Type: "Map",
    ItemsPath: "$.items",
    ItemSelector: { "v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "tag.$": "$.tag" },
    MaxConcurrency: 2,
    ToleratedFailurePercentage: 50,
    ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
    End: true,
  };
  const expected = {
    afterItemsPath: "[1,2]",
    afterItemSelector: JSON.stringify([{ v: 1, i: 0, tag: "t" }, { v: 2, i: 1, tag: "t" }]),
    maxConcurrency: 2,
    toleratedFailurePercentage: 50,
  };

  test("run for real: items, per-item selector output, concurrency and tolerance", async () => {
    const r = await testState({ definition: map, input: '{"items":[1,2],"tag":"t"}', inspectionLevel: "DEBUG" });
    expect(r.status).toBe("SUCCEEDED");
    expect(JSON.parse(r.output!)).toEqual([{ v: 1, i: 0, tag: "t" }, { v: 2, i: 1, tag: "t" }]);
    expect(r.inspectionData).toMatchObject(expected);
  });

  test("mocked: the same inspection data, the mock as the result", async () => {
    const r = await testState({ definition: map, input: '{"items":[1,2],"tag":"t"}', inspectionLevel: "DEBUG", mock: { result: '["a","b"]' } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: '["a","b"]', inspectionData: expected });
  });

  test("mapItemReaderData stands for what an ItemReader reads", async () => {
    const reader = { ...map, ItemsPath: undefined, ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { Bucket: "b", Key: "k" } } };
    const r = await testState({ definition: reader, input: '{"tag":"t"}', inspectionLevel: "DEBUG", mock: { result: "[]" }, stateConfiguration: { mapItemReaderData: "[1,2]" } });
    expect(r.inspectionData!.afterItemSelector).toBe(expected.afterItemSelector);
    await expect(testState({ definition: map, mock: { result: "[]" }, stateConfiguration: { mapItemReaderData: "[1]" } })).rejects.toThrow(/applies to a Map state with an ItemReader/);
  });
});
