/**
 * ProcessItem (map): processes one element of `$.items`; receives
 * `{item, index}` from the Map state's ItemSelector.
 * An object item is returned with `index`, `status: "PROCESSED"` and, when it
 * has a numeric quantity and unitPrice, `lineTotal` (rounded to cents);
 * any other JSON value is returned as `{index, value, status}`.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { fromCents, isRecord, Problems, requireEventRecord, toCents, type JsonRecord } from "./lib/validate";

const NAME = "process-item";
const logger = createLogger(NAME);

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  logger.setContext(context);
  const input = requireEventRecord(NAME, event);
  const problems = new Problems();
  const index = problems.number(input.index, "index", { integer: true, min: 0 });
  if (!("item" in input)) problems.add("item is missing (the Map state's ItemSelector passes {item, index})");
  problems.throwInvalidInput(NAME);

  const item = input.item;
  if (!isRecord(item)) return { index, value: item, status: "PROCESSED" };
  const { quantity, unitPrice } = item;
  const priced = typeof quantity === "number" && typeof unitPrice === "number" && Number.isFinite(quantity) && Number.isFinite(unitPrice);
  logger.debug("item processed", { index });
  return { ...item, index, status: "PROCESSED", ...(priced ? { lineTotal: fromCents(quantity * toCents(unitPrice)) } : {}) };
}
