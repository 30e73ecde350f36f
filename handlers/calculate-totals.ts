/**
 * ProcessA (parallel): order totals from its line items.
 * `taxRate` (0..1) on the input overrides DEFAULT_TAX_RATE; tax is rounded to
 * cents once, on the subtotal (not per line), so the total is subtotal + tax exactly.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import { PricedItemsSchema, subtotalCents } from "./lib/money";
import * as z from "zod/mini";
import { event, number, parseEvent } from "./lib/schema";
import { fromCents } from "./lib/validate";

const NAME = "calculate-totals";
const logger = createLogger(NAME);

export const DEFAULT_TAX_RATE = 0.2;

export const TotalsEventSchema = event({
  items: PricedItemsSchema,
  taxRate: z.optional(number({ min: 0 }).check(z.lte(1, { error: (issue) => `must be a fraction between 0 and 1, e.g. 0.2 for 20% (received ${String(issue.input)})` }))),
});

export interface Totals {
  readonly itemCount: number;
  readonly subtotal: number;
  readonly taxRate: number;
  readonly tax: number;
  readonly total: number;
}

export async function handler(event: unknown, context?: RequestContext): Promise<Totals> {
  setContext(logger, context);
  const order = parseEvent(NAME, TotalsEventSchema, event);
  const subtotal = subtotalCents(order.items);
  const taxRate = order.taxRate ?? DEFAULT_TAX_RATE;
  const tax = Math.round(subtotal * taxRate);
  const itemCount = order.items.reduce((n, item) => n + item.quantity, 0);
  const totals: Totals = { itemCount, subtotal: fromCents(subtotal), taxRate, tax: fromCents(tax), total: fromCents(subtotal + tax) };
  logger.debug("totals calculated", { ...totals });
  return totals;
}
