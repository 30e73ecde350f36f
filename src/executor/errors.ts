/**
 * A failure as Step Functions reports it: an error name (matched against
 * `ErrorEquals`) and a cause string. Everything in the executor that fails a
 * state throws this, so Retry/Catch see exactly what AWS would show.
 */
export class StatesError extends Error {
  constructor(
    /** The error name, e.g. `States.Runtime`, `States.TaskFailed` or a handler's `name`. */
    public readonly error: string,
    /** The cause string; `undefined` when AWS reports none (a Fail state without Cause). */
    public readonly causeText?: string,
  ) {
    super(`${error}: ${causeText ?? ""}`);
    this.name = "StatesError";
  }
}

/** Raised for a construct the local executor does not implement. Never a silently different result. */
export class NotSupportedError extends StatesError {
  constructor(feature: string, statePath: string) {
    super("States.Runtime", `not supported by the local executor: ${feature} at ${statePath}`);
  }
}
