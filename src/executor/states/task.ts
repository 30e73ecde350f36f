/**
 * Task: parameters -> the resource (a mock, a Lambda function by ARN, or
 * `lambda:invoke`) -> the state's output processing, recording the events AWS
 * records. Every failure of the resource is a TaskFailure (its cause reaches
 * Catch unchanged).
 */
import { ExecutionStop, NotSupportedError, StatesError, TaskFailure } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import { LazyCause, LazyDetails, LazyJson, payloadDetails } from "../history";
import { FunctionRef, InvokeMode, InvokeOptions, LambdaHandler, functionNotFound, invokeHandler, parseFunctionRef } from "../lambda";
import { withTaskTimeout } from "../task-timeout";
import type { CallbackBroker } from "../callbacks";
import { startExecutionTask } from "../nested";
import type { StateMock } from "../mocks";

type Json = any;

interface Resource {
  readonly arn: string;
  readonly isDirectLambda: boolean;
  /** `lambda`, `sqs`, ... for `arn:aws:states:::<service>:<action>` resources. */
  readonly type: string;
  /** How AWS names it in TaskScheduled (`invoke`, `sendMessage.waitForTaskToken`). */
  readonly name: string;
  readonly action?: string;
  readonly pattern?: string;
  /** A Lambda function called in-process: by its ARN (`direct`) or through `lambda:invoke` (`invoke`). */
  readonly lambda?: "direct" | "invoke";
  /** TaskStarted's details, the same for every task of this resource (the history copies them when read). */
  started?: Record<string, Json>;
}

/** An activity: arn:aws:states:<region>:<account>:activity:<name>. */
const ACTIVITY_RE = /^arn:[^:]+:states:[^:]*:[^:]*:activity:[^:]+$/;

interface ResourceInfo {
  /** null when it is no resource the executor knows. */
  readonly resource: Resource | null;
  /** A callback (`.waitForTaskToken`) or activity task: it gets `$$.Task.Token`. */
  readonly wantsToken: boolean;
}

