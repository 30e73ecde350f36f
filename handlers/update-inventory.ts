/**
 * UpdateInventory (order-processing): reserves stock for a paid order.
 * Pure and deterministic (no inventory service is wired in): lines of the same
 * SKU are merged, in first-seen order, and a reservation fails with
 * `Inventory.OutOfStock` when
 *   - the SKU starts with `OOS-` (an item flagged as out of stock), or
 *   - more than MAX_RESERVABLE_PER_SKU units of one SKU are ordered.
 * Both keep the workflow's Catch path reachable with real input.
 */

import { OutOfStockError } from "./lib/errors";
import { createLogger, type RequestContext } from "./lib/logger";
import type { PaidOrder } from "./lib/order";
import { Problems, requireEventRecord } from "./lib/validate";

const NAME = "update-inventory";
const logger = createLogger(NAME);

export const MAX_RESERVABLE_PER_SKU = 1000;
export const OUT_OF_STOCK_PREFIX = "OOS-";

export interface Reservation {
  readonly sku: string;
  readonly quantity: number;
}

export interface FulfilledOrder extends PaidOrder {
  readonly inventory: { readonly reservations: readonly Reservation[]; readonly reservedAt: string };
  readonly status: "COMPLETED";
}

export async function handler(event: unknown, context?: RequestContext): Promise<FulfilledOrder> {
  logger.setContext(context);
  const order = requireEventRecord(NAME, event);
  const problems = new Problems();
  problems.string(order.orderId, "orderId");
  const items = problems.array(order.items, "items", { nonEmpty: true }) ?? [];
  items.forEach((raw, i) => {
    const item = problems.record(raw, `items[${i}]`);
    if (!item) return;
    problems.string(item.sku, `items[${i}].sku`);
    problems.number(item.quantity, `items[${i}].quantity`, { integer: true, positive: true });
  });
  // Reserving stock for an unpaid order would hold goods nobody paid for.
  const payment = problems.record(order.payment, "payment");
  if (payment && payment.status !== "CHARGED") {
    problems.add(`payment.status must be "CHARGED" before stock is reserved (received ${JSON.stringify(payment.status ?? null)})`);
  }
  problems.throwInvalidInput(NAME);

  const paid = order as unknown as PaidOrder;
  const bySku = new Map<string, number>();
  for (const item of paid.items) bySku.set(item.sku, (bySku.get(item.sku) ?? 0) + item.quantity);
  const reservations: Reservation[] = [];
  for (const [sku, quantity] of bySku) {
    if (sku.startsWith(OUT_OF_STOCK_PREFIX)) {
      throw new OutOfStockError(`SKU ${sku} is out of stock (order ${paid.orderId}).`, { orderId: paid.orderId, sku, quantity });
    }
    if (quantity > MAX_RESERVABLE_PER_SKU) {
      throw new OutOfStockError(
        `SKU ${sku}: ${quantity} units requested, at most ${MAX_RESERVABLE_PER_SKU} can be reserved (order ${paid.orderId}).`,
        { orderId: paid.orderId, sku, quantity },
      );
    }
    reservations.push({ sku, quantity });
  }
  logger.info("stock reserved", { orderId: paid.orderId, reservations });
  return { ...paid, inventory: { reservations, reservedAt: new Date().toISOString() }, status: "COMPLETED" };
}
