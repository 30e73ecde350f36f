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
import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, list, nonEmptyString, number, parseEvent, record } from "./lib/schema";
import { withFields } from "./lib/validate";

const NAME = "update-inventory";
const logger = createLogger(NAME);

export const MAX_RESERVABLE_PER_SKU = 1000;
export const OUT_OF_STOCK_PREFIX = "OOS-";

export const PaidOrderEventSchema = event({
  orderId: nonEmptyString(),
  items: list(record({ sku: nonEmptyString(), quantity: number({ integer: true, positive: true }) }), { nonEmpty: true }),
  // Reserving stock for an unpaid order would hold goods nobody paid for.
  payment: record({
    status: z.literal("CHARGED", {
      error: (issue) => `must be "CHARGED" before stock is reserved (received ${JSON.stringify(issue.input ?? null)})`,
    }),
  }),
});

export type PaidOrderEvent = z.output<typeof PaidOrderEventSchema>;

export interface Reservation {
  readonly sku: string;
  readonly quantity: number;
}

export type FulfilledOrder = PaidOrderEvent & {
  readonly inventory: { readonly reservations: readonly Reservation[]; readonly reservedAt: string };
  readonly status: "COMPLETED";
};

export async function handler(input: unknown, context?: RequestContext): Promise<FulfilledOrder> {
  setContext(logger, context);
  const paid = parseEvent(NAME, PaidOrderEventSchema, input);
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
  return withFields(paid, { inventory: { reservations, reservedAt: new Date().toISOString() }, status: "COMPLETED" as const });
}
