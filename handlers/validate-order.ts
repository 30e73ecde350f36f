/**
 * ValidateOrder (order-processing) and ValidateInput (error-handling).
 * Checks the raw order (lib/order.ts) and returns it with its total. Every
 * problem found is reported at once as `CustomError.ValidationFailed`, which
 * the error-handling workflow catches on its own path; input that is not an
 * object at all is a validation failure too, so a bad order always takes that path.
 */

import { ValidationFailedError } from "./lib/errors";
import { createLogger, setContext, type RequestContext } from "./lib/logger";
import { OrderSchema, type ValidatedOrder } from "./lib/order";
import { parseBusinessInput } from "./lib/schema";
import { fromCents, isRecord, toCents, withFields } from "./lib/validate";

const logger = createLogger("validate-order");

export async function handler(event: unknown, context?: RequestContext): Promise<ValidatedOrder> {
  setContext(logger, context);
  let order;
  try {
    order = parseBusinessInput("order", OrderSchema, event);
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      logger.warn("order rejected", { orderId: isRecord(event) ? event.orderId : undefined, problems: error.problems });
    }
    throw error;
  }
  const total = fromCents(order.items.reduce((cents, item) => cents + item.quantity * toCents(item.unitPrice), 0));
  logger.info("order validated", { orderId: order.orderId, items: order.items.length, total });
  return withFields(order, { total, validatedAt: new Date().toISOString() });
}