const resourceCache = new Map<string, ResourceInfo>();
/** A Task's Resource, parsed once per distinct ARN. */
function resourceInfo(arn: string): ResourceInfo {
  let hit = resourceCache.get(arn);
  if (hit === undefined) {
    const isDirectLambda = arn.startsWith("arn:") && arn.split(":")[2] === "lambda";
    const m = /^arn:[^:]+:states:::([^:]+):([^.]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/.exec(arn);
    const resource: Resource | null = isDirectLambda
      ? { arn, isDirectLambda, type: "lambda", name: arn, lambda: "direct" }
      : ACTIVITY_RE.test(arn)
        ? { arn, isDirectLambda, type: "activity", name: arn }
      : m
        ? { arn, isDirectLambda, type: m[1], name: `${m[2]}${m[3] ? `.${m[3]}` : ""}`, action: m[2], pattern: m[3], lambda: m[1] === "lambda" && m[2] === "invoke" && !m[3] ? "invoke" : undefined }
        : null;
    hit = { resource, wantsToken: arn.endsWith(".waitForTaskToken") || ACTIVITY_RE.test(arn) };
    if (resourceCache.size > 1000) resourceCache.clear();
    resourceCache.set(arn, hit);
  }
  return hit;
}

/** The state's mock, if any (an own key: a state named `constructor` has none). */
function mockOf(ec: EvalContext): StateMock | undefined {
  const mocks = ec.exec.setup.mocks;
  return Object.prototype.hasOwnProperty.call(mocks, ec.state.name) ? mocks[ec.state.name] : undefined;
}

/** A Task: its outcome, or its resource's failure returned as a value (the driver's Retry/Catch takes it as if thrown). */
export async function runTask(ec: EvalContext): Promise<StateOutcome | TaskFailure> {
  const d = ec.def;
  const ql = ec.ql;
  const info = typeof d.Resource === "string" ? resourceInfo(d.Resource) : undefined;
  if (info?.wantsToken) ec.context = { ...ec.context, Task: { Token: ec.exec.setup.callbacks?.newToken() ?? ec.exec.setup.taskTokenFactory() } };
  const effective = ql.effectiveInput(ec);
  const field = ql.parametersField;
  // JSONPath evaluation is synchronous: await only what is a promise (each await costs a microtask turn).
  let params = d[field] !== undefined ? ql.payload(ec, d[field], effective, field) : ql.taskSendsInputByDefault ? effective : undefined;
  if (params instanceof Promise) params = await params;
  const mock = mockOf(ec);
  // What the resource gets: a Lambda function gets a private copy of the parameters, made in the pass that checks their size.
  let call: Json = params;
  let copied = false;
  if (params !== undefined && params !== effective) {
    if (info?.resource?.lambda && !mock) {
      call = ec.checkedCopy(params);
      copied = true;
    } else ec.checkSize(params);
  }
  let timeout = ql.field(ec, d, "TimeoutSeconds", effective);
  if (timeout instanceof Promise) timeout = await timeout;
  let heartbeat = ql.field(ec, d, "HeartbeatSeconds", effective);
  if (heartbeat instanceof Promise) heartbeat = await heartbeat;
  const timeoutSeconds = timeout?.value;
  if (timeoutSeconds !== undefined && (typeof timeoutSeconds !== "number" || !Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0)) {
    throw new StatesError("States.Runtime", `TimeoutSeconds must be a positive integer. Received: ${JSON.stringify(timeoutSeconds)}`);
  }
  const result = await invoke(ec, info?.resource ?? null, mock, params, call, copied, timeoutSeconds, heartbeat?.value);
  if (result instanceof TaskFailure) return result;
  const output = ql.output(ec, result, true);
  return ec.done(output instanceof Promise ? await output : output);
}

/** Runs the Task's resource and returns its raw result or its failure (as a value), recording the events AWS records. */
async function invoke(
  ec: EvalContext,
  resource: Resource | null,
  mock: StateMock | undefined,
  params: Json,
  /** What a Lambda function is called with: `params`, or a private copy of them (`copied`). */
  call: Json,
  copied: boolean,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): Promise<Json> {
  const { state, frame } = ec;
  const arn: unknown = ec.def.Resource;
  if (typeof arn !== "string") throw new NotSupportedError("a Task without a string Resource", state.path);
  const { history } = ec.exec.setup;
  if (!resource && !mock) throw new NotSupportedError(`Task resource ${arn}`, state.path);
  const r: Resource = resource ?? { arn, isDirectLambda: false, type: "unknown", name: arn };
  if (!history.keep) {
    history.add(frame.cursor, 0, "");
    history.add(frame.cursor, 0, "");
  } else if (r.type === "activity") {
    const details: Record<string, Json> = { resource: r.arn, ...payloadDetails("input", params) };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    for (const k of Object.keys(details)) if (details[k] instanceof LazyJson) details[k] = String(details[k]);
    history.add(frame.cursor, frame.time.now(), "ActivityScheduled", details);
  } else if (r.isDirectLambda) {
    history.add(frame.cursor, frame.time.now(), "LambdaFunctionScheduled", new TaskEventDetails(SCHEDULED, r, params, ec.exec.setup.region, timeoutSeconds, heartbeatSeconds));
    history.add(frame.cursor, frame.time.now(), "LambdaFunctionStarted");
  } else {
    history.add(frame.cursor, frame.time.now(), "TaskScheduled", new TaskEventDetails(SCHEDULED, r, params, ec.exec.setup.region, timeoutSeconds, heartbeatSeconds));
    history.add(frame.cursor, frame.time.now(), "TaskStarted", (r.started ??= { resourceType: r.type, resource: r.name }));
  }
  let result: Json;
  try {
    const callbacks = ec.exec.setup.callbacks;
    if ((r.pattern === "waitForTaskToken" || r.type === "activity") && !mock) {
      if (!callbacks) throw new NotSupportedError(`${arn} without a mock or a started execution to answer it`, state.path);
      result = await waitForCallback(ec, r, params, timeoutSeconds, heartbeatSeconds, callbacks);
      if (r.type === "activity" && history.keep) history.add(frame.cursor, frame.time.now(), "ActivityStarted", { workerName: "local-worker" });
    } else {
      const work = mock ? callMock(ec, mock, params) : callResource(ec, r, call, copied, timeoutSeconds);
      // A Lambda call keeps its own time (one promise for the answer and the timeout); other work is wrapped.
      result = timeoutSeconds === undefined || (r.lambda && !mock) ? await work : await withTaskTimeout(work, timeoutSeconds);
    }
  } catch (raw) {
    if (raw instanceof NotSupportedError || raw instanceof ExecutionStop) throw raw;
    const e = raw as { name?: string; message?: string };
    // A mock or handler that threw something other than a StatesError: treat it like a function error.
    result = TaskFailure.from(
      raw instanceof StatesError ? raw : new StatesError(typeof e?.name === "string" ? e.name : "Error", typeof e?.message === "string" ? e.message : String(raw)),
    );
  }
  if (result instanceof TaskFailure) {
    // A function error comes back as a value (no throw through every async layer); either way it is recorded here.
    if (!history.keep) history.add(frame.cursor, 0, "");
    else {
      const details: Record<string, Json> = r.isDirectLambda || r.type === "activity" ? {} : { resourceType: r.type, resource: r.name };
      details.error = result.error;
      details.cause = new LazyCause(result);
      const timedOut = result.error === "States.Timeout" || result.error === "States.HeartbeatTimeout";
      const type =
        r.type === "activity"
          ? timedOut ? "ActivityTimedOut" : "ActivityFailed"
          : timedOut ? (r.isDirectLambda ? "LambdaFunctionTimedOut" : "TaskTimedOut") : r.isDirectLambda ? "LambdaFunctionFailed" : "TaskFailed";
      history.add(frame.cursor, frame.time.now(), type, details);
    }
    return result;
  }
  if (!history.keep) history.add(frame.cursor, 0, "");
  else if (r.type === "activity") history.add(frame.cursor, frame.time.now(), "ActivitySucceeded", materialise(payloadDetails("output", result)));
  else history.add(frame.cursor, frame.time.now(), r.isDirectLambda ? "LambdaFunctionSucceeded" : "TaskSucceeded", new TaskEventDetails(SUCCEEDED, r, result, ""));
  return result;
}

const SCHEDULED = 0;
const SUCCEEDED = 2;

/** A Task's scheduled/started/succeeded event details, as GetExecutionHistory shapes them, built when the history is read. */
class TaskEventDetails extends LazyDetails {
  constructor(
    private readonly kind: number,
    private readonly r: Resource,
    private readonly payload: Json,
    private readonly region: string,
    private readonly timeoutSeconds?: number,
    private readonly heartbeatSeconds?: number,
  ) {
    super();
  }

  build(): Record<string, Json> {
    const { r } = this;
    if (this.kind === SCHEDULED) {
      if (r.isDirectLambda) {
        const details: Record<string, Json> = { resource: r.arn, ...payloadDetails("input", this.payload) };
        if (this.timeoutSeconds !== undefined) details.timeoutInSeconds = this.timeoutSeconds;
        return materialise(details);
      }
      const details: Record<string, Json> = { resourceType: r.type, resource: r.name, region: this.region, parameters: JSON.stringify(this.payload ?? {}) };
      if (this.timeoutSeconds !== undefined) details.timeoutInSeconds = this.timeoutSeconds;
      if (this.heartbeatSeconds !== undefined) details.heartbeatInSeconds = this.heartbeatSeconds;
      return details;
    }
    const out = payloadDetails("output", this.payload);
    if (r.isDirectLambda) return materialise(out);
    return materialise({ resourceType: r.type, resource: r.name, ...out });
  }
}

/** LazyJson values as the strings GetExecutionHistory shows. */
function materialise(details: Record<string, Json>): Record<string, Json> {
  for (const k of Object.keys(details)) if (details[k] instanceof LazyJson) details[k] = String(details[k]);
  return details;
}

/**
 * A callback task without a mock: `lambda:invoke.waitForTaskToken` calls its
 * function first when one is known (it gets the token), then the task waits
 * for SendTaskSuccess/Failure through the execution's handle, with its
 * TimeoutSeconds and HeartbeatSeconds on the virtual clock.
 */
async function waitForCallback(ec: EvalContext, r: Resource, params: Json, timeoutSeconds: number | undefined, heartbeatSeconds: number | undefined, callbacks: CallbackBroker): Promise<Json> {
  const token: string = ec.context.Task.Token;
  if (r.type === "lambda" && r.action === "invoke" && params && typeof params.FunctionName === "string") {
    const fn = await ec.exec.setup.findLambda(params.FunctionName);
    if (fn) {
      // Its TimeoutSeconds is the callback's, on the virtual clock: the function call itself is not timed on the wall clock.
      const called = await lambdaInvoke(ec, params, timeoutSeconds, false, false);
      if (called instanceof TaskFailure) throw called;
    }
  }
  return callbacks.wait(token, ec.state.name, params, r.arn, ec.frame.time, timeoutSeconds, heartbeatSeconds, r.type === "activity" ? r.arn : undefined);
}

async function callMock(ec: EvalContext, mock: (params: Json, n: number) => unknown, params: Json): Promise<Json> {
  const calls = ec.exec.mockCalls;
  const n = calls.get(ec.state.name) ?? 0;
  calls.set(ec.state.name, n + 1);
  const result = await mock(params, n);
  // Through the JSON boundary, as a real service response would come.
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}

function callResource(ec: EvalContext, r: Resource, params: Json, copied: boolean, timeoutSeconds: number | undefined): Promise<Json> {
  if (r.lambda === "direct") return callLambda(ec, r.arn, params, timeoutSeconds, true, "direct", r.arn, copied);
  if (r.lambda === "invoke") return lambdaInvoke(ec, params, timeoutSeconds, copied, true);
  if (r.type === "states" && r.action === "startExecution" && r.pattern !== "waitForTaskToken") return startExecutionTask(ec, r.pattern, params);
  throw new NotSupportedError(`Task resource ${r.arn} without a mock (pass mocks: { "${ec.state.name}": ... } or a mock config)`, ec.state.path);
}

/** `arn:aws:states:::lambda:invoke`: the function gets `Payload`. Throws (synchronously) when FunctionName is missing. */
function lambdaInvoke(ec: EvalContext, params: Json, timeoutSeconds: number | undefined, copied: boolean, wallTimed: boolean): Promise<Json> {
  if (!params || typeof params !== "object" || typeof params.FunctionName !== "string") {
    throw new StatesError(
      "States.Runtime",
      `The field 'FunctionName' is required for arn:aws:states:::lambda:invoke (state '${ec.state.name}'); add "FunctionName" to ${ec.ql.parametersField}.`,
    );
  }
  let payload = params.Payload;
  let eventIsCopy = copied;
  // A string Payload is the raw request body: the function receives its decoded JSON.
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
      eventIsCopy = true;
    } catch {
      // Not JSON: the function receives the string itself.
    }
  }
  if (payload === undefined || payload === null) payload = {};
  if (ec.state.observesPayloadOnly && params.LogType !== "Tail") return callLambda(ec, params.FunctionName, payload, timeoutSeconds, wallTimed, "payload", "lambda", eventIsCopy);
  const response = callLambda(ec, params.FunctionName, payload, timeoutSeconds, wallTimed, "invoke", "lambda", eventIsCopy);
  return params.LogType === "Tail" ? response.then(withLogTail) : response;
}

