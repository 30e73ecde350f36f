/**
 * The local executor: runs a Step Functions definition in-process with AWS's
 * semantics, on a virtual clock, calling Lambda handlers directly.
 *
 *   const result = await runDefinition(definition, input, { lambdas: { "my-fn": handler } });
 *   const result = await runWorkflow("order-processing", input);   // a catalogued workflow, real handlers
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { HistoryEvent, HistoryRecorder, MAX_HISTORY_EVENTS } from "./history";
import { RealTimeline, Timeline, VirtualTimeline, isoTime } from "./clock";
import { CompiledDefinition, compileDefinition } from "./compile";
import { Execution, ExecutionObserver, RawOutcome, ResumePoint } from "./execution";
import { ExecutionAborted, ExecutionTimeout, InvalidDefinitionError, InvalidExecutionInputError, RunOptionsError } from "./errors";
import { CallbackBroker, SfnApiError, WaitingTask } from "./callbacks";
import { ChildExecution, ChildStarter, MAX_NESTING } from "./nested";
import { StatesError } from "./errors";
import { MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, checkPayload } from "./json";
import { LambdaHandler, LambdaRuntimeStyle, parseFunctionRef } from "./lambda";
import { MockConfigFile, StateMock, checkMockConfig, loadMockConfig, mocksFromConfig } from "./mocks";
import { seededRandom } from "./retry";
import { localUuid } from "./ids";

export { StatesError, NotSupportedError, InvalidDefinitionError, InvalidExecutionInputError, MockConfigError, RunOptionsError } from "./errors";
export { RawLambdaResponse } from "./lambda";
export { SfnApiError } from "./callbacks";
export type { WaitingTask } from "./callbacks";
export type { LambdaHandler, LambdaContextLike, LambdaRuntimeStyle } from "./lambda";
export type { HistoryEvent } from "./history";
export type { StateMock, MockConfigFile } from "./mocks";
export { loadMockConfig } from "./mocks";
export { stateVisits, formatVisits } from "./summary";
export type { StateVisit } from "./summary";
export type { ExecutionObserver } from "./execution";
export { CallRecorder, missingMocks, MissingMocksError, combineObservers } from "./observer";
export type { RecordedCall, MockNeed } from "./observer";
import { assertMocked, combineObservers } from "./observer";
import { coverageObserver } from "./coverage";

export interface RunOptions {
  /** Handlers by function name or ARN (a name matches any ARN with that function name). */
  readonly lambdas?: Readonly<Record<string, LambdaHandler>>;
  /** Fallback for functions not in `lambdas`: gets the function name, returns a handler or undefined (-> Lambda.ResourceNotFoundException). */
  readonly resolveHandler?: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
  /** Per-state mocks (by state name), called instead of the Task's resource. */
  readonly mocks?: Readonly<Record<string, StateMock>>;
  /** A Step Functions Local MockConfigFile.json (object or file path); needs `testCase`. */
  readonly mockConfig?: MockConfigFile | string;
  /** The test case under StateMachines.<mockStateMachineName>.TestCases. */
  readonly testCase?: string;
  /** The key under the mock config's StateMachines. @default stateMachineName (runWorkflow: the workflow name) */
  readonly mockStateMachineName?: string;
  /** @default "local-state-machine" */
  readonly stateMachineName?: string;
  /** @default a random UUID */
  readonly executionName?: string;
  /** @default "STANDARD" */
  readonly stateMachineType?: "STANDARD" | "EXPRESS";
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "123456789012" */
  readonly accountId?: string;
  /** @default arn:aws:iam::<account>:role/<stateMachineName>-role */
  readonly roleArn?: string;
  /** Start of the virtual clock. @default the current time */
  readonly startTime?: Date | string | number;
  /** Sleep for real on Wait and retry intervals instead of advancing a virtual clock. @default false */
  readonly realTime?: boolean;
  /** Record the execution history. @default true */
  readonly history?: boolean;
  /** Seed for FULL jitter on retries, for reproducible back-off. @default random */
  readonly jitterSeed?: number;
  /** How handlers serialise responses (decides lambda:invoke's Content-Length). @default "nodejs" */
  readonly lambdaRuntime?: LambdaRuntimeStyle;
  /** Told which states, Choice rules, Retry and Catch rules the execution takes (see observer.ts). */
  readonly observer?: ExecutionObserver;
  /** Before running, refuse (MissingMocksError, listing every one) if any Task would need a mock. @default false */
  readonly requireMocks?: boolean;
  /** Wraps every handler found (lambdas, resolveHandler, runWorkflow's real handlers), e.g. to record calls. */
  readonly wrapHandler?: (functionRef: string, handler: LambdaHandler) => LambdaHandler;
  /** A folder standing for S3 (`<s3Dir>/<bucket>/<key>`): a distributed Map's ItemReader reads and its ResultWriter writes there. */
  readonly s3Dir?: string;
  /** State machines a `states:startExecution` Task may start, by name or ARN: a definition, or one with its own handlers and type. */
  readonly stateMachines?: Readonly<Record<string, object | string | ChildStateMachine>>;
  /** Fallback for state machines not in `stateMachines`: gets the name; `runWorkflow` maps `<project>-<stage>-<workflow>` to the catalogue. */
  readonly resolveStateMachine?: (name: string) => object | string | ChildStateMachine | undefined | Promise<object | string | ChildStateMachine | undefined>;
}

