import { SfnApiError, runDefinition, startExecution, startWorkflow } from "../../src/executor";

const approval = (extra: Record<string, unknown> = {}) => ({
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/approvals", MessageBody: { "token.$": "$$.Task.Token", "order.$": "$.order" } },
      ResultPath: "$.approval",
      ...extra,
      Next: "Done",
    },
    Done: { Type: "Pass", End: true },
  },
});

const codeOf = (f: () => void): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof SfnApiError ? e.code : `not an SfnApiError: ${String(e)}`;
  }
  return undefined;
};

describe("callback tasks answered through the handle", () => {
  test("sendTaskSuccess answers a .waitForTaskToken task; its payload carries the token", async () => {
    const h = startExecution(approval(), { order: "o-1" }, { startTime: "2024-06-01T00:00:00Z" });
    const [task] = await h.waitForTasks("Ask");
    expect(task.stateName).toBe("Ask");
    expect(task.payload.MessageBody).toEqual({ token: task.taskToken, order: "o-1" });
    h.sendTaskSuccess(task.taskToken, JSON.stringify({ approved: true }));
    const r = await h.result();
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ order: "o-1", approval: { approved: true } });
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
    // A spent token, a malformed one and a well-formed unknown one, as the SFN API answers them.
    expect(codeOf(() => h.sendTaskSuccess(task.taskToken, "{}"))).toBe("TaskTimedOut");
    expect(codeOf(() => h.sendTaskSuccess("nope", "{}"))).toBe("InvalidToken");
    expect(codeOf(() => h.sendTaskHeartbeat("AQ" + "A".repeat(40)))).toBe("TaskTimedOut");
  });

  test("errors for a bad token or output while the execution runs", async () => {
    const h = startExecution(approval(), { order: "o-2" });
    const [task] = await h.waitForTasks();
    expect(codeOf(() => h.sendTaskSuccess("AQ" + "B".repeat(40), "{}"))).toBe("TaskDoesNotExist");
    expect(codeOf(() => h.sendTaskSuccess("", "{}"))).toBe("InvalidToken");
    expect(codeOf(() => h.sendTaskSuccess(task.taskToken, "{not json"))).toBe("InvalidOutput");
    h.sendTaskFailure(task.taskToken, "Rejected", "the manager said no");
    const r = await h.result();
    expect(r).toMatchObject({ status: "FAILED", error: "Rejected", cause: "the manager said no" });
    expect(r.history.find((e) => e.type === "TaskFailed")).toMatchObject({ taskFailedEventDetails: { error: "Rejected", cause: "the manager said no" } });
  });

  test("a heartbeat times out on the virtual clock in milliseconds of real time", async () => {
    const t0 = Date.now();
    const h = startExecution(approval({ TimeoutSeconds: 3600, HeartbeatSeconds: 600 }), { order: "o-3" }, { startTime: "2024-06-01T00:00:00Z" });
    const [task] = await h.waitForTasks();
    await h.advanceTime(500);
    h.sendTaskHeartbeat(task.taskToken); // the next heartbeat is due at 500 + 600 s
    await h.advanceTime(599);
    expect(h.waitingTasks()).toHaveLength(1);
    await h.advanceTime(1);
    const r = await h.result();
    expect(r).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect(r.history.find((e) => e.type === "TaskTimedOut")).toMatchObject({ taskTimedOutEventDetails: { error: "States.HeartbeatTimeout" } });
    expect(r.stopDate.toISOString()).toBe("2024-06-01T00:18:20.000Z");
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(codeOf(() => h.sendTaskSuccess(task.taskToken, "{}"))).toBe("TaskTimedOut");
  });

  test("an unanswered task with TimeoutSeconds 3600 times out (States.Timeout), caught by Catch, without waiting an hour", async () => {
    const t0 = Date.now();
    const def = approval({ TimeoutSeconds: 3600, Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "Done" }] });
    const r = await runDefinition(def, { order: "o-4" }, { startTime: "2024-06-01T00:00:00Z" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ order: "o-4", error: { Error: "States.Timeout", Cause: "" } });
    expect(r.stopDate.toISOString()).toBe("2024-06-01T01:00:00.000Z");
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test("stop ends the execution ABORTED and spends the tokens", async () => {
    const h = startExecution(approval(), { order: "o-5" });
    const [task] = await h.waitForTasks();
    const r = await h.stop("Cancelled", "by the test");
    expect(r).toMatchObject({ status: "ABORTED", error: "Cancelled", cause: "by the test" });
    expect(r.history.at(-1)).toMatchObject({ type: "ExecutionAborted", executionAbortedEventDetails: { error: "Cancelled", cause: "by the test" } });
    expect(codeOf(() => h.sendTaskSuccess(task.taskToken, "{}"))).toBe("TaskTimedOut");
  });

  test("activity tasks: a worker gets them with getActivityTask", async () => {
    const activity = "arn:aws:states:us-east-1:123456789012:activity:review";
    const def = { StartAt: "Review", States: { Review: { Type: "Task", Resource: activity, HeartbeatSeconds: 60, End: true } } };
    const h = startExecution(def, { doc: "d-1" });
    const work = await h.getActivityTask(activity);
    expect(JSON.parse(work.input!)).toEqual({ doc: "d-1" });
    expect(await h.getActivityTask(activity)).toEqual({});
    h.sendTaskSuccess(work.taskToken!, { reviewed: true });
    const r = await h.result();
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { reviewed: true } });
    expect(r.history.map((e) => e.type)).toEqual(["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]);
  });

  test("a callback inside a Map iteration: each iteration waits for its own token", async () => {
    const def = { StartAt: "M", States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "Ask", States: { Ask: { Type: "Task", Resource: "arn:aws:states:::sns:publish.waitForTaskToken", Parameters: { "Message.$": "$", "T.$": "$$.Task.Token" }, End: true } } }, End: true } } };
    const h = startExecution(def, { items: ["a", "b", "c"] });
    const tasks = await h.waitForTasks("Ask", 3);
    expect(tasks.map((t) => t.payload.Message)).toEqual(["a", "b", "c"]);
    for (const t of [...tasks].reverse()) h.sendTaskSuccess(t.taskToken, JSON.stringify(t.payload.Message.toUpperCase()));
    expect((await h.result()).output).toEqual(["A", "B", "C"]);
  });

  test("startWorkflow gives a handle on a catalogued workflow with its real handlers", async () => {
    const h = await startWorkflow("sequential", { customerId: "c-1", name: "Ada", email: "ada@example.com" });
    expect(h.waitingTasks()).toEqual([]);
    const r = await h.result();
    expect(r.status).toBe("SUCCEEDED");
    expect(r.executionArn).toBe(h.executionArn);
  });
});
