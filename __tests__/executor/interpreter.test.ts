import { runDefinition, InvalidDefinitionError, StatesError, HistoryEvent } from "../../src/executor/index";

const START = "2024-05-01T12:00:00.000Z";
const types = (h: HistoryEvent[]) => h.map((e) => e.type);

describe("definition checks (before any execution)", () => {
  test.each([
    [{ States: { A: { Type: "Pass", End: true } } }, 'Definition: StartAt is missing at the top level. Add "StartAt": "<first state name>".'],
    [{ StartAt: "B", States: { A: { Type: "Pass", End: true } } }, 'Definition: StartAt "B" at the top level names no state. Known states: A.'],
    [{ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" } } }, 'Definition: state "A" Next "Nope" names no state in the same scope. Known states: A.'],
    [{ StartAt: "A", States: { A: { Type: "Teleport", End: true } } }, 'Definition: state "A" has Type "Teleport"; expected one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map.'],
    [
      { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "Z" }] } } },
      'Definition: state "A" Choices[0].Next "Z" names no state in the same scope. Known states: A.',
    ],
  ])("rejects %j", async (definition, message) => {
    await expect(runDefinition(definition, {})).rejects.toThrow(new InvalidDefinitionError(message));
  });

  test("a Next into another scope is rejected with the state's path", async () => {
    const def = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "In", States: { In: { Type: "Pass", Next: "Out" } } }], Next: "Out" },
        Out: { Type: "Succeed" },
      },
    };
    await expect(runDefinition(def, {})).rejects.toThrow('state "P/Branches[0]/In" Next "Out" names no state in the same scope');
  });
});

describe("JSONPath processing order", () => {
  test("InputPath, Parameters, ResultSelector, ResultPath, OutputPath", async () => {
    const def = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:123456789012:function:double",
          InputPath: "$.order",
          Parameters: { "n.$": "$.n", "state.$": "$$.State.Name" },
          ResultSelector: { "doubled.$": "$.value" },
          ResultPath: "$.order.result",
          OutputPath: "$.order",
          End: true,
        },
      },
    };
    const seen: unknown[] = [];
    const r = await runDefinition(def, { order: { n: 21 }, other: true }, {
      lambdas: { double: (e: { n: number }) => (seen.push(e), { value: e.n * 2, noise: 1 }) },
    });
    expect(seen).toEqual([{ n: 21, state: "T" }]);
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { n: 21, result: { doubled: 42 } } });
  });

  test("InputPath/OutputPath null give {}, ResultPath null keeps the input", async () => {
    const def = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", InputPath: null, Result: "x", ResultPath: null, Next: "B" },
        B: { Type: "Pass", OutputPath: null, End: true },
      },
    };
    const r = await runDefinition(def, { keep: 1 });
    expect(r.output).toEqual({});
  });

  test("a handler cannot mutate the workflow's data (Lambda's JSON boundary)", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", ResultPath: "$.r", End: true } } };
    const input = { list: [1] };
    const r = await runDefinition(def, input, { lambdas: { f: (e: { list: number[] }) => (e.list.push(2), "done") } });
    expect(r.output).toEqual({ list: [1], r: "done" });
    expect(input).toEqual({ list: [1] });
  });
});

