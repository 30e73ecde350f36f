/** Line items and their sum, in cents, shared by calculate-totals and assess-risk. */

import * as z from "zod/mini";
import { list, number, record } from "./schema";
import { toCents } from "./validate";

/** Non-empty; positive integer quantities, non-negative prices (sku optional). */
export const PricedItemsSchema = list(record({ quantity: number({ integer: true, positive: true }), unitPrice: number({ min: 0 }) }), { nonEmpty: true });

export type PricedItem = z.output<typeof PricedItemsSchema>[number];

export function subtotalCents(items: readonly PricedItem[]): number {
  return items.reduce((cents, item) => cents + item.quantity * toCents(item.unitPrice), 0);
}
