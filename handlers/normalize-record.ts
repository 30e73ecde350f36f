/**
 * Step1 (sequential): normalises a customer record so later steps can compare
 * and join on it:
 *   - `email` (required): trimmed and lower-cased; must look like local@domain.
 *   - `name`, `firstName`, `lastName` (optional): trimmed, inner whitespace collapsed to one space.
 *   - `birthDate`, `createdAt`, `updatedAt` (optional): any date `Date` parses -> ISO 8601 (UTC).
 * Other fields pass through unchanged. A malformed record is `InvalidInput`.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, nonEmptyString, parseEvent } from "./lib/schema";
import type { JsonRecord } from "./lib/validate";

const NAME = "normalize-record";
const logger = createLogger(NAME);

export const NAME_FIELDS = ["name", "firstName", "lastName"] as const;
export const DATE_FIELDS = ["birthDate", "createdAt", "updatedAt"] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const DATE_RULE = "must be a date string or epoch milliseconds";
const dateLike = () => z.optional(z.union([z.string(), z.number()], { error: DATE_RULE }).check(z.refine((v) => !Number.isNaN(new Date(v).getTime()), { error: DATE_RULE })));

export const CustomerRecordSchema = event({
  email: nonEmptyString().check(z.refine((e) => EMAIL.test(e.trim().toLowerCase()), { error: "must look like local@domain.tld" })),
  name: z.optional(nonEmptyString()),
  firstName: z.optional(nonEmptyString()),
  lastName: z.optional(nonEmptyString()),
  birthDate: dateLike(),
  createdAt: dateLike(),
  updatedAt: dateLike(),
});

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  setContext(logger, context);
  const record = parseEvent(NAME, CustomerRecordSchema, event);
  const out: JsonRecord = { ...record, email: record.email.trim().toLowerCase() };
  for (const field of NAME_FIELDS) {
    const value = record[field];
    if (value !== undefined) out[field] = value.trim().replace(/\s+/g, " ");
  }
  for (const field of DATE_FIELDS) {
    const value = record[field];
    if (value !== undefined) out[field] = new Date(value).toISOString();
  }
  logger.debug("record normalised", { fields: Object.keys(out) });
  return out;
}
