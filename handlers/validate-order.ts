/**
 * ValidateOrder (order-processing) and ValidateInput (error-handling).
 * Checks the raw order and returns it with its total. Every problem found is
 * reported at once as `CustomError.ValidationFailed`, which the
 * error-handling workflow catches on its own path.
 */

import { ValidationFailedError } from "./lib/errors";
import { createLogger, type RequestContext } from "./lib/logger";
import type { OrderItem, ValidatedOrder } from "./lib/order";
import { fromCents, isRecord, Problems, received, toCents } from "./lib/validate";

const logger = createLogger("validate-order");

export async function handler(event: unknown, context?: RequestContext): Promise<ValidatedOrder> {
  logger.setContext(context);
  const problems = new Problems();
  if (!isRecord(event)) {
    throw new ValidationFailedError([`the order must be a JSON object (received ${received(event)})`], "order");
  }
  problems.string(event.orderId, "orderId");
  problems.string(event.customerId, "customerId");
  const items = problems.array(event.items, "items", { nonEmpty: true }) ?? [];
  let totalCents = 0;
  items.forEach((raw, i) => {
    const item = problems.record(raw, `items[${i}]`);
    if (!item) return;
    problems.string(item.sku, `items[${i}].sku`);
    const quantity = problems.number(item.quantity, `items[${i}].quantity`, { integer: true, positive: true });
    const unitPrice = problems.number(item.unitPrice, `items[${i}].unitPrice`, { min: 0 });
    if (quantity !== undefined && unitPrice !== undefined) totalCents += quantity * toCents(unitPrice);
  });
  const payment = problems.record(event.payment, "payment");
  if (payment) {
    problems.string(payment.method, "payment.method");
    problems.string(payment.token, "payment.token");
  }
  if (!problems.empty) {
    logger.warn("order rejected", { orderId: event.orderId, problems: problems.list });
    throw new ValidationFailedError(problems.list, "order");
  }
  const order = event as unknown as ValidatedOrder & { items: OrderItem[] };
  const total = fromCents(totalCents);
  logger.info("order validated", { orderId: order.orderId, items: order.items.length, total });
  return { ...order, total, validatedAt: new Date().toISOString() };
}
