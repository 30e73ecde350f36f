import { SfnApiError, redrive, runDefinition, startExecution, startRedrive } from "../../src/executor";

/** A handler that fails until `healed` is set, counting its calls per input. */
function flaky() {
  const state = { healed: false, calls: [] as unknown[] };
  const fn = async (event: { n?: number }) => {
    state.calls.push(event);
    if (!state.healed && (event.n === undefined || event.n === 2)) {
      const e = new Error("downstream is down");
      e.name = "Downstream.Unavailable";
      throw e;
    }
    return { ok: true, n: event.n ?? null };
  };
  return { state, fn };
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof SfnApiError ? e.code : `not an SfnApiError: ${String(e)}`;
  }
  return undefined;
};

describe("redrive", () => {
  test("resumes a failed run from the failed state with its input and variables; earlier states do not run again", async () => {
    const { state, fn } = flaky();
    let firstCalls = 0;
    const def = {
      QueryLanguage: "JSONata",
      StartAt: "First",
      States: {
        First: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:first", Assign: { fromFirst: "{% $states.result.v %}" }, Next: "Flaky" },
        Flaky: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:flaky", Arguments: {}, Output: { first: "{% $fromFirst %}", flaky: "{% $states.result.ok %}", redriveCount: "{% $states.context.Execution.RedriveCount %}" }, End: true },
      },
    };
    const lambdas = { first: async () => (firstCalls++, { v: "kept" }), flaky: fn };
    const failed = await runDefinition(def, { x: 1 }, { lambdas, startTime: "2024-06-01T00:00:00Z" });
    expect(failed).toMatchObject({ status: "FAILED", error: "Downstream.Unavailable" });
    state.healed = true;
    const redriven = await redrive(failed, { at: "2024-06-02T00:00:00Z" });
    expect(redriven.status).toBe("SUCCEEDED");
    expect(redriven.output).toEqual({ first: "kept", flaky: true, redriveCount: 1 });
    expect(firstCalls).toBe(1);
    expect(redriven.executionArn).toBe(failed.executionArn);
    // The history continues: ExecutionFailed, then ExecutionRedriven and the resumed state, ids running on.
    const types = redriven.history.map((e) => e.type);
    expect(types.slice(types.indexOf("ExecutionFailed"))).toEqual(["ExecutionFailed", "ExecutionRedriven", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"]);
    expect(redriven.history.find((e) => e.type === "ExecutionRedriven")).toMatchObject({ executionRedrivenEventDetails: { redriveCount: 1 } });
    expect(redriven.history.map((e) => e.id)).toEqual(redriven.history.map((_, i) => i + 1));
    // Not after a successful redrive; not twice from the same attempt.
    expect(codeOf(() => redrive(redriven))).toBe("ExecutionNotRedrivable");
    expect(codeOf(() => redrive(failed))).toBe("ExecutionNotRedrivable");
  });

  test("a Map redrives only the iterations that failed", async () => {
    const { state, fn } = flaky();
    const def = {
      StartAt: "M",
      States: { M: { Type: "Map", ItemsPath: "$.items", ItemSelector: { "n.$": "$$.Map.Item.Value" }, ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:work", End: true } } }, End: true } },
    };
    const failed = await runDefinition(def, { items: [1, 2, 3] }, { lambdas: { work: fn } });
    expect(failed.status).toBe("FAILED");
    state.healed = true;
    state.calls.length = 0;
    const redriven = await redrive(failed);
    expect(redriven.status).toBe("SUCCEEDED");
    expect(redriven.output).toEqual([{ ok: true, n: 1 }, { ok: true, n: 2 }, { ok: true, n: 3 }]);
    // Item 1 succeeded before the failure and keeps its result; 2 failed and 3 was aborted or never started: they run again.
    expect(state.calls).not.toContainEqual({ n: 1 });
    expect(state.calls).toContainEqual({ n: 2 });
  });

  test("a Parallel state redrives only the failed branch", async () => {
    const { state, fn } = flaky();
    let okCalls = 0;
    const def = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Ok", States: { Ok: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:ok", End: true } } },
            { StartAt: "Bad", States: { Bad: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:bad", End: true } } },
          ],
          End: true,
        },
      },
    };
    const lambdas = { ok: async () => (okCalls++, "fine"), bad: fn };
    const failed = await runDefinition(def, {}, { lambdas });
    expect(failed.status).toBe("FAILED");
    state.healed = true;
    const redriven = await redrive(failed);
    expect(redriven.output).toEqual(["fine", { ok: true, n: null }]);
    expect(okCalls).toBe(1);
  });

  test("AWS's rules: not a SUCCEEDED or Express execution, not more than 14 days after it ended", async () => {
    const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    const fail = { StartAt: "F", States: { F: { Type: "Fail", Error: "E" } } };
    expect(codeOf(() => redrive({ ...({} as object), executionArn: "x" } as never))).toBe("ExecutionDoesNotExist");
    const ok = await runDefinition(pass, {});
    expect(codeOf(() => redrive(ok))).toBe("ExecutionNotRedrivable");
    const express = await runDefinition(fail, {}, { stateMachineType: "EXPRESS" });
    expect(codeOf(() => redrive(express))).toBe("ExecutionNotRedrivable");
    const failed = await runDefinition(fail, {}, { startTime: "2024-06-01T00:00:00Z" });
    expect(codeOf(() => redrive(failed, { at: "2024-06-15T00:00:01Z" }))).toBe("ExecutionNotRedrivable");
    const again = await redrive(failed, { at: "2024-06-15T00:00:00Z" });
    expect(again).toMatchObject({ status: "FAILED", error: "E" });
    expect(again.startDate.toISOString()).toBe("2024-06-01T00:00:00.000Z");
    expect(again.stopDate.toISOString()).toBe("2024-06-15T00:00:00.000Z");
  });

  test("options replace run options for the redrive (a fixed handler)", async () => {
    const def = { StartAt: "Charge", States: { Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", End: true } } };
    const broken = async () => {
      throw Object.assign(new Error("card service down"), { name: "Charge.Down" });
    };
    const failed = await runDefinition(def, { amount: 5 }, { lambdas: { charge: broken } });
    expect(failed.error).toBe("Charge.Down");
    const redriven = await redrive(failed, { options: { lambdas: { charge: async (e: { amount: number }) => ({ charged: e.amount }) } } });
    expect(redriven).toMatchObject({ status: "SUCCEEDED", output: { charged: 5 } });
  });

  test("a TIMED_OUT execution can be redriven", async () => {
    const def = { TimeoutSeconds: 10, StartAt: "W", States: { W: { Type: "Wait", SecondsPath: "$.wait", Next: "Done" }, Done: { Type: "Pass", End: true } } };
    const quick = await runDefinition(def, { wait: 5 });
    expect(quick.status).toBe("SUCCEEDED");
    const slow = await runDefinition(def, { wait: 60 });
    expect(slow.status).toBe("TIMED_OUT");
    const r = await redrive(slow);
    // The Wait runs again with its original input: 60 s against a fresh 10 s timeout.
    expect(r.status).toBe("TIMED_OUT");
    expect(r.history.filter((e) => e.type === "ExecutionRedriven")).toHaveLength(1);
  });

  test("an ABORTED execution waiting on a callback is redriven at that task; startRedrive gives the handle", async () => {
    const def = {
      StartAt: "Before",
      States: {
        Before: { Type: "Pass", Result: { step: 1 }, ResultPath: "$.before", Next: "Ask" },
        Ask: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token", "redrives.$": "$$.Execution.RedriveCount" }, ResultPath: "$.answer", End: true },
      },
    };
    const h = startExecution(def, {});
    await h.waitForTasks("Ask");
    const aborted = await h.stop("Stopped", "by a person");
    expect(aborted.status).toBe("ABORTED");
    const again = startRedrive(aborted);
    const [task] = await again.waitForTasks("Ask");
    expect(task.payload.redrives).toBe(1);
    again.sendTaskSuccess(task.taskToken, '"yes"');
    const r = await again.result();
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { before: { step: 1 }, answer: "yes" } });
    expect(r.history.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);
  });
});
