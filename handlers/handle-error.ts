/**
 * HandleError (order-processing) and HandleValidationError/HandleGenericError
 * (error-handling): records a caught failure. Receives
 * `{workflow, executionId, input}` where `input.error = {Error, Cause}` as the
 * Catch's ResultPath put it. Logs one ERROR record and returns it, so the
 * workflow keeps it in `$.errorRecord`. Neither the log nor the record carries
 * the failed input itself (it may hold a payment token): only the order id.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, nonEmptyString, parseEvent, record } from "./lib/schema";
import { isRecord, type JsonRecord } from "./lib/validate";

const NAME = "handle-error";
const logger = createLogger(NAME);

export const HandleErrorEventSchema = event({
  workflow: nonEmptyString(),
  executionId: nonEmptyString(),
  input: record({
    error: record({
      Error: nonEmptyString(),
      Cause: z.nullish(z.string({ error: (issue) => `must be a string when present (received ${typeof issue.input})` })),
    }),
  }),
});

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
  setContext(logger, context);
  const { workflow, executionId, input } = parseEvent(NAME, HandleErrorEventSchema, event);
  const record: ErrorRecord = {
    workflow,
    executionId,
    ...orderIdOf(input),
    failedWith: input.error.Error,
    cause: parseCause(input.error.Cause ?? undefined),
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
function orderIdOf(input: JsonRecord): { orderId?: string } {
  if (typeof input.orderId === "string") return { orderId: input.orderId };
  if (isRecord(input.order) && typeof input.order.orderId === "string") return { orderId: input.order.orderId };
  return {};
}
