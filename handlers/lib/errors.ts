/**
 * Typed handler errors. Step Functions matches `ErrorEquals` against the
 * error's `name` (Lambda reports it as `errorType`), so every class sets `name`
 * to a string literal: minified bundles rename classes, and a name taken from
 * the class would change with them.
 */

/** Base class: a `name` Step Functions can match, plus optional structured details for logs. */
export class HandlerError extends Error {
  constructor(
    name: string,
    message: string,
    public readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * A business rule rejected the input (e.g. an order with no items). Listed
 * problems are joined into the message so the Catch path's `Cause` shows them all.
 * The error-handling workflow catches this name separately from everything else.
 */
export class ValidationFailedError extends HandlerError {
  static readonly errorName = "CustomError.ValidationFailed";
  constructor(public readonly problems: readonly string[], subject = "input") {
    super(ValidationFailedError.errorName, `Invalid ${subject}: ${problems.join("; ")}`, { problems });
  }
}

/**
 * The event does not have the shape this handler takes (wrong type, missing
 * field): a wiring bug in the workflow or the caller, not a business failure.
 */
export class InvalidInputError extends HandlerError {
  static readonly errorName = "InvalidInput";
  constructor(handler: string, public readonly problems: readonly string[]) {
    super(InvalidInputError.errorName, `${handler}: invalid event: ${problems.join("; ")}`, { problems });
  }
}

/** The payment was refused for good (card declined): retrying cannot help. */
export class PaymentDeclinedError extends HandlerError {
  static readonly errorName = "Payment.Declined";
  constructor(message: string, details?: Record<string, unknown>) {
    super(PaymentDeclinedError.errorName, message, details);
  }
}

/** The payment provider was briefly unavailable: the workflow retries this name. */
export class PaymentTransientFailureError extends HandlerError {
  static readonly errorName = "Payment.TransientFailure";
  constructor(message: string, details?: Record<string, unknown>) {
    super(PaymentTransientFailureError.errorName, message, details);
  }
}

/** Stock for an item cannot be reserved. */
export class OutOfStockError extends HandlerError {
  static readonly errorName = "Inventory.OutOfStock";
  constructor(message: string, details?: Record<string, unknown>) {
    super(OutOfStockError.errorName, message, details);
  }
}

/** A scheduled task whose type no runner knows. */
export class UnknownTaskError extends HandlerError {
  static readonly errorName = "Task.UnknownType";
  constructor(type: string, known: readonly string[]) {
    super(UnknownTaskError.errorName, `Unknown scheduled task type "${type}". Known types: ${known.join(", ")}.`, { type });
  }
}
