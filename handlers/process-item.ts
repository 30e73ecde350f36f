/**
 * ProcessItem (map): processes one element of `$.items`; receives
 * `{item, index}` from the Map state's ItemSelector.
 * An object item is returned with `index`, `status: "PROCESSED"` and, when it
 * has a numeric quantity and unitPrice, `lineTotal` (rounded to cents);
 * any other JSON value is returned as `{index, value, status}`.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { EXACT, event, number, parseEvent } from "./lib/schema";
import { fromCents, isRecord, toCents, withFields, type JsonRecord } from "./lib/validate";

const NAME = "process-item";
const logger = createLogger(NAME);

/** `item` is any JSON value, but must be there (checked on the parsed object: a schema for it would make it optional). */
export const MapItemEventSchema = event({
  index: number({ integer: true, min: 0 }),
}).check(
  z.superRefine((input, ctx) => {
    if (!("item" in input)) {
      ctx.addIssue({ code: "custom", path: ["item"], message: "is missing (the Map state's ItemSelector passes {item, index})", params: EXACT, input: undefined });
    }
  }),
);

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  setContext(logger, context);
  const { item, index } = parseEvent(NAME, MapItemEventSchema, event);
  if (!isRecord(item)) return { index, value: item, status: "PROCESSED" };
  const { quantity, unitPrice } = item;
  const priced = typeof quantity === "number" && typeof unitPrice === "number" && Number.isFinite(quantity) && Number.isFinite(unitPrice);
  logger.debug("item processed", { index });
  return withFields(item, priced ? { index, status: "PROCESSED", lineTotal: fromCents(quantity * toCents(unitPrice)) } : { index, status: "PROCESSED" });
}
