/**
 * HandleError (order-processing) and HandleValidationError/HandleGenericError
 * (error-handling): records a caught failure. Receives
 * `{workflow, executionId, input}` where `input.error = {Error, Cause}` as the
 * Catch's ResultPath put it. Logs one ERROR record and returns it, so the
 * workflow keeps it in `$.errorRecord`.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { isRecord, Problems, requireEventRecord } from "./lib/validate";

const NAME = "handle-error";
const logger = createLogger(NAME);

export interface ErrorRecord {
  readonly workflow: string;
  readonly executionId: string;
  readonly orderId?: string;
  /** The caught error's name, e.g. `Payment.Declined` or `States.Timeout`. */
  readonly failedWith: string;
  /**
   * The Cause, parsed when it is JSON (a Lambda error arrives as
   * `{"errorType","errorMessage","trace"}`), else the string as given;
   * null when the error carried no Cause.
   */
  readonly cause: unknown;
  readonly recordedAt: string;
}

export async function handler(event: unknown, context?: RequestContext): Promise<ErrorRecord> {
  logger.setContext(context);
  const payload = requireEventRecord(NAME, event);
  const problems = new Problems();
  const workflow = problems.string(payload.workflow, "workflow");
  const executionId = problems.string(payload.executionId, "executionId");
  const input = problems.record(payload.input, "input");
  let failedWith: string | undefined;
  let causeText: string | undefined;
  if (input) {
    const error = problems.record(input.error, "input.error");
    if (error) {
      failedWith = problems.string(error.Error, "input.error.Error");
      if (error.Cause !== undefined && error.Cause !== null && typeof error.Cause !== "string") {
        problems.add(`input.error.Cause must be a string when present (received ${typeof error.Cause})`);
      } else {
        causeText = error.Cause ?? undefined;
      }
    }
  }
  problems.throwInvalidInput(NAME);

  const record: ErrorRecord = {
    workflow: workflow!,
    executionId: executionId!,
    ...orderIdOf(input!),
    failedWith: failedWith!,
    cause: parseCause(causeText),
    recordedAt: new Date().toISOString(),
  };
  logger.error("workflow step failed", { record });
  return record;
}

function parseCause(cause: string | undefined): unknown {
  if (cause === undefined) return null;
  try {
    return JSON.parse(cause);
  } catch {
    return cause;
  }
}

/** The failed order's id, whether the input is the order itself or `{order}` (process-payment's payload). */
function orderIdOf(input: Record<string, unknown>): { orderId?: string } {
  if (typeof input.orderId === "string") return { orderId: input.orderId };
  if (isRecord(input.order) && typeof input.order.orderId === "string") return { orderId: input.order.orderId };
  return {};
}