describe("Retry and Catch", () => {
  const flaky = (failures: number, name = "Flaky.Error") => {
    let calls = 0;
    return () => {
      calls++;
      if (calls <= failures) throw Object.assign(new Error(`attempt ${calls}`), { name });
      return { calls };
    };
  };
  const taskDef = (retry: object[], extra: object = {}) => ({
    StartAt: "T",
    States: {
      T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", Retry: retry, ...extra, End: true },
      Caught: { Type: "Pass", End: true },
    },
  });

  test("defaults: 1 s interval, backoff 2, 3 attempts; the clock advances by 1+2+4 s", async () => {
    const r = await runDefinition(taskDef([{ ErrorEquals: ["Flaky.Error"] }]), {}, { lambdas: { f: flaky(3) }, startTime: START });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { calls: 4 } });
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(7000);
    expect(types(r.history).filter((t) => t === "LambdaFunctionFailed")).toHaveLength(3);
  });

  test("MaxAttempts 0 means no retry; the error and Lambda-style cause reach the execution", async () => {
    const r = await runDefinition(taskDef([{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }]), {}, { lambdas: { f: flaky(1) } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Flaky.Error");
    expect(JSON.parse(r.cause!)).toMatchObject({ errorMessage: "attempt 1", errorType: "Flaky.Error", requestId: expect.any(String), stackTrace: expect.any(Array) });
  });

  test("MaxDelaySeconds caps the back-off; BackoffRate grows it", async () => {
    const r = await runDefinition(taskDef([{ ErrorEquals: ["States.ALL"], IntervalSeconds: 3, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 20 }]), {}, {
      lambdas: { f: flaky(3) },
      startTime: START,
    });
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe((3 + 20 + 20) * 1000);
  });

  test("FULL jitter is reproducible with a seed and never longer than the back-off", async () => {
    const def = taskDef([{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, MaxAttempts: 3, JitterStrategy: "FULL" }]);
    const run = () => runDefinition(def, {}, { lambdas: { f: flaky(3) }, startTime: START, jitterSeed: 42 });
    const [a, b] = [await run(), await run()];
    const elapsed = a.stopDate.getTime() - a.startDate.getTime();
    expect(b.stopDate.getTime() - b.startDate.getTime()).toBe(elapsed);
    expect(elapsed).toBeLessThan((10 + 20 + 40) * 1000);
    expect(elapsed).toBeGreaterThan(0);
  });

  test("$$.State.RetryCount counts the retries", async () => {
    const seen: number[] = [];
    const def = taskDef([{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1 }], { Parameters: { "attempt.$": "$$.State.RetryCount" } });
    await runDefinition(def, {}, {
      lambdas: {
        f: (e: { attempt: number }) => {
          seen.push(e.attempt);
          if (e.attempt < 2) throw new Error("again");
          return "ok";
        },
      },
    });
    expect(seen).toEqual([0, 1, 2]);
  });

  test("Catch puts {Error, Cause} at ResultPath and goes to Next; States.TaskFailed matches a function error", async () => {
    const def = taskDef([], { Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.error", Next: "Caught" }] });
    const r = await runDefinition(def, { orderId: "o-1" }, { lambdas: { f: flaky(1, "Payment.Declined") } });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ orderId: "o-1", error: { Error: "Payment.Declined", Cause: expect.stringContaining('"errorType": "Payment.Declined"') } });
  });

  test("States.Runtime is never caught, not even by a catcher naming it", async () => {
    const def = taskDef([{ ErrorEquals: ["States.ALL"] }], { OutputPath: "$.missing", Catch: [{ ErrorEquals: ["States.Runtime", "States.ALL"], Next: "Caught" }] });
    const r = await runDefinition(def, {}, { lambdas: { f: () => ({}) } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(/^An error occurred while executing the state 'T' \(entered at the event id #2\)\. /);
  });

  test("JSONata Catch: Output sees $states.errorOutput, Assign sets variables for later states", async () => {
    const def = {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:1:function:f",
          Catch: [{ ErrorEquals: ["States.ALL"], Output: { failed: "{% $states.errorOutput.Error %}" }, Assign: { why: "{% $states.errorOutput.Error %}" }, Next: "After" }],
          End: true,
        },
        After: { Type: "Pass", Output: { out: "{% $states.input %}", why: "{% $why %}" }, End: true },
      },
    };
    const r = await runDefinition(def, {}, { lambdas: { f: flaky(1, "Boom") } });
    expect(r.output).toEqual({ out: { failed: "Boom" }, why: "Boom" });
  });
});

describe("Wait and the virtual clock", () => {
  test("Seconds, SecondsPath, Timestamp and TimestampPath advance the clock instead of sleeping", async () => {
    const def = {
      StartAt: "A",
      States: {
        A: { Type: "Wait", Seconds: 3600, Next: "B" },
        B: { Type: "Wait", SecondsPath: "$.s", Next: "C" },
        C: { Type: "Wait", TimestampPath: "$.until", Next: "D" },
        D: { Type: "Pass", Parameters: { "entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime" }, End: true },
      },
    };
    const t0 = Date.now();
    const r = await runDefinition(def, { s: 60, until: "2024-05-02T00:00:00Z" }, { startTime: START });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.output).toEqual({ entered: "2024-05-02T00:00:00.000Z", started: START });
    expect(types(r.history)).toContain("WaitStateEntered");
  });

  test("a timestamp in the past does not wait", async () => {
    const r = await runDefinition({ StartAt: "W", States: { W: { Type: "Wait", Timestamp: "2000-01-01T00:00:00Z", End: true } } }, {}, { startTime: START });
    expect(r.stopDate.toISOString()).toBe(START);
  });

  test("execution TimeoutSeconds ends the execution TIMED_OUT at the deadline", async () => {
    const def = { StartAt: "W", TimeoutSeconds: 5, States: { W: { Type: "Wait", Seconds: 10, End: true } } };
    const r = await runDefinition(def, {}, { startTime: START });
    expect(r.status).toBe("TIMED_OUT");
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(5000);
    expect(types(r.history).at(-1)).toBe("ExecutionTimedOut");
  });

  test("realTime sleeps for real", async () => {
    const t0 = Date.now();
    await runDefinition({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } }, {}, { realTime: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  test("realTime: the execution's TimeoutSeconds interrupts a hanging handler", async () => {
    const def = { StartAt: "T", TimeoutSeconds: 1, States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", End: true } } };
    const r = await runDefinition(def, {}, { realTime: true, lambdas: { f: () => new Promise(() => undefined) } });
    expect(r.status).toBe("TIMED_OUT");
  });

  test("Task TimeoutSeconds fails a hanging handler with States.Timeout", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", TimeoutSeconds: 1, End: true } } };
    const r = await runDefinition(def, {}, { lambdas: { f: () => new Promise(() => undefined) } });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(types(r.history)).toContain("LambdaFunctionTimedOut");
  });

  test("with and without TimeoutSeconds, a handler answer JSON cannot carry fails the task; an answer in time is not timed out", async () => {
    const task = (extra: object) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f" }, ...extra, End: true } } });
    const bad = { f: async () => ({ toJSON: () => { throw new RangeError("cannot serialise"); } }) };
    for (const extra of [{}, { TimeoutSeconds: 5 }]) {
      const r = await runDefinition(task(extra), {}, { lambdas: bad });
      expect(r).toMatchObject({ status: "FAILED", error: "RangeError", cause: "cannot serialise" });
    }
    const slow = { f: () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 20)) };
    const r = await runDefinition(task({ TimeoutSeconds: 1, OutputPath: "$.Payload" }), {}, { lambdas: slow });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { ok: true } });
  });

  test("parallel branches wait concurrently: two 10 s waits take 10 s", async () => {
    const branch = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } };
    const r = await runDefinition({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [branch, branch], End: true } } }, {}, { startTime: START });
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(10_000);
  });
});

