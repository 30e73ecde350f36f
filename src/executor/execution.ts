/**
 * The driver: runs a compiled definition the way Step Functions does, one
 * state after another, with Retry and Catch applied in one place for every
 * state type. What each state does lives in states/<type>.ts; how its fields
 * are read (JSONPath or JSONata) in query.ts.
 */
import { ExecutionAborted, ExecutionFailure, ExecutionStop, ExecutionTimeout, StatesError, TaskFailure } from "./errors";
import { ExpressionError, prefixStateCause } from "./expr-errors";
import { HistoryRecorder, EventCursor, LazyJson, NOT_TRUNCATED, payloadDetails } from "./history";
import { Timeline, isoTime } from "./clock";
import { errorMatches, retryDelayMs } from "./retry";
import { LambdaHandler, LambdaRuntimeStyle } from "./lambda";
import { StateMock } from "./mocks";
import { CompiledDefinition, CompiledMachine, CompiledState, StateOutcome } from "./compile";
import { EvalContext } from "./eval-context";
import { copyOwnFields } from "./json";

type Json = any;

/** Everything fixed for one execution. */
export interface ExecutionSetup {
  readonly compiled: CompiledDefinition;
  readonly input: Json;
  readonly history: HistoryRecorder;
  readonly timeline: Timeline;
  readonly executionContext: { Execution: Record<string, Json>; StateMachine: Record<string, Json> };
  readonly region: string;
  readonly accountId: string;
  readonly findLambda: (nameOrArn: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
  readonly mocks: Readonly<Record<string, StateMock>>;
  readonly lambdaRuntime: LambdaRuntimeStyle;
  readonly random: () => number;
  readonly taskTokenFactory: () => string;
  /** Whether `timeline` is the real clock. */
  readonly realTime: boolean;
  /** AWS's maximum execution duration (1 year Standard, 5 minutes Express), in ms. */
  readonly maxDurationMs: number;
  /** Told what the execution does (states entered, Choice rules, Retry and Catch rules): coverage and call recording. */
  readonly observer?: ExecutionObserver;
  /** Set for a redrive: the count it will have, and where the previous run stopped. */
  readonly redrive?: { readonly count: number; readonly resume?: ResumePoint; readonly originalStartMs: number };
  /** Starts a nested execution (states:startExecution); undefined when the state machine is unknown. */
  readonly startChild?: import("./nested").ChildStarter;
  /** The folder standing for S3 (`<dir>/<bucket>/<key>`) for ItemReader and ResultWriter. */
  readonly s3Dir?: string;
  /** Answers `.waitForTaskToken` and activity tasks that have no mock (startExecution's handle). */
  readonly callbacks?: import("./callbacks").CallbackBroker;
}

/** Hooks for tools (observer.ts): called synchronously; they must not throw. */
export interface ExecutionObserver {
  stateEntered?(state: CompiledState, input: Json): void;
  /** A Choice state's decision: the index of the rule taken, or -1 for Default. */
  choiceTaken?(state: CompiledState, ruleIndex: number): void;
  retried?(state: CompiledState, retryIndex: number, error: string): void;
  caught?(state: CompiledState, catchIndex: number, error: string): void;
}

/** One thread of control: the top level, a Parallel branch or a Map iteration. */
export interface Frame {
  readonly variables: Record<string, Json>;
  readonly cursor: EventCursor;
  readonly time: Timeline;
  readonly mapItem?: { Index: number; Value: Json };
  /** Set when a sibling branch/iteration failed: this one stops at its next state, as AWS aborts it. */
  readonly abort?: AbortToken;
  /** Where this frame stopped when an error left it (for redrive). */
  failedAt?: ResumePoint;
  /** Set by a Parallel/Map state while it runs: what each branch/iteration did (for redrive). */
  childOutcomes?: ChildOutcome[];
  /** On redrive: what the Parallel/Map state being resumed did last time (read once by its handler). */
  resumeChildren?: ChildOutcome[];
}

/** Where a redrive resumes a frame: the state that failed, its input and the variables before it. */
export interface ResumePoint {
  readonly state: string;
  readonly input: Json;
  readonly variables: Record<string, Json>;
  /** For a Parallel/Map state: each branch's/iteration's outcome. */
  readonly children?: ChildOutcome[];
}

/** A branch/iteration that succeeded (its output is kept), stopped (resume it there), or never started (undefined). */
export type ChildOutcome = { readonly output: Json } | { readonly resume: ResumePoint } | undefined;

export interface AbortToken {
  aborted: boolean;
  readonly parent?: AbortToken;
}

function isAborted(token: AbortToken | undefined): boolean {
  for (let t = token; t; t = t.parent) if (t.aborted) return true;
  return false;
}

/** A branch or iteration stopped because a sibling failed; never surfaces as the execution's error. */
export class BranchAborted extends ExecutionStop {}

export interface RawOutcome {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  output?: Json;
  error?: string;
  cause?: string;
}

export class Execution {
  readonly deadline: number;
  /** Set by StopExecution: the execution ends ABORTED at its next state. */
  stopRequest?: ExecutionAborted;
  /** Whether the deadline is the definition's TimeoutSeconds (a real clock must then interrupt hung handlers). */
  private readonly hasTimeout: boolean;
  readonly mockCalls = new Map<string, number>();

