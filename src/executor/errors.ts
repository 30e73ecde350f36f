/**
 * The executor's errors.
 *
 * - `StatesError`: a failure as Step Functions reports it, an error name
 *   (matched against `ErrorEquals`) and a cause string. Everything that fails
 *   a state throws one, so Retry/Catch see exactly what AWS would show. It is
 *   a value, not a bug report: no stack trace is captured (that was a fifth of
 *   the cost of a retried task, and nobody reads it), and it is not built
 *   through V8's Error constructor either (0.3 us an error even without a
 *   stack); its prototype chain still makes it an Error.
 * - `TaskFailure`: a StatesError raised by a Task's resource or a Fail state;
 *   its cause is kept as is (no "An error occurred while executing the state"
 *   prefix, which only evaluation errors get).
 * - `ExecutionStop`: ends the whole execution, past every Retry and Catch
 *   (the execution's TimeoutSeconds, the history quota).
 * - `InvalidDefinitionError`, `InvalidExecutionInputError`: project errors
 *   raised before an execution starts, as CreateStateMachine / StartExecution
 *   refuse them.
 */
import { ProjectError } from "../errors";

// An Error to everything that asks (instanceof Error, Error.prototype.toString, util.inspect, jest's
// toThrow) without going through V8's Error constructor, which costs 0.3 us even with no stack trace
// to capture: a retried function error pays it on every attempt. Its prototype is linked below.
export interface StatesError extends Error {}
export class StatesError {
  /** The error name, e.g. `States.Runtime`, `States.TaskFailed` or a handler's `name`. */
  readonly error: string;
  #cause: string | undefined | (() => string);
  name = "StatesError";
  message: string;
  /**
   * @param causeText the cause; `undefined` when AWS reports none (a Fail state
   * without Cause); a function when it is costly to build and may never be
   * read (a retried function error's stack trace).
   */
  constructor(error: string, causeText?: string | (() => string)) {
    this.error = error;
    this.#cause = causeText;
    this.message = typeof causeText === "function" ? error : `${error}: ${causeText ?? ""}`;
  }

  /** The cause string; `undefined` when AWS reports none. */
  get causeText(): string | undefined {
    if (typeof this.#cause === "function") this.#cause = this.#cause();
    return this.#cause;
  }

  /** No stack trace is captured: what one would print first. */
  get stack(): string {
    return `${this.name}: ${this.message}`;
  }
}
Object.setPrototypeOf(StatesError.prototype, Error.prototype);

/** Raised by a Task's resource or a Fail state: the cause reaches Catch and the execution unchanged. */
export class TaskFailure extends StatesError {
  static from(err: StatesError): TaskFailure {
    return err instanceof TaskFailure ? err : new TaskFailure(err.error, () => err.causeText as string);
  }
}

/** Raised for a construct the local executor does not implement. Never a silently different result. */
export class NotSupportedError extends StatesError {
  constructor(feature: string, statePath: string) {
    super("States.Runtime", `not supported by the local executor: ${feature} at ${statePath}`);
  }
}

/** Ends the execution whatever Retry/Catch say. */
export abstract class ExecutionStop extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super("execution stopped");
    Error.stackTraceLimit = limit;
  }
}

/** The execution hit its TimeoutSeconds (or AWS's maximum duration): TIMED_OUT. */
export class ExecutionTimeout extends ExecutionStop {}

/** StopExecution: ABORTED with this error and cause (both optional, as the API takes them). */
export class ExecutionAborted extends ExecutionStop {
  constructor(
    readonly error: string | undefined,
    readonly causeText: string | undefined,
  ) {
    super();
  }
}

/** The execution failed outright (e.g. the 25,000-event history quota): FAILED with this error and cause. */
export class ExecutionFailure extends ExecutionStop {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super();
  }
}

/** A definition that AWS would reject at CreateStateMachine: raised before any execution starts. */
export class InvalidDefinitionError extends ProjectError {}

/** An execution input that StartExecution would refuse (size, nesting): raised before the execution starts. */
export class InvalidExecutionInputError extends ProjectError {}

/** A Step Functions Local MockConfigFile.json that cannot be used (unreadable, malformed, missing a case). */
export class MockConfigError extends ProjectError {}

/** Run options or a handler module the executor cannot use (a bad start time, a missing export). */
export class RunOptionsError extends ProjectError {}
