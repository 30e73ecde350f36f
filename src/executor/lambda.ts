/**
 * Lambda as Step Functions sees it: the in-process call of a handler, the
 * response wrapper of `arn:aws:states:::lambda:invoke`, the error/cause of a
 * failed function, and AWS's size limit on results.
 */
import { randomUUID } from "node:crypto";
import { StatesError, TaskFailure } from "./errors";
import { MAX_PAYLOAD_BYTES, cloneChecked, cloneJson, lastVerdict } from "./json";
import { localUuid } from "./ids";
import { PendingTask } from "./task-timeout";

export { cloneJson };

/** A handler as Lambda calls it: the event and a Lambda-like context. */
export type LambdaHandler = (event: any, context: LambdaContextLike) => unknown;

export interface LambdaContextLike {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

/**
 * A response body that is not JSON (or not the JSON of a value), for
 * reproducing functions that write raw bytes. Return it from a handler.
 */
export class RawLambdaResponse {
  constructor(readonly body: string) {}
}

/**
 * How the function's runtime serialises its response: it decides the
 * `Content-Length` AWS reports (Python's json.dumps puts spaces after `,` and
 * `:` and escapes non-ASCII; Node's JSON.stringify does neither).
 */
export type LambdaRuntimeStyle = "nodejs" | "python";

/** Step Functions refuses results larger than 256 KiB. */
export { MAX_PAYLOAD_BYTES };

export interface FunctionRef {
  /** The function name without qualifier. */
  readonly name: string;
  /** The full ARN (built from the region/account when given a bare name). */
  readonly arn: string;
  /** The version or alias named, if any. */
  readonly qualifier?: string;
  /** `/aws/lambda/<name>`, as the function's context shows it. */
  readonly logGroupName: string;
}

const refCache = new Map<string, { region: string; accountId: string; parsed: FunctionRef }>();

/** Accepts every form Lambda accepts: name, name:qualifier, partial ARN, full ARN. */
export function parseFunctionRef(ref: string, region: string, accountId: string): FunctionRef {
  const hit = refCache.get(ref);
  if (hit && hit.region === region && hit.accountId === accountId) return hit.parsed;
  const parsed = parseFunctionRefUncached(ref, region, accountId);
  if (refCache.size > 1000) refCache.clear();
  refCache.set(ref, { region, accountId, parsed });
  return parsed;
}

function parseFunctionRefUncached(ref: string, region: string, accountId: string): FunctionRef {
  const parts = ref.split(":");
  let name: string;
  let qualifier: string | undefined;
  if (ref.startsWith("arn:")) [name, qualifier] = [parts[6] ?? ref, parts[7]];
  else if (parts.length >= 3 && parts[1] === "function") [name, qualifier] = [parts[2], parts[3]];
  else [name, qualifier] = [parts[0], parts[1]];
  const arn = ref.startsWith("arn:") ? ref : `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return { name, arn, qualifier, logGroupName: `/aws/lambda/${name}` };
}

/** Lambda's context object; a class so that each invocation does not allocate its methods. */
class LambdaContext implements LambdaContextLike {
  callbackWaitsForEmptyEventLoop = true;
  readonly functionName: string;
  readonly functionVersion = "$LATEST";
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = "128";
  readonly logGroupName: string;
  readonly logStreamName = "local";
  readonly #deadline: number;
  readonly #clock: { now(): number };
  constructor(options: InvokeOptions, readonly awsRequestId: string) {
    this.functionName = options.ref.name;
    this.invokedFunctionArn = options.ref.arn;
    this.logGroupName = options.ref.logGroupName;
    this.#clock = options.clock;
    this.#deadline = options.clock.now() + options.timeoutMs;
  }
  getRemainingTimeInMillis(): number {
    return Math.max(0, this.#deadline - this.#clock.now());
  }
  done(): void {}
  fail(): void {}
  succeed(): void {}
}

/**
 * How Step Functions called the function, which decides what the Task gets:
 * `direct` (a function ARN as Resource): the result itself; `invoke`
 * (`lambda:invoke`): the SDK response; `payload` (a `lambda:invoke` whose
 * state reads only `$.Payload`): `{Payload}`, the SDK response built only if
 * the history is read.
 */
export type InvokeMode = "direct" | "invoke" | "payload";

export interface InvokeOptions {
  readonly ref: FunctionRef;
  readonly timeoutMs: number;
  /** The execution's clock (the handler's remaining time is measured on it). */
  readonly clock: { now(): number };
  /** The Task's TimeoutSeconds on the wall clock: the call fails with States.Timeout if the handler has not answered by then. */
  readonly wallTimeoutSeconds?: number;
  readonly mode: InvokeMode;
  readonly style: LambdaRuntimeStyle;
  /** The name AWS quotes when the result is over 256 KiB. */
  readonly limitName: string;
  /** Told the decoded result, which was just measured (the state's size check need not walk it again). */
  readonly sink: { measured: unknown };
}

/**
 * Calls a handler the way Lambda would: a JSON copy of the event (so the
 * handler cannot reach into the workflow's state), a context object, and a
 * JSON copy of the result (so what the workflow sees is what AWS would have
 * carried over the wire), shaped as the Task gets it (InvokeMode). A function
 * error is returned as a TaskFailure, not thrown: a throw through each async
 * layer above cost more than the rest of a retried attempt. Not an async
 * function: the promise it returns is settled by the handler's answer or, with
 * `wallTimeoutSeconds`, by the timeout, whichever comes first.
 */
export function invokeHandler(
  fn: LambdaHandler,
  event: unknown,
  options: InvokeOptions,
  /** true: `event` is already a private JSON copy (made while checking the Task's parameters), nobody else holds it. */
  eventIsCopy = false,
): Promise<unknown> {
  const call = new Invocation(localUuid(), options);
  const context = new LambdaContext(options, call.requestId);
  const eventCopy = event === undefined ? {} : eventIsCopy ? event : cloneJson(event);
  let returned: unknown;
  try {
    returned = fn(eventCopy, context);
  } catch (err) {
    return Promise.resolve(call.failed(err));
  }
  const answer = Promise.resolve(returned);
  if (options.wallTimeoutSeconds === undefined) return answer.then((value) => call.succeeded(value), (err) => call.failed(err));
  const pending = new PendingTask(Date.now() + options.wallTimeoutSeconds * 1000);
  answer.then((value) => call.settle(pending, value), (err) => pending.settle(call.failed(err)));
  return pending.promise;
}

/** One call of a handler: what its answer becomes. */
class Invocation {
  constructor(
    readonly requestId: string,
    private readonly options: InvokeOptions,
  ) {}

  failed(err: unknown): TaskFailure {
    return functionError(err, this.requestId, this.options.mode === "direct" ? "spaced" : "compact");
  }

  /** The answer through the JSON boundary into `pending`; what goes wrong there (over 256 KiB, a value JSON cannot hold) rejects it. */
  settle(pending: PendingTask, returned: unknown): void {
    let result: unknown;
    try {
      result = this.succeeded(returned);
    } catch (err) {
      pending.fail(err);
      return;
    }
    pending.settle(result);
  }

  /** The Task's result; throws States.DataLimitExceeded over 256 KiB. */
  succeeded(returned: unknown): unknown {
    const { mode, style, clock } = this.options;
    let payload: unknown;
    let contentLength: number;
    let exact = true;
    if (returned instanceof RawLambdaResponse) {
      payload = returned.body;
      try {
        payload = JSON.parse(returned.body);
      } catch {
        // A body that is not JSON reaches the workflow as a string, as the Lambda SDK decodes it.
      }
      contentLength = Buffer.byteLength(returned.body, "utf8");
    } else if (mode === "payload") {
      // Nobody sees Content-Length unless the history is read: one pass copies the result and bounds its size.
      payload = returned === undefined ? null : cloneChecked(returned);
      contentLength = returned !== undefined && lastVerdict.verdict === "too-large" ? MAX_PAYLOAD_BYTES + 1 : 0;
      exact = false;
    } else {
      // One pass copies the result and measures the JSON the runtime would have written.
      const measured = { bytes: 0 };
      payload = returned === undefined ? null : cloneJson(returned, measured);
      contentLength = style === "python" ? pythonJsonLength(payload) : returned === undefined ? 4 : measured.bytes;
    }
    if (contentLength > MAX_PAYLOAD_BYTES) throw dataLimitExceeded(this.options.limitName);
    this.options.sink.measured = payload;
    if (mode === "direct") return payload;
    if (mode === "payload") return new PayloadOnlyResponse(payload, this.requestId, clock.now(), style, exact ? contentLength : undefined);
    return invokeResponse(payload, contentLength, this.requestId, clock.now());
  }
}

/** lambda:invoke's result where only `Payload` is observable; the history shows the full SDK response. */
class PayloadOnlyResponse {
  constructor(
    readonly Payload: unknown,
    private readonly requestId: string,
    private readonly nowMs: number,
    private readonly style: LambdaRuntimeStyle,
    private readonly contentLength?: number,
  ) {}
  /** The SDK response AWS records, as the history and JSON show it. */
  toJSON(): unknown {
    return invokeResponse(this.Payload, this.contentLength ?? contentLengthOf(this.Payload, this.style), this.requestId, this.nowMs);
  }
}

/** The Task failure a function error becomes: error = errorType, cause = Lambda's error object as JSON. */
export function functionError(err: unknown, requestId: string, causeStyle: "spaced" | "compact"): TaskFailure {
  const e = (err ?? {}) as { name?: unknown; errorType?: unknown };
  const isObject = typeof err === "object" && err !== null;
  const errorType = typeof e.errorType === "string" ? e.errorType : isObject && typeof e.name === "string" && e.name ? e.name : "Error";
  return new FunctionError(errorType, err, requestId, causeStyle);
}

/** A function error whose cause (with the handler's stack lines) is built only if someone reads it: a retried error's never is. */
class FunctionError extends TaskFailure {
  #text?: string;
  constructor(
    errorType: string,
    private readonly raw: unknown,
    private readonly requestId: string,
    private readonly causeStyle: "spaced" | "compact",
  ) {
    super(errorType);
  }

  override get causeText(): string {
    if (this.#text === undefined) {
      const err = this.raw;
      const e = (err ?? {}) as { message?: unknown; stackTrace?: unknown; stack?: unknown };
      const isObject = typeof err === "object" && err !== null;
      const errorMessage = isObject && typeof e.message === "string" ? e.message : String(err);
      const stackTrace = Array.isArray(e.stackTrace) ? e.stackTrace : typeof e.stack === "string" ? handlerFrames(e.stack) : [];
      const body = { errorMessage, errorType: this.error, requestId: this.requestId, stackTrace };
      this.#text = this.causeStyle === "spaced" ? pythonJsonDumps(body) : JSON.stringify(body);
    }
    return this.#text;
  }
}

/** The stack lines of the handler only: the executor's own frames below it would be noise (Lambda's runtime hides its frames too). */
function handlerFrames(stack: string): string[] {
  const lines = stack.split("\n").slice(1).map((line) => line.trim());
  const cut = lines.findIndex((line) => line.includes("invokeHandler") || line.includes(__filename));
  return cut >= 0 ? lines.slice(0, cut) : lines;
}

let lastDateSecond = -1;
let lastDate = "";
/** The HTTP Date header, cached per second (toUTCString is costly on a hot path). */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastDateSecond) {
    lastDateSecond = second;
    lastDate = new Date(second * 1000).toUTCString();
  }
  return lastDate;
}

/** The `lambda:invoke` result object, with the headers AWS's SDK response carries. */
export function invokeResponse(payload: unknown, contentLength: number, requestId: string, nowMs: number): Record<string, unknown> {
  const date = httpDate(nowMs);
  const traceId = `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${requestId.replace(/-/g, "").slice(0, 24)};Sampled=0`;
  const length = String(contentLength);
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        "X-Amz-Executed-Version": ["$LATEST"],
        "x-amzn-Remapped-Content-Length": ["0"],
        Connection: ["keep-alive"],
        "x-amzn-RequestId": [requestId],
        "Content-Length": [length],
        Date: [date],
        "X-Amzn-Trace-Id": [traceId],
        "Content-Type": ["application/json"],
      },
      HttpHeaders: {
        Connection: "keep-alive",
        "Content-Length": length,
        "Content-Type": "application/json",
        Date: date,
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": requestId,
        "X-Amzn-Trace-Id": traceId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

export function dataLimitExceeded(taskName: string): StatesError {
  return new StatesError(
    "States.DataLimitExceeded",
    `The state/task '${taskName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}

/**
 * An unknown function, as Step Functions reports Lambda's 404: the ARN Lambda
 * resolved, qualified with `$LATEST` when no version or alias was named, in
 * the Java SDK's exception wording.
 */
export function functionNotFound(ref: FunctionRef, _mode: "direct" | "invoke" = "direct"): StatesError {
  const qualified = `${ref.arn.split(":").slice(0, 7).join(":")}:${ref.qualifier ?? "$LATEST"}`;
  return new StatesError(
    "Lambda.ResourceNotFoundException",
    `Function not found: ${qualified} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

/** The exact Content-Length of a payload as a runtime of this style writes it. */
export function contentLengthOf(payload: unknown, style: LambdaRuntimeStyle): number {
  return style === "python" ? pythonJsonLength(payload) : Buffer.byteLength(JSON.stringify(payload) ?? "null", "utf8");
}

/** Python's json.dumps (default separators, ensure_ascii) — how Lambda's Python runtime and AWS's error causes print JSON. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) parts.push(`${pythonString(k)}: ${pythonJsonDumps(v)}`);
    }
    return `{${parts.join(", ")}}`;
  }
  return "null";
}

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += s[i];
  }
  return `${out}"`;
}

export function pythonJsonLength(value: unknown): number {
  return pythonJsonDumps(value).length;
}
