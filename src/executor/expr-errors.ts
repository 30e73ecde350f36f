import { StatesError } from "./errors";

/**
 * Where an expression is evaluated. `enteredEventId` is the history id of the
 * state's `...StateEntered` event: AWS prefixes every evaluation failure with
 * "An error occurred while executing the state '<state>' (entered at the event
 * id #<id>). ". Only the interpreter knows that id, so it passes it here; when
 * it is absent the cause is the bare detail sentence and the interpreter can
 * add the prefix itself with `prefixStateCause` (the error is then an
 * `ExpressionError`, which keeps the detail and the state apart).
 */
export interface ExprWhere {
  field: string;
  state: string;
  enteredEventId?: number;
}

/** A States.Runtime / States.QueryEvaluationError / States.IntrinsicFailure raised while evaluating an expression. */
export class ExpressionError extends StatesError {
  constructor(
    error: string,
    /** AWS's sentence after the "An error occurred while executing the state ..." prefix. */
    public readonly detail: string,
    public readonly state: string,
    enteredEventId?: number,
  ) {
    super(error, enteredEventId === undefined ? detail : prefixStateCause(state, enteredEventId, detail));
  }

  /** The same error with AWS's full cause, for an interpreter that did not pass `enteredEventId`. */
  withEnteredEventId(enteredEventId: number): StatesError {
    return new StatesError(this.error, prefixStateCause(this.state, enteredEventId, this.detail));
  }
}

export function prefixStateCause(state: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${state}' (entered at the event id #${enteredEventId}). ${detail}`;
}

export function runtimeError(where: { state: string; enteredEventId?: number }, detail: string): ExpressionError {
  return new ExpressionError("States.Runtime", detail, where.state, where.enteredEventId);
}

/** Compact JSON as AWS prints values inside causes ("could not be found in the input '{}'"). */
export function compactJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "null" : text;
}