  constructor(readonly setup: ExecutionSetup) {
    const t = setup.compiled.timeoutSeconds;
    const start = setup.timeline.now();
    this.hasTimeout = t !== undefined;
    // A redriven execution gets its TimeoutSeconds afresh; the maximum open time (1 year) counts from the first start.
    this.deadline = Math.min((setup.redrive?.originalStartMs ?? start) + setup.maxDurationMs, t !== undefined ? start + t * 1000 : Infinity);
  }

  /** Set once this attempt has been redriven (a later redrive must start from the newer result). */
  redriven = false;
  /** The top-level frame's stopping point after a FAILED/TIMED_OUT/ABORTED run (what redrive resumes). */
  resumePoint?: ResumePoint;

  async run(): Promise<RawOutcome> {
    const { history, timeline, input, redrive } = this.setup;
    const frame: Frame = { variables: {}, cursor: { lastEventId: redrive ? history.lastEventId : 0 }, time: timeline };
    if (redrive) {
      history.reopen();
      history.add(frame.cursor, timeline.now(), "ExecutionRedriven", { redriveCount: redrive.count });
    } else {
      history.add(frame.cursor, timeline.now(), "ExecutionStarted", {
        input: new LazyJson(input),
        inputDetails: NOT_TRUNCATED,
        roleArn: this.setup.executionContext.Execution.RoleArn,
      });
    }
    try {
      const output = await this.withExecutionDeadline(this.runMachine(this.setup.compiled.root, input, frame, redrive?.resume));
      history.add(frame.cursor, frame.time.now(), "ExecutionSucceeded", payloadDetails("output", output));
      history.close();
      return { status: "SUCCEEDED", output };
    } catch (err) {
      this.resumePoint = frame.failedAt;
      if (err instanceof ExecutionAborted) {
        const details: Record<string, Json> = {};
        if (err.error !== undefined) details.error = err.error;
        if (err.causeText !== undefined) details.cause = err.causeText;
        history.add(frame.cursor, frame.time.now(), "ExecutionAborted", details);
        history.close();
        return { status: "ABORTED", error: err.error, cause: err.causeText };
      }
      if (err instanceof ExecutionTimeout) {
        history.add(frame.cursor, frame.time.now(), "ExecutionTimedOut", {});
        history.close();
        return { status: "TIMED_OUT" };
      }
      const failure = err instanceof ExecutionFailure ? err : err instanceof StatesError ? err : undefined;
      if (failure) {
        const details: Record<string, Json> = {};
        if (failure.error !== undefined) details.error = failure.error;
        if (failure.causeText !== undefined) details.cause = failure.causeText;
        history.add(frame.cursor, frame.time.now(), "ExecutionFailed", details);
        history.close();
        return { status: "FAILED", error: failure.error, cause: failure.causeText };
      }
      throw err;
    }
  }