describe("Choice, Fail, Succeed", () => {
  const def = {
    StartAt: "C",
    States: {
      C: { Type: "Choice", Choices: [{ Variable: "$.kind", StringEquals: "premium", Next: "P" }], Default: "F" },
      P: { Type: "Succeed" },
      F: { Type: "Fail", ErrorPath: "$.err", Cause: "not premium" },
    },
  };
  test("a matching rule goes to its Next", async () => {
    expect(await runDefinition(def, { kind: "premium" })).toMatchObject({ status: "SUCCEEDED", output: { kind: "premium" } });
  });
  test("Default leads to a Fail state with ErrorPath", async () => {
    expect(await runDefinition(def, { kind: "basic", err: "Not.Premium" })).toMatchObject({ status: "FAILED", error: "Not.Premium", cause: "not premium" });
  });
  test("no match and no Default: States.NoChoiceMatched", async () => {
    const noDefault = { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "S" }] }, S: { Type: "Succeed" } } };
    expect(await runDefinition(noDefault, {})).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched" });
  });
});

describe("variables and scopes", () => {
  test("Map iterations and Parallel branches read outer variables but cannot leak assignments", async () => {
    const def = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { x: 1 }, Next: "M" },
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: { StartAt: "In", States: { In: { Type: "Pass", Assign: { x: 99, inner: true }, Parameters: { "x.$": "$x", "v.$": "$" }, End: true } } },
          ResultPath: "$.mapped",
          Next: "P",
        },
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", Assign: { x: 7 }, Parameters: { "x.$": "$x" }, End: true } } }],
          ResultPath: "$.par",
          Next: "Out",
        },
        Out: { Type: "Pass", Parameters: { "x.$": "$x", "mapped.$": "$.mapped", "par.$": "$.par" }, End: true },
      },
    };
    const r = await runDefinition(def, { items: [10, 20] });
    expect(r.output).toEqual({ x: 1, mapped: [{ x: 1, v: 10 }, { x: 1, v: 20 }], par: [{ x: 1 }] });
  });

  test("JSONata: Assign values are all computed from the variables as they were before the state", async () => {
    const def = {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: {
        A: { Type: "Pass", Assign: { a: 1, b: 2 }, Next: "B" },
        B: { Type: "Pass", Assign: { a: "{% $b %}", b: "{% $a %}" }, Output: "{% [$a, $b] %}", Next: "C" },
        C: { Type: "Pass", Output: "{% [$a, $b] %}", End: true },
      },
    };
    const r = await runDefinition(def, {});
    expect(r.output).toEqual([2, 1]);
  });
});

