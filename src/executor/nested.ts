/**
 * `arn:aws:states:::states:startExecution` (and `.sync`, `.sync:2`): a Task
 * that starts another state machine runs it in-process, found by name or ARN
 * among the `stateMachines` option (runWorkflow: the catalogued workflows of
 * the stage). Output shapes, as AWS gives them:
 *
 * - request-response: `{ExecutionArn, SdkHttpMetadata, SdkResponseMetadata, StartDate}`;
 *   the child keeps running on its own (its result: `childExecutions` of the parent).
 * - `.sync`: DescribeExecution's fields, `Input` and `Output` as JSON text.
 * - `.sync:2`: the same with `Input` and `Output` as JSON.
 *
 * A child that does not succeed fails the Task with `States.TaskFailed`, the
 * cause being that description (with `Error` and `Cause`) as JSON text.
 */
import { randomUUID } from "node:crypto";
import { StatesError, TaskFailure } from "./errors";
import type { EvalContext } from "./eval-context";

type Json = any;

/** What the executor needs to run a child: given by index.ts (it owns the execution machinery). */
export interface ChildStarter {
  start(stateMachineArn: string, input: Json, name: string | undefined, startMs: number): Promise<ChildExecution | undefined>;
}

export interface ChildExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly startMs: number;
  readonly done: Promise<{ status: string; output?: Json; error?: string; cause?: string; stopDate: Date }>;
}

/** Our own bound (AWS documents none): a workflow starting itself would otherwise never end. */
export const MAX_NESTING = 20;

export async function startExecutionTask(ec: EvalContext, pattern: string | undefined, params: Json): Promise<Json> {
  const starter = ec.exec.setup.startChild;
  const arn = params?.StateMachineArn;
  if (typeof arn !== "string" || arn === "") {
    throw new StatesError("States.Runtime", `The field 'StateMachineArn' is required for arn:aws:states:::states:startExecution (state '${ec.state.name}').`);
  }
  let input: Json = params.Input ?? {};
  if (typeof input === "string") {
    try {
      input = JSON.parse(input);
    } catch {
      throw new TaskFailure("StepFunctions.InvalidExecutionInputException", `Invalid execution input: not JSON (Service: AWSStepFunctions; Status Code: 400; Error Code: InvalidExecutionInput)`);
    }
  }
  const now = ec.frame.time.now();
  const child = starter ? await starter.start(arn, input, typeof params.Name === "string" ? params.Name : undefined, now) : undefined;
  if (!child) {
    throw new TaskFailure(
      "StepFunctions.StateMachineDoesNotExistException",
      `State Machine Does Not Exist: '${arn}' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: ${randomUUID()}; Proxy: null) (locally: pass it in the stateMachines option, by name or ARN)`,
    );
  }
  if (pattern === undefined) return startResponse(child);
  const r = await child.done;
  const stopMs = r.stopDate.getTime();
  if (stopMs > ec.frame.time.now()) await ec.frame.time.sleep(stopMs - ec.frame.time.now());
  const asJson = pattern === "sync:2";
  const described: Record<string, Json> = {
    ExecutionArn: child.executionArn,
    Input: asJson ? input : JSON.stringify(input),
    InputDetails: { Included: true },
    Name: child.name,
  };
  if (r.status === "SUCCEEDED") {
    described.Output = asJson ? r.output ?? null : JSON.stringify(r.output ?? null);
    described.OutputDetails = { Included: true };
  }
  described.RedriveCount = 0;
  described.StartDate = child.startMs;
  described.StateMachineArn = child.stateMachineArn;
  described.Status = r.status;
  described.StopDate = stopMs;
  if (r.status !== "SUCCEEDED") {
    if (r.error !== undefined) described.Error = r.error;
    if (r.cause !== undefined) described.Cause = r.cause;
    throw new TaskFailure("States.TaskFailed", JSON.stringify(described));
  }
  return described;
}

/** StartExecution's response as the request-response integration returns it. */
function startResponse(child: ChildExecution): Json {
  const requestId = randomUUID();
  const body = JSON.stringify({ executionArn: child.executionArn, startDate: child.startMs / 1000 });
  const length = String(Buffer.byteLength(body, "utf8"));
  const date = new Date(child.startMs).toUTCString();
  return {
    ExecutionArn: child.executionArn,
    SdkHttpMetadata: {
      AllHttpHeaders: { "x-amzn-RequestId": [requestId], connection: ["keep-alive"], "Content-Length": [length], Date: [date], "Content-Type": ["application/x-amz-json-1.0"] },
      HttpHeaders: { connection: "keep-alive", "Content-Length": length, "Content-Type": "application/x-amz-json-1.0", Date: date, "x-amzn-RequestId": requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StartDate: child.startMs,
  };
}
