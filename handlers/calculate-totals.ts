/**
 * ProcessA (parallel): order totals from its line items.
 * `taxRate` (0..1) on the input overrides DEFAULT_TAX_RATE; tax is rounded to
 * cents once, on the subtotal (not per line), so the total is subtotal + tax exactly.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { subtotalCents } from "./lib/money";
import { fromCents, Problems, requireEventRecord } from "./lib/validate";

const NAME = "calculate-totals";
const logger = createLogger(NAME);

export const DEFAULT_TAX_RATE = 0.2;

export interface Totals {
  readonly itemCount: number;
  readonly subtotal: number;
  readonly taxRate: number;
  readonly tax: number;
  readonly total: number;
}

export async function handler(event: unknown, context?: RequestContext): Promise<Totals> {
  logger.setContext(context);
  const order = requireEventRecord(NAME, event);
  const problems = new Problems();
  const subtotal = subtotalCents(problems, order.items);
  const taxRate = problems.number(order.taxRate, "taxRate", { min: 0 }, true) ?? DEFAULT_TAX_RATE;
  if (taxRate > 1) problems.add(`taxRate must be a fraction between 0 and 1, e.g. 0.2 for 20% (received ${taxRate})`);
  problems.throwInvalidInput(NAME);

  const tax = Math.round(subtotal! * taxRate);
  const itemCount = (order.items as { quantity: number }[]).reduce((n, item) => n + item.quantity, 0);
  const totals: Totals = { itemCount, subtotal: fromCents(subtotal!), taxRate, tax: fromCents(tax), total: fromCents(subtotal! + tax) };
  logger.debug("totals calculated", { ...totals });
  return totals;
}