describe("Parallel", () => {
  test("a failing branch aborts its siblings at their next state, and nothing is recorded after the execution ends", async () => {
    const calls: string[] = [];
    const def = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Branch.Failed", Cause: "first branch" } } },
            {
              StartAt: "Slow",
              States: {
                Slow: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:slow", Next: "After" },
                After: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:after", End: true },
              },
            },
          ],
          End: true,
        },
      },
    };
    const r = await runDefinition(def, {}, {
      lambdas: {
        slow: async () => (calls.push("slow"), await new Promise((res) => setTimeout(res, 20)), 1),
        after: () => (calls.push("after"), 2),
      },
    });
    await new Promise((res) => setTimeout(res, 50));
    expect(r).toMatchObject({ status: "FAILED", error: "Branch.Failed", cause: "first branch" });
    expect(calls).toEqual(["slow"]);
    expect(types(r.history).at(-1)).toBe("ExecutionFailed");
    expect(types(r.history)).toContain("ParallelStateFailed");
  });
});

describe("Map", () => {
  test("ItemSelector with $$.Map.Item, results in order, MaxConcurrency respected", async () => {
    let inFlight = 0;
    let peak = 0;
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: 2,
          ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "tag.$": "$.tag" },
          ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", End: true } } },
          End: true,
        },
      },
    };
    const f = async (e: { i: number; v: string; tag: string }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, 5));
      inFlight--;
      return `${e.tag}:${e.i}:${e.v}`;
    };
    const r = await runDefinition(def, { tag: "t", items: ["a", "b", "c", "d", "e"] }, { lambdas: { f } });
    expect(r.output).toEqual(["t:0:a", "t:1:b", "t:2:c", "t:3:d", "t:4:e"]);
    expect(peak).toBe(2);
    expect(types(r.history).filter((t) => t === "MapIterationStarted")).toHaveLength(5);
  });

  test("ItemBatcher groups items with BatchInput", async () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "job.$": "$.job" } },
          ItemsPath: "$.items",
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    };
    const r = await runDefinition(def, { job: "j", items: [1, 2, 3] });
    expect(r.output).toEqual([
      { BatchInput: { job: "j" }, Items: [1, 2] },
      { BatchInput: { job: "j" }, Items: [3] },
    ]);
  });

  test("ToleratedFailureCount: failures within the limit keep the Map going, beyond it fail with States.ExceedToleratedFailureThreshold", async () => {
    const def = (count: number) => ({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ToleratedFailureCount: count,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "C",
            States: { C: { Type: "Choice", Choices: [{ Variable: "$", NumericGreaterThan: 1, Next: "Bad" }], Default: "Ok" }, Bad: { Type: "Fail", Error: "TooBig" }, Ok: { Type: "Succeed" } },
          },
          End: true,
        },
      },
    });
    expect(await runDefinition(def(2), [1, 2, 3])).toMatchObject({ status: "SUCCEEDED" });
    expect(await runDefinition(def(1), [1, 2, 3])).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
  });

  test("an iteration failure fails the Map with that error, which the Map's Catch sees", async () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: { StartAt: "F", States: { F: { Type: "Fail", Error: "Item.Bad", Cause: "bad item" } } },
          Catch: [{ ErrorEquals: ["Item.Bad"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    };
    const r = await runDefinition(def, [1]);
    expect(r.output).toEqual({ Error: "Item.Bad", Cause: "bad item" });
    expect(types(r.history)).toEqual(expect.arrayContaining(["MapIterationFailed", "MapStateFailed", "MapStateExited"]));
  });
});