/**
 * Calls a function; a function error is returned (a TaskFailure), not thrown.
 * `timeoutSeconds`: the Task's TimeoutSeconds (the handler's remaining time), and
 * with `wallTimed` the wall-clock time after which the call fails with States.Timeout.
 * mode "payload": a lambda:invoke whose state reads only `$.Payload` (OutputPath "$.Payload", nothing
 * else): the SDK response is built only if the history is read; the state gets `{Payload}`.
 */
function callLambda(
  ec: EvalContext,
  functionRef: string,
  event: Json,
  timeoutSeconds: number | undefined,
  wallTimed: boolean,
  mode: InvokeMode,
  limitName: string,
  eventIsCopy: boolean,
): Promise<Json> {
  const { setup } = ec.exec;
  const ref = parseFunctionRef(functionRef, setup.region, setup.accountId);
  const fn = setup.findLambda(functionRef);
  const wallTimeout = wallTimed ? timeoutSeconds : undefined;
  if (fn instanceof Promise) {
    // The handler's module is loaded on its first call: like a cold start, that counts toward the task's timeout.
    const work = fn.then((found) => callFound(ec, ref, found, event, undefined, timeoutSeconds, mode, limitName, eventIsCopy));
    return wallTimeout === undefined ? work : withTaskTimeout(work, wallTimeout);
  }
  return callFound(ec, ref, fn, event, wallTimeout, timeoutSeconds, mode, limitName, eventIsCopy);
}