/** A state machine a nested execution runs. */
export interface ChildStateMachine {
  readonly definition: object | string;
  /** Handlers of the child's own functions (tried before the parent's). */
  readonly resolveHandler?: RunOptions["resolveHandler"];
  /** @default "STANDARD" */
  readonly stateMachineType?: "STANDARD" | "EXPRESS";
}

function isChildStateMachine(v: unknown): v is ChildStateMachine {
  return typeof v === "object" && v !== null && "definition" in v && !("States" in v);
}

export interface ExecutionResult {
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly history: HistoryEvent[];
  readonly executionArn: string;
  readonly startDate: Date;
  readonly stopDate: Date;
}

/** The history is built on first read: serialising every payload is wasted work for callers that never look. */
class Result implements ExecutionResult {
  readonly #recorder: HistoryRecorder;
  /** What a redrive needs (kept off the enumerable fields: results are spread and serialised). */
  #launch?: LaunchRecord;
  static attach(r: Result, launch: LaunchRecord): void {
    r.#launch = launch;
  }
  static launchOf(r: Result): LaunchRecord | undefined {
    return r.#launch;
  }
  constructor(
    readonly status: ExecutionResult["status"],
    readonly output: unknown,
    readonly error: string | undefined,
    readonly cause: string | undefined,
    recorder: HistoryRecorder,
    readonly executionArn: string,
    readonly startDate: Date,
    readonly stopDate: Date,
  ) {
    this.#recorder = recorder;
  }
  get history(): HistoryEvent[] {
    return this.#recorder.events;
  }
  toJSON(): Record<string, unknown> {
    return { ...(this as object), history: this.history };
  }
}

const compiledObjects = new WeakMap<object, CompiledDefinition>();
const compiledStrings = new Map<string, CompiledDefinition>();

function compile(definition: object | string): CompiledDefinition {
  if (typeof definition === "string") {
    let hit = compiledStrings.get(definition);
    if (!hit) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(definition);
      } catch (err) {
        throw new InvalidDefinitionError(`Definition: not valid JSON (${(err as Error).message}).`);
      }
      hit = compileDefinition(parsed as Record<string, unknown>);
      if (compiledStrings.size > 1000) compiledStrings.clear();
      compiledStrings.set(definition, hit);
    }
    return hit;
  }
  let hit = compiledObjects.get(definition);
  if (!hit) {
    hit = compileDefinition(definition as Record<string, unknown>);
    compiledObjects.set(definition, hit);
  }
  return hit;
}

/**
 * Runs one execution. Resolves with the outcome (a failed execution is a
 * result, not a rejection); rejects only for a definition AWS would not
 * accept (InvalidDefinitionError) or bad options.
 */