describe("history", () => {
  test("events are numbered in causal order with AWS's types and details", async () => {
    const def = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", "Payload.$": "$" }, Next: "P" },
        P: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }], End: true },
      },
    };
    const r = await runDefinition(def, { a: 1 }, { lambdas: { f: (e) => e }, startTime: START });
    expect(types(r.history)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);
    r.history.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBe(i);
    });
    expect(r.history[1]).toMatchObject({ stateEnteredEventDetails: { name: "T", input: '{"a":1}', inputDetails: { truncated: false } } });
    expect(r.history[2]).toMatchObject({ taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "us-east-1" } });
    expect(r.history[0].timestamp).toEqual(new Date(START));
  });

  test("history: false records nothing but keeps AWS's event ids in causes", async () => {
    const def = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", InputPath: "$.nope", End: true } } };
    const r = await runDefinition(def, {}, { history: false });
    expect(r.history).toEqual([]);
    expect(r.cause).toMatch(/entered at the event id #4\)/);
  });
});

describe("context object", () => {
  test("$$ carries Execution, StateMachine and State as AWS fills them", async () => {
    const def = { StartAt: "A", States: { A: { Type: "Pass", Parameters: { "ctx.$": "$$" }, End: true } } };
    const r = await runDefinition(def, { in: 1 }, { startTime: START, stateMachineName: "sm", executionName: "ex", accountId: "111122223333", region: "eu-west-1" });
    expect(r.output).toEqual({
      ctx: {
        Execution: {
          Id: "arn:aws:states:eu-west-1:111122223333:execution:sm:ex",
          Input: { in: 1 },
          Name: "ex",
          RoleArn: "arn:aws:iam::111122223333:role/sm-role",
          StartTime: START,
          RedriveCount: 0,
        },
        StateMachine: { Id: "arn:aws:states:eu-west-1:111122223333:stateMachine:sm", Name: "sm" },
        State: { Name: "A", EnteredTime: START },
      },
    });
    expect(r.executionArn).toBe("arn:aws:states:eu-west-1:111122223333:execution:sm:ex");
  });
});

describe("unsupported features fail loudly", () => {
  test("an integration without a mock", async () => {
    const def = { StartAt: "Q", States: { Q: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "q", MessageBody: "m" }, End: true } } };
    const r = await runDefinition(def, {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain("not supported by the local executor: Task resource arn:aws:states:::sqs:sendMessage without a mock");
  });

  test("Map ItemReader", async () => {
    const def = { StartAt: "M", States: { M: { Type: "Map", ItemReader: { Resource: "arn:aws:states:::s3:getObject" }, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } };
    const r = await runDefinition(def, {});
    // Without a folder standing for S3 there is nothing to read: one clear line naming the option.
    expect(r.cause).toContain("Map state 'M' has an ItemReader: the local executor needs a folder standing for S3 (the s3Dir option");
  });

  test("a thrown StatesError from a mock is the task's error", async () => {
    const def = { StartAt: "Q", States: { Q: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } };
    const r = await runDefinition(def, {}, { mocks: { Q: () => { throw new StatesError("SQS.QueueDoesNotExist", "no queue"); } } });
    expect(r).toMatchObject({ status: "FAILED", error: "SQS.QueueDoesNotExist", cause: "no queue" });
  });
});