function callFound(
  ec: EvalContext,
  ref: FunctionRef,
  fn: LambdaHandler | undefined,
  event: Json,
  wallTimeoutSeconds: number | undefined,
  timeoutSeconds: number | undefined,
  mode: InvokeMode,
  limitName: string,
  eventIsCopy: boolean,
): Promise<Json> {
  if (!fn) throw functionNotFound(ref, mode === "direct" ? "direct" : "invoke");
  const options: InvokeOptions = {
    ref,
    timeoutMs: (timeoutSeconds ?? 99999999) * 1000,
    clock: ec.frame.time,
    wallTimeoutSeconds,
    mode,
    style: ec.exec.setup.lambdaRuntime,
    limitName,
    sink: ec,
  };
  return invokeHandler(fn, event, options, eventIsCopy);
}

/** LogType "Tail": Lambda returns the last 4 KB of the invocation's log, base64-encoded, in the body and a header. */
function withLogTail(response: Record<string, Json> | TaskFailure): Record<string, Json> | TaskFailure {
  if (response instanceof TaskFailure) return response;
  const requestId = response.SdkResponseMetadata.RequestId;
  const log = Buffer.from(`START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\n`).toString("base64");
  response.LogResult = log;
  response.SdkHttpMetadata.AllHttpHeaders["X-Amz-Log-Result"] = [log];
  response.SdkHttpMetadata.HttpHeaders["X-Amz-Log-Result"] = log;
  return response;
}