export function runDefinition(definition: object | string, input: unknown, options: RunOptions = {}): Promise<ExecutionResult> {
  if (options.requireMocks) return runRequiringMocks(definition, input, options);
  // Not an async function: that would add a promise layer to every execution. What launching throws still rejects.
  try {
    return startExecution(definition, input, options).result();
  } catch (err) {
    return Promise.reject(err);
  }
}

async function runRequiringMocks(definition: object | string, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  const { mocks, findLambda } = mocksAndHandlers(options, options.region ?? "us-east-1", options.accountId ?? "123456789012", options.stateMachineName ?? "local-state-machine");
  await assertMocked(definition, { ...options, mocks }, findLambda);
  return startExecution(definition, input, options).result();
}

/** The execution's mocks (MockConfigFile test case, then per-state mocks) and how it finds a Lambda handler. */
function mocksAndHandlers(options: RunOptions, region: string, accountId: string, smName: string) {
  let mocks: Record<string, StateMock> = {};
  if (options.mockConfig !== undefined) {
    if (!options.testCase) throw new RunOptionsError("runDefinition: mockConfig needs testCase (the key under StateMachines.<name>.TestCases).");
    const config = typeof options.mockConfig === "string" ? loadMockConfig(options.mockConfig) : checkMockConfig(options.mockConfig);
    mocks = mocksFromConfig(config, options.mockStateMachineName ?? smName, options.testCase);
  }
  if (options.mocks) mocks = { ...mocks, ...options.mocks };
  const finder = new LambdaFinder(options.lambdas ?? {}, options.resolveHandler, region, accountId);
  let findLambda: (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined> = finder.find.bind(finder);
  if (options.wrapHandler) findLambda = wrapFinder(findLambda, options.wrapHandler);
  return { mocks, findLambda };
}

/**
 * Starts an execution and returns a handle a test can drive: the callback and
 * activity tasks it waits on, SendTaskSuccess/Failure/Heartbeat, StopExecution,
 * virtual time, and `result()`.
 */
export function startExecution(definition: object | string, input: unknown, options: RunOptions = {}): ExecutionHandle {
  return launch(compile(definition), input, options);
}

/** One launched execution: what its handle needs to build the result, and what a redrive needs of it. */
class LaunchRecord {
  constructor(
    readonly compiled: CompiledDefinition,
    readonly input: unknown,
    readonly options: RunOptions,
    readonly history: HistoryRecorder,
    readonly timeline: Timeline,
    readonly executionArn: string,
    readonly execution: Record<string, unknown>,
    readonly startDate: Date,
    readonly originalStartMs: number,
    readonly count: number,
    readonly exec: Execution,
  ) {}
}

export interface RedriveOptions {
  /** When the redrive happens. @default the failed execution's stopDate */
  readonly at?: Date | string | number;
  /** Options to change for the redriven run (handlers, mocks, ...); the rest are the original run's. */
  readonly options?: Partial<RunOptions>;
}

/** AWS: an execution can be redriven within 14 days of its end. */
const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000;

/**
 * RedriveExecution: resumes a FAILED, TIMED_OUT or ABORTED Standard execution
 * from the state that did not succeed, with the input and variables it had
 * there; in a Parallel or Map state only the branches/iterations that failed
 * or were aborted run again. The history continues (ExecutionRedriven, same
 * event ids and ARN) and `$$.Execution.RedriveCount` goes up by one. Refused
 * with SfnApiError `ExecutionNotRedrivable` as AWS refuses it: a SUCCEEDED or
 * Express execution, more than 14 days after its end, past one year since it
 * first started, or with 24,999 history events or more.
 */
export function redrive(failed: ExecutionResult, options: RedriveOptions = {}): Promise<ExecutionResult> {
  return startRedrive(failed, options).result();
}

/** redrive, returning the handle (to answer callback tasks of the redriven run). */
export function startRedrive(failed: ExecutionResult, options: RedriveOptions = {}): ExecutionHandle {
  const st = failed instanceof Result ? Result.launchOf(failed) : undefined;
  if (!st) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${failed.executionArn}' (pass the result runDefinition, runWorkflow or a handle returned)`);
  const atMs = options.at === undefined ? failed.stopDate.getTime() : new Date(options.at).getTime();
  if (Number.isNaN(atMs)) throw new Error(`redrive: at ${JSON.stringify(options.at)} is not a date; pass a Date, an ISO string or epoch milliseconds.`);
  const notRedrivable = (why: string) => new SfnApiError("ExecutionNotRedrivable", `Execution '${failed.executionArn}' cannot be redriven: ${why}`);
  if ((st.options.stateMachineType ?? "STANDARD") === "EXPRESS") throw notRedrivable("Express executions cannot be redriven.");
  if (failed.status === "SUCCEEDED") throw notRedrivable("Execution is SUCCEEDED and cannot be redriven.");
  if (st.exec.redriven) throw notRedrivable("this attempt was already redriven; redrive the latest result.");
  if (atMs - failed.stopDate.getTime() > REDRIVE_PERIOD_MS) throw notRedrivable("the redrivable period of 14 days after the execution ended has passed.");
  if (atMs - st.originalStartMs >= STANDARD_MAX_DURATION_MS) throw notRedrivable("the execution has exceeded the maximum open time of one year.");
  if (st.history.lastEventId >= MAX_HISTORY_EVENTS - 1) throw notRedrivable(`the execution history has ${st.history.lastEventId} events; a redrive needs it under 24,999.`);
  st.exec.redriven = true;
  const count = st.count + 1;
  const execution = { ...st.execution, RedriveCount: count };
  return launch(st.compiled, st.input, { ...st.options, ...options.options, startTime: atMs }, {
    history: st.history,
    executionArn: st.executionArn,
    execution,
    redrive: { count, resume: st.exec.resumePoint, originalStartMs: st.originalStartMs },
  });
}

interface Continuation {
  readonly history: HistoryRecorder;
  readonly executionArn: string;
  readonly execution: Record<string, unknown>;
  readonly redrive: { count: number; resume?: ResumePoint; originalStartMs: number };
}

/** Starts the nested executions `states:startExecution` Tasks ask for (depth-limited: a workflow starting itself would never end). */
class ChildLauncher implements ChildStarter {
  constructor(
    private readonly options: RunOptions,
    private readonly region: string,
    private readonly accountId: string,
    private readonly depth: number,
  ) {}

  async start(arn: string, childInput: unknown, name: string | undefined, startMs: number): Promise<ChildExecution | undefined> {
    const { options, region, accountId, depth } = this;
    const parts = arn.split(":");
    const smName = parts[5] === "stateMachine" ? parts[6] : arn;
    const own = (key: string) => (options.stateMachines && Object.prototype.hasOwnProperty.call(options.stateMachines, key) ? options.stateMachines[key] : undefined);
    const found = own(arn) ?? own(smName) ?? (await options.resolveStateMachine?.(smName));
    if (found === undefined) return undefined;
    if (depth >= MAX_NESTING) {
      throw new StatesError("States.Runtime", `Nested executions go more than ${MAX_NESTING} levels deep (state machine ${smName}); the local executor stops there. Check for a workflow that starts itself.`);
    }
    const child = isChildStateMachine(found) ? found : { definition: found };
    const parentResolve = options.resolveHandler;
    const resolveHandler: RunOptions["resolveHandler"] = child.resolveHandler
      ? async (fn) => (await child.resolveHandler!(fn)) ?? (await parentResolve?.(fn))
      : parentResolve;
    const childOptions: RunOptions = {
      lambdas: options.lambdas,
      resolveHandler,
      mocks: options.mocks,
      region,
      accountId,
      stateMachineName: smName,
      executionName: name ?? randomUUID(),
      stateMachineType: child.stateMachineType ?? "STANDARD",
      startTime: startMs,
      history: options.history,
      jitterSeed: options.jitterSeed,
      lambdaRuntime: options.lambdaRuntime,
      s3Dir: options.s3Dir,
      stateMachines: options.stateMachines,
      resolveStateMachine: options.resolveStateMachine,
    };
    const handle = launch(compile(child.definition), childInput, childOptions, undefined, depth + 1);
    const done = handle.result();
    done.catch(() => undefined);
    return {
      executionArn: handle.executionArn,
      stateMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`,
      name: childOptions.executionName!,
      startMs,
      done,
    };
  }
}

function launch(compiled: CompiledDefinition, input: unknown, options: RunOptions, continuation?: Continuation, depth = 0): ExecutionHandle {
  checkExecutionInput(input);
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const smName = options.stateMachineName ?? "local-state-machine";
  const execName = options.executionName ?? localUuid();
  const type = options.stateMachineType ?? "STANDARD";
  const startMs = options.startTime === undefined ? Date.now() : new Date(options.startTime).getTime();
  if (Number.isNaN(startMs)) throw new RunOptionsError(`runDefinition: startTime ${JSON.stringify(options.startTime)} is not a date; pass a Date, an ISO string or epoch milliseconds.`);
  const timeline: Timeline = options.realTime ? new RealTimeline() : new VirtualTimeline(startMs);
  const executionArn = continuation ? continuation.executionArn :
    type === "EXPRESS"
      ? `arn:aws:states:${region}:${accountId}:express:${smName}:${execName}:${randomUUID()}`
      : `arn:aws:states:${region}:${accountId}:execution:${smName}:${execName}`;
  const execution: Record<string, unknown> = continuation ? continuation.execution : {
    Id: executionArn,
    Input: input,
    Name: execName,
    RoleArn: options.roleArn ?? `arn:aws:iam::${accountId}:role/${smName}-role`,
    StartTime: isoTime(timeline.now()),
  };
  if (type === "STANDARD" && !continuation) execution.RedriveCount = 0;

  const { mocks, findLambda } = mocksAndHandlers(options, region, accountId, smName);

  const history = continuation ? continuation.history : new HistoryRecorder(options.history !== false);
  const startDate = new Date(continuation ? continuation.redrive.originalStartMs : timeline.now());
  const callbacks = new CallbackBroker(timeline.now());
  const exec = new Execution({
    compiled,
    input,
    history,
    timeline,
    executionContext: {
      Execution: execution,
      StateMachine: { Id: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`, Name: smName },
    },
    region,
    accountId,
    findLambda,
    mocks,
    lambdaRuntime: options.lambdaRuntime ?? "nodejs",
    random: options.jitterSeed !== undefined ? seededRandom(options.jitterSeed) : Math.random,
    taskTokenFactory: randomUUID,
    realTime: options.realTime === true,
    maxDurationMs: type === "EXPRESS" ? EXPRESS_MAX_DURATION_MS : STANDARD_MAX_DURATION_MS,
    observer: options.observer,
    callbacks,
    s3Dir: options.s3Dir,
    redrive: continuation?.redrive,
    startChild: new ChildLauncher(options, region, accountId, depth),
  });
  callbacks.exec = exec;
  const record = new LaunchRecord(compiled, input, options, history, timeline, executionArn, execution, startDate, continuation?.redrive.originalStartMs ?? startMs, continuation?.redrive.count ?? 0, exec);
  return new ExecutionHandle(record, callbacks);
}

