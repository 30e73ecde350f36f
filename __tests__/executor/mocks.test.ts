import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDefinition } from "../../src/executor/index";

const definition = {
  StartAt: "Charge",
  States: {
    Charge: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "charge", "Payload.$": "$" },
      Retry: [{ ErrorEquals: ["Payment.Transient"], IntervalSeconds: 1, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
      OutputPath: "$.Payload",
      Next: "Notify",
    },
    Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "t", "Message.$": "$" }, ResultPath: "$.sns", End: true },
    Failed: { Type: "Fail", ErrorPath: "$.error.Error" },
  },
};

// Step Functions Local's MockConfigFile.json format, unchanged.
const mockConfig = {
  StateMachines: {
    orders: {
      TestCases: {
        HappyPath: { Charge: "ChargeOk", Notify: "Published" },
        RetryPath: { Charge: "ChargeFlaky", Notify: "Published" },
        DeclinedPath: { Charge: "ChargeDeclined" },
      },
    },
  },
  MockedResponses: {
    ChargeOk: { "0": { Return: { StatusCode: 200, Payload: { charged: true } } } },
    ChargeFlaky: {
      "0-1": { Throw: { Error: "Payment.Transient", Cause: "try again" } },
      "2": { Return: { StatusCode: 200, Payload: { charged: "third time" } } },
    },
    ChargeDeclined: { "0": { Throw: { Error: "Payment.Declined", Cause: "card declined" } } },
    Published: { "0": { Return: { MessageId: "m-1" } } },
  },
};

describe("Step Functions Local mock config", () => {
  test.each([
    ["HappyPath", { status: "SUCCEEDED", output: { charged: true, sns: { MessageId: "m-1" } } }],
    ["RetryPath", { status: "SUCCEEDED", output: { charged: "third time", sns: { MessageId: "m-1" } } }],
    ["DeclinedPath", { status: "FAILED", error: "Payment.Declined" }],
  ])("%s", async (testCase, expected) => {
    const r = await runDefinition(definition, { id: 1 }, { mockConfig, stateMachineName: "orders", testCase });
    expect(r).toMatchObject(expected);
  });

  test("retries in the mocked path take virtual time", async () => {
    const r = await runDefinition(definition, {}, { mockConfig, stateMachineName: "orders", testCase: "RetryPath", startTime: "2024-01-01T00:00:00Z" });
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(3000);
  });

  test("reads the file from a path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-"));
    const file = join(dir, "MockConfigFile.json");
    writeFileSync(file, JSON.stringify(mockConfig));
    const r = await runDefinition(definition, {}, { mockConfig: file, stateMachineName: "orders", testCase: "HappyPath" });
    expect(r.status).toBe("SUCCEEDED");
  });

  test("errors name what is missing", async () => {
    await expect(runDefinition(definition, {}, { mockConfig, stateMachineName: "nope", testCase: "HappyPath" })).rejects.toThrow(
      'Mock config: no state machine "nope" under StateMachines (found: orders).',
    );
    await expect(runDefinition(definition, {}, { mockConfig, stateMachineName: "orders", testCase: "Nope" })).rejects.toThrow(
      'Mock config: state machine "orders" has no test case "Nope" (found: HappyPath, RetryPath, DeclinedPath).',
    );
    await expect(runDefinition(definition, {}, { mockConfig: "/no/such/file.json", testCase: "x" })).rejects.toThrow(/^Mock config \/no\/such\/file.json: cannot read the file/);
  });
});

describe("per-state mock functions", () => {
  test("get the effective parameters and the invocation number", async () => {
    const calls: Array<[unknown, number]> = [];
    const r = await runDefinition(definition, { id: 7 }, {
      mocks: {
        Charge: (params, n) => {
          calls.push([params, n]);
          if (n === 0) throw Object.assign(new Error("flaky"), { name: "Payment.Transient" });
          return { Payload: { ok: n } };
        },
        Notify: () => ({ MessageId: "x" }),
      },
    });
    expect(calls).toEqual([
      [{ FunctionName: "charge", Payload: { id: 7 } }, 0],
      [{ FunctionName: "charge", Payload: { id: 7 } }, 1],
    ]);
    expect(r.output).toEqual({ ok: 1, sns: { MessageId: "x" } });
  });

  test(".waitForTaskToken works through a mock, with $$.Task.Token in the parameters", async () => {
    const def = {
      StartAt: "Approve",
      States: {
        Approve: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token" }, End: true },
      },
    };
    let token: unknown;
    const r = await runDefinition(def, {}, { mocks: { Approve: (p) => ((token = (p as { token: string }).token), { approved: true }) } });
    expect(r.output).toEqual({ approved: true });
    expect(token).toEqual(expect.any(String));
    // Unmocked and unanswered, it waits as on AWS: without TimeoutSeconds, until the execution's maximum duration (1 year, virtual).
    const unmocked = await runDefinition(def, {}, { startTime: "2024-01-01T00:00:00Z" });
    expect(unmocked.status).toBe("TIMED_OUT");
    expect(unmocked.stopDate.toISOString()).toBe("2024-12-31T00:00:00.000Z");
  });
});