  /**
   * On a real clock, the execution's TimeoutSeconds must also interrupt a
   * handler that hangs; on the virtual clock the deadline is checked at state
   * boundaries and in sleeps, where virtual time moves.
   */
  private withExecutionDeadline<T>(work: Promise<T>): Promise<T> {
    if (!this.hasTimeout || !this.setup.realTime) return work;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ExecutionTimeout()), Math.max(0, this.deadline - Date.now()));
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  }

  async runMachine(machine: CompiledMachine, input: Json, frame: Frame, resume?: ResumePoint): Promise<Json> {
    let state = machine.states.get(resume ? resume.state : machine.startAt)!;
    let current = resume ? resume.input : input;
    if (resume) {
      Object.assign(frame.variables, copyOwnFields(resume.variables));
      frame.resumeChildren = resume.children;
    }
    for (;;) {
      try {
        if (frame.time.now() >= this.deadline) throw new ExecutionTimeout();
        if (this.stopRequest) throw this.stopRequest;
        if (frame.abort && isAborted(frame.abort)) throw new BranchAborted();
        if (frame.childOutcomes !== undefined) frame.childOutcomes = undefined;
        const outcome = await this.runState(state, current, frame);
        current = outcome.output;
        if (outcome.next === undefined) return current;
        state = machine.states.get(outcome.next)!;
      } catch (err) {
        frame.failedAt = { state: state.name, input: current, variables: copyOwnFields(frame.variables), children: frame.childOutcomes };
        throw err;
      }
    }
  }

  /** Sleeps on the frame's timeline, stopping at the execution deadline. */
  async sleep(frame: Frame, ms: number): Promise<void> {
    if (frame.time.now() + ms >= this.deadline) {
      await frame.time.sleep(this.deadline - frame.time.now());
      throw new ExecutionTimeout();
    }
    await frame.time.sleep(ms);
  }

  /** The context object of one attempt of a state. */
  contextObject(state: CompiledState, frame: Frame, enteredMs: number, retryCount: number): Json {
    const enteredTime = isoTime(enteredMs);
    const ec = this.setup.executionContext;
    const st: Record<string, Json> = state.type === "Task" ? { Name: state.name, EnteredTime: enteredTime, RetryCount: retryCount } : { Name: state.name, EnteredTime: enteredTime };
    const ctx: Record<string, Json> = { Execution: ec.Execution, StateMachine: ec.StateMachine, State: st };
    if (frame.mapItem) ctx.Map = { Item: frame.mapItem };
    return ctx;
  }

  /** One state, its retries and its catchers: the only Retry/Catch loop of the executor. */
  private async runState(state: CompiledState, input: Json, frame: Frame): Promise<StateOutcome> {
    const { history } = this.setup;
    const enteredMs = frame.time.now();
    const enteredId = history.addState(frame.cursor, enteredMs, state.enteredType, state.name, input);
    this.setup.observer?.stateEntered?.(state, input);
    let retryCount = 0;
    let attempts: number[] | undefined;
    for (;;) {
      const ec = new EvalContext(this, state, input, frame, enteredMs, retryCount, enteredId);
      let err: StatesError;
      try {
        const pending = state.run(ec);
        const outcome = pending instanceof Promise ? await pending : pending;
        if (outcome instanceof TaskFailure) err = outcome;
        else {
          ec.checkSize(outcome.output);
          history.addState(frame.cursor, frame.time.now(), state.exitedType, state.name, outcome.output);
          return outcome;
        }
      } catch (raw) {
        if (raw instanceof ExecutionStop) throw raw;
        err = ec.asStatesError(raw);
      }
      if (!state.recovers) throw err;
      // Retry first: the first retrier whose ErrorEquals matches decides.
      const ri = firstMatch(state.retry, err.error);
      if (ri >= 0) {
        const retrier = state.retry[ri];
        attempts ??= new Array<number>(state.retry.length).fill(0);
        if (attempts[ri] < (retrier.MaxAttempts ?? 3)) {
          const delay = retryDelayMs(retrier, attempts[ri], this.setup.random);
          attempts[ri]++;
          retryCount++;
          this.setup.observer?.retried?.(state, ri, err.error);
          await this.sleep(frame, delay);
          continue;
        }
      }
      const ci = firstMatch(state.catch, err.error);
      if (ci < 0) throw err;
      const catcher = state.catch[ci];
      this.setup.observer?.caught?.(state, ci, err.error);
      let output: Json;
      try {
        output = await ec.caught(catcher, err);
        ec.checkSize(output);
      } catch (raw) {
        if (raw instanceof ExecutionStop) throw raw;
        throw ec.asStatesError(raw);
      }
      history.addState(frame.cursor, frame.time.now(), state.exitedType, state.name, output);
      return { output, next: catcher.Next };
    }
  }

  /** A Parallel branch's or Map iteration's frame: the outer variables as they were on entry; its own assignments stay inside. */
  childFrame(frame: Frame, abort: AbortToken, mapItem?: { Index: number; Value: Json }): Frame {
    return { variables: copyOwnFields(frame.variables), cursor: { lastEventId: frame.cursor.lastEventId }, time: frame.time.fork(), mapItem, abort };
  }

  /** Continues the parent after its branches: latest time, latest event. */
  join(frame: Frame, children: readonly Frame[]): void {
    frame.time.join(children.map((f) => f.time));
    let last = frame.cursor.lastEventId;
    for (const f of children) if (f.cursor.lastEventId > last) last = f.cursor.lastEventId;
    frame.cursor.lastEventId = last;
  }
}

/** The index of the first Retry/Catch rule whose ErrorEquals matches, or -1 (a loop: no closure per failed attempt). */
function firstMatch(rules: readonly { readonly ErrorEquals: readonly string[] }[], error: string): number {
  for (let i = 0; i < rules.length; i++) if (errorMatches(rules[i].ErrorEquals, error)) return i;
  return -1;
}


/** Errors raised by a task or a Fail state keep their cause; evaluation errors get AWS's "while executing the state" prefix. */
export function toStatesError(raw: unknown, state: CompiledState, enteredId: number): StatesError {
  if (raw instanceof TaskFailure) return raw;
  if (raw instanceof ExpressionError) {
    return raw.causeText?.startsWith("An error occurred while executing the state") ? raw : raw.withEnteredEventId(enteredId);
  }
  if (raw instanceof StatesError) {
    if ((raw.error === "States.Runtime" || raw.error === "States.QueryEvaluationError") && !raw.causeText?.startsWith("An error occurred while executing the state")) {
      return new StatesError(raw.error, prefixStateCause(state.name, enteredId, raw.causeText ?? ""));
    }
    return raw;
  }
  if (raw instanceof RangeError && /call stack/i.test(raw.message)) {
    return new StatesError(
      "States.Runtime",
      prefixStateCause(state.name, enteredId, `The data is nested too deeply for the local executor (more than about ${1000} levels); flatten it.`),
    );
  }
  // A bug in the executor or the expression layer: fail the execution loudly, naming the state.
  const message = raw instanceof Error ? raw.message : String(raw);
  return new StatesError("States.Runtime", prefixStateCause(state.name, enteredId, `Internal error in the local executor: ${message}`));
}