/**
 * A running execution, as a test drives it through the SFN API:
 *
 *   const h = startExecution(definition, input);
 *   const [task] = await h.waitForTasks();          // { taskToken, stateName, payload, resource }
 *   h.sendTaskSuccess(task.taskToken, { approved: true });
 *   const r = await h.result();
 *
 * Answering a malformed token throws SfnApiError `InvalidToken`, an unknown
 * well-formed one `TaskDoesNotExist`, a spent one (answered, timed out, or the
 * execution over) `TaskTimedOut`; an output that is not JSON `InvalidOutput`.
 */
export class ExecutionHandle {
  readonly #done: Promise<ExecutionResult>;
  #settled = false;
  /** Set by result(): tasks nobody answers let virtual time run to their deadlines. */
  #autoAdvance = false;
  #advancing = false;
  private readonly exec: Execution;
  readonly executionArn: string;
  readonly startDate: Date;

  constructor(
    private readonly record: LaunchRecord,
    private readonly callbacks: CallbackBroker,
  ) {
    this.exec = record.exec;
    this.executionArn = record.executionArn;
    this.startDate = record.startDate;
    this.#done = record.exec.run().then((outcome) => this.finish(outcome));
  }

  private finish(outcome: RawOutcome): ExecutionResult {
    this.#settled = true;
    const { callbacks, record } = this;
    callbacks.finished = true;
    if (callbacks.waitingCount > 0) callbacks.abortAll(new ExecutionTimeout());
    const result = new Result(outcome.status, outcome.output, outcome.error, outcome.cause, record.history, record.executionArn, record.startDate, new Date(record.timeline.now()));
    Result.attach(result, record);
    return result;
  }

