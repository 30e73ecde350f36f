import { cataloguedStateMachine, runDefinition, runWorkflow } from "../../src/executor";

const child = { StartAt: "Greet", States: { Greet: { Type: "Pass", Parameters: { "greeting.$": "States.Format('hello {}', $.who)" }, End: true } } };
const failingChild = { StartAt: "F", States: { F: { Type: "Fail", Error: "Child.Broke", Cause: "it broke" } } };
const CHILD_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:greeter";

const parent = (resource: string, extra: Record<string, unknown> = {}) => ({
  StartAt: "Start",
  States: { Start: { Type: "Task", Resource: resource, Parameters: { StateMachineArn: CHILD_ARN, Input: { who: "world" }, Name: "child-1" }, ...extra, End: true } },
});

describe("nested executions (states:startExecution)", () => {
  test(".sync:2 runs the child in-process: Output and Input as JSON", async () => {
    const r = await runDefinition(parent("arn:aws:states:::states:startExecution.sync:2"), {}, { stateMachines: { greeter: child }, startTime: "2024-06-01T00:00:00Z" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({
      ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:greeter:child-1",
      Input: { who: "world" },
      InputDetails: { Included: true },
      Name: "child-1",
      Output: { greeting: "hello world" },
      OutputDetails: { Included: true },
      RedriveCount: 0,
      StartDate: Date.parse("2024-06-01T00:00:00Z"),
      StateMachineArn: CHILD_ARN,
      Status: "SUCCEEDED",
      StopDate: Date.parse("2024-06-01T00:00:00Z"),
    });
  });

  test(".sync gives Output and Input as JSON text; the child is found by ARN too", async () => {
    const r = await runDefinition(parent("arn:aws:states:::states:startExecution.sync"), {}, { stateMachines: { [CHILD_ARN]: child } });
    const out = r.output as Record<string, unknown>;
    expect(out.Output).toBe('{"greeting":"hello world"}');
    expect(out.Input).toBe('{"who":"world"}');
  });

  test("a child that fails fails the Task with States.TaskFailed, the description as cause", async () => {
    const r = await runDefinition(parent("arn:aws:states:::states:startExecution.sync:2"), {}, { stateMachines: { greeter: failingChild } });
    expect(r).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(JSON.parse(r.cause!)).toMatchObject({ Status: "FAILED", Error: "Child.Broke", Cause: "it broke", Name: "child-1" });
  });

  test("request-response startExecution returns {ExecutionArn, StartDate} with the SDK metadata, without waiting", async () => {
    const r = await runDefinition(parent("arn:aws:states:::states:startExecution", { ResultSelector: { "ExecutionArn.$": "$.ExecutionArn", "StartDate.$": "$.StartDate" } }), {}, { stateMachines: { greeter: child }, startTime: "2024-06-01T00:00:00Z" });
    expect(r.output).toEqual({ ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:greeter:child-1", StartDate: Date.parse("2024-06-01T00:00:00Z") });
    const full = await runDefinition(parent("arn:aws:states:::states:startExecution"), {}, { stateMachines: { greeter: child } });
    expect(Object.keys(full.output as object)).toEqual(["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]);
  });

  test("an unknown state machine is StepFunctions.StateMachineDoesNotExistException; a workflow starting itself stops at the nesting bound", async () => {
    const r = await runDefinition(parent("arn:aws:states:::states:startExecution.sync:2"), {});
    expect(r.error).toBe("StepFunctions.StateMachineDoesNotExistException");
    const selfArn = "arn:aws:states:us-east-1:123456789012:stateMachine:loop";
    const loop = { StartAt: "Again", States: { Again: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: { StateMachineArn: selfArn }, End: true } } };
    const deep = await runDefinition(loop, {}, { stateMachines: { loop } });
    expect(deep.status).toBe("FAILED");
    expect(deep.cause).toContain("more than 20 levels deep");
  });

  test("runWorkflow finds a catalogued workflow by its stage name, with that workflow's own handlers", async () => {
    const def = {
      StartAt: "RunSequential",
      States: { RunSequential: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:my-app-dev-sequential", "Input.$": "$" }, OutputPath: "$.Output", End: true } },
    };
    const input = { customerId: "c-1", name: "  Ada Lovelace ", email: "ADA@EXAMPLE.COM" };
    const direct = await runWorkflow("sequential", input);
    expect(await cataloguedStateMachine("my-app-dev-nope")).toBeUndefined();
    const r = await runDefinition(def, input, { resolveStateMachine: (name) => cataloguedStateMachine(name) });
    expect(r.status).toBe("SUCCEEDED");
    const { enrichedAt: _a, ...nested } = r.output as Record<string, unknown>;
    const { enrichedAt: _b, ...expected } = direct.output as Record<string, unknown>;
    expect(nested).toEqual(expected);
  });
});