  /** Called by the broker when a task starts waiting. */
  kick(): void {
    if (this.#autoAdvance && !this.#advancing) void this.advanceLoop();
  }

  private async advanceLoop(): Promise<void> {
    this.#advancing = true;
    try {
      while (!this.#settled && this.callbacks.waitingCount > 0) {
        const idle = await this.untilIdle();
        if (idle) this.callbacks.advanceToNextDeadline();
      }
    } finally {
      this.#advancing = false;
    }
  }

  /** Whether the execution has ended. */
  get done(): boolean {
    return this.#settled;
  }

  /** The callback and activity tasks waiting for an answer now. */
  waitingTasks(): WaitingTask[] {
    return this.callbacks.waiting();
  }

  /**
   * Resolves once at least `count` tasks (of `stateName`, when given) wait for an
   * answer and the execution has nothing else to do; with fewer, once the
   * execution is idle or over (returns what waits then).
   */
  async waitForTasks(stateName?: string, count = 1): Promise<WaitingTask[]> {
    const matching = () => this.callbacks.waiting().filter((t) => stateName === undefined || t.stateName === stateName);
    for (;;) {
      if (this.#settled || matching().length >= count) {
        await this.settle();
        return matching();
      }
      const idle = await this.untilIdle();
      if (idle || this.#settled) return matching();
    }
  }

  sendTaskSuccess(taskToken: string, output: unknown): void {
    this.callbacks.sendTaskSuccess(taskToken, output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.callbacks.sendTaskFailure(taskToken, error, cause);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.callbacks.sendTaskHeartbeat(taskToken);
  }

  /** GetActivityTask: waits until a task for this activity is scheduled (or the execution idles/ends: then `{}`). */
  async getActivityTask(activityArn: string): Promise<{ taskToken?: string; input?: string }> {
    for (;;) {
      if (this.callbacks.hasActivityTask(activityArn) || this.#settled) return this.callbacks.takeActivityTask(activityArn);
      const idle = await this.untilIdle();
      if (idle) return this.callbacks.takeActivityTask(activityArn);
    }
  }

  /** Lets virtual time pass for the waiting tasks (heartbeat and task timeouts fall due). */
  async advanceTime(seconds: number): Promise<void> {
    this.callbacks.advance(seconds * 1000);
    await this.settle();
  }

  /** StopExecution: the execution ends ABORTED (at once if it waits on a task, else at its next state). */
  async stop(error?: string, cause?: string): Promise<ExecutionResult> {
    if (!this.#settled) {
      const stop = new ExecutionAborted(error, cause);
      this.exec.stopRequest = stop;
      this.callbacks.abortAll(stop);
    }
    return this.#done;
  }

  /**
   * The outcome. Tasks nobody answers keep waiting as on AWS: virtual time
   * jumps to the next deadline (a task's HeartbeatSeconds/TimeoutSeconds, or
   * the execution's), so this always ends.
   */
  result(): Promise<ExecutionResult> {
    if (!this.#autoAdvance) {
      this.#autoAdvance = true;
      this.callbacks.handle = this;
      this.kick();
    }
    return this.#done;
  }

  /** Lets in-process work run (a few macrotask turns). */
  private async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  /** True when tasks wait and nothing changed for a few turns; false when the execution ended or something changed. */
  private async untilIdle(): Promise<boolean> {
    let changed = false;
    const watch = this.callbacks.changed().then(() => (changed = true));
    void watch;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      if (this.#settled) return false;
    }
    return !changed;
  }
}

function wrapFinder(
  find: (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>,
  wrap: (ref: string, h: LambdaHandler) => LambdaHandler,
): (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined> {
  return (ref) => {
    const h = find(ref);
    return h instanceof Promise ? h.then((x) => (x ? wrap(ref, x) : x)) : h ? wrap(ref, h) : h;
  };
}

/** Finds a handler by name or ARN (a class, not a closure per execution: tsx's keepNames renames every closure it creates). */
class LambdaFinder {
  /** Whether `lambdas` has any handler (most runs of a catalogued workflow pass none: resolveHandler serves them). */
  private readonly hasOwn: boolean;
  constructor(
    private readonly lambdas: Readonly<Record<string, LambdaHandler>>,
    private readonly resolveHandler: RunOptions["resolveHandler"],
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.hasOwn = Object.keys(lambdas).length > 0;
  }
  find(ref: string): LambdaHandler | undefined | Promise<LambdaHandler | undefined> {
    if (!this.hasOwn) return this.resolveHandler?.(parseFunctionRef(ref, this.region, this.accountId).name);
    const direct = this.own(ref);
    if (direct) return direct;
    const { name, arn } = parseFunctionRef(ref, this.region, this.accountId);
    return this.own(name) ?? this.own(arn) ?? this.resolveHandler?.(name);
  }
  private own(key: string): LambdaHandler | undefined {
    return Object.prototype.hasOwnProperty.call(this.lambdas, key) ? this.lambdas[key] : undefined;
  }
}

/** AWS's maximum execution duration: one year for Standard workflows, five minutes for Express (Step Functions quotas). */
const STANDARD_MAX_DURATION_MS = 365 * 24 * 3600 * 1000;
const EXPRESS_MAX_DURATION_MS = 5 * 60 * 1000;

/**
 * What StartExecution refuses before an execution exists: an input over
 * 262,144 bytes of UTF-8 JSON (API reference, StartExecution "input": Length
 * Constraints), worded as AWS's ValidationException; and, our own limit, an
 * input nested deeper than MAX_NESTING_DEPTH levels.
 */
function checkExecutionInput(input: unknown): void {
  const verdict = checkPayload(input);
  if (verdict === "ok") return;
  if (verdict === "too-deep") {
    throw new InvalidExecutionInputError(
      `Execution input: nested more than ${MAX_NESTING_DEPTH} levels deep, more than the local executor supports. Flatten the input (or pass a reference to the data instead of the data).`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(input), "utf8");
  throw new InvalidExecutionInputError(
    `Execution input: 1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES} (received ${bytes} bytes). Pass large data by reference (e.g. an S3 key) instead.`,
  );
}

export interface RunWorkflowOptions extends RunOptions {
  /** Stage to render for. @default from the environment / .env (as `npm run render`) */
  readonly stage?: string;
  /** Folder holding `.env` files. @default the current directory */
  readonly cwd?: string;
}

/**
 * Renders a catalogued workflow for a stage and runs it, with its Lambda
 * functions served by the real `handlers/<handler>.ts` modules.
 */
export async function runWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionResult> {
  return (await startWorkflow(name, input, options)).result();
}

/** startExecution for a catalogued workflow (rendered for the stage, real handlers): a handle a test drives. */
export async function startWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionHandle> {
  const prepared = await prepareWorkflow(name, { stage: options.stage, cwd: options.cwd });
  return startExecution(prepared.definition, input, {
    stateMachineName: prepared.stateMachineName,
    mockStateMachineName: name,
    region: prepared.region,
    ...options,
    resolveHandler: async (functionName) => (await options.resolveHandler?.(functionName)) ?? prepared.resolveHandler(functionName),
    observer: combineObservers(options.observer, coverageObserver(name, prepared.definition)),
    resolveStateMachine: async (smName) => (await options.resolveStateMachine?.(smName)) ?? cataloguedStateMachine(smName, options),
  });
}

/** A catalogued workflow by its state machine name for the stage (`<project>-<stage>-<workflow>`), for nested executions. */
export async function cataloguedStateMachine(smName: string, options: { stage?: string; cwd?: string } = {}): Promise<ChildStateMachine | undefined> {
  const [{ WORKFLOWS }, { loadStageConfig }, naming] = await Promise.all([import("../../workflows/catalogue"), import("../config/stage"), import("../config/naming")]);
  const config = loadStageConfig({ stage: options.stage, cwd: options.cwd });
  const spec = WORKFLOWS.find((w) => naming.names.stateMachine(config, w.name) === smName);
  if (!spec) return undefined;
  const prepared = await prepareWorkflow(spec.name, { stage: options.stage, cwd: options.cwd });
  return { definition: prepared.definition, resolveHandler: prepared.resolveHandler, stateMachineType: spec.type };
}

export interface PreparedWorkflow {
  readonly definition: Record<string, unknown>;
  readonly stateMachineName: string;
  readonly region: string;
  readonly functions: readonly string[];
  /** Maps this stage's function names to `handlers/<handler>.ts`. */
  readonly resolveHandler: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
}

const preparedCache = new Map<string, PreparedWorkflow>();

/** Renders (once per workflow and stage) and returns what runWorkflow needs; exposed for benchmarks and tools. */
export async function prepareWorkflow(name: string, options: { stage?: string; cwd?: string } = {}): Promise<PreparedWorkflow> {
  // Loaded lazily: runDefinition alone should not pay for Handlebars and the lint.
  const [{ getWorkflow }, { loadStageConfig }, { renderWorkflow, localTarget }, naming, { HANDLERS_DIR }] = await Promise.all([
    import("../../workflows/catalogue"),
    import("../config/stage"),
    import("../render/render"),
    import("../config/naming"),
    import("../config/handlers"),
  ]);
  const config = loadStageConfig({ stage: options.stage, cwd: options.cwd });
  const key = `${name}\u0000${config.projectName}\u0000${config.stage}\u0000${config.region}`;
  const hit = preparedCache.get(key);
  if (hit) return hit;
  const spec = getWorkflow(name);
  const rendered = renderWorkflow(spec, config, localTarget(config));
  const byFunction = new Map<string, LambdaHandler>();
  const load = async (functionName: string): Promise<LambdaHandler | undefined> => {
    const handler = naming.handlerFromFunction(config, functionName);
    if (!handler || !rendered.functions.includes(handler)) return undefined;
    const mod = (await import(join(HANDLERS_DIR, `${handler}.ts`))) as { handler?: LambdaHandler; default?: { handler?: LambdaHandler } };
    const fn = mod.handler ?? mod.default?.handler;
    if (typeof fn !== "function") {
      throw new RunOptionsError(`handlers/${handler}.ts does not export a function named "handler"; export const handler = async (event) => ... .`);
    }
    byFunction.set(functionName, fn);
    return fn;
  };
  const prepared: PreparedWorkflow = {
    definition: rendered.definition,
    stateMachineName: naming.names.stateMachine(config, name),
    region: config.region,
    functions: rendered.functions,
    // Synchronous once loaded: this sits on every Lambda call.
    resolveHandler: (functionName) => byFunction.get(functionName) ?? load(functionName),
  };
  preparedCache.set(key, prepared);
  return prepared;
}
export { testState, TestStateValidationError } from "./test-state";
export type { TestStateRequest, TestStateResponse, TestStateOptions, InspectionData, InspectionErrorDetails, InspectionLevel } from "./test-state";
export { executionCost, formatCost, STEP_FUNCTIONS_PRICES } from "./cost";
export type { ExecutionCost, CostOptions } from "./cost";
