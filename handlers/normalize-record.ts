/**
 * Step1 (sequential): normalises a customer record so later steps can compare
 * and join on it:
 *   - `email` (required): trimmed and lower-cased; must look like local@domain.
 *   - `name`, `firstName`, `lastName` (optional): trimmed, inner whitespace collapsed to one space.
 *   - `birthDate`, `createdAt`, `updatedAt` (optional): any date `Date` parses -> ISO 8601 (UTC).
 * Other fields pass through unchanged. A malformed record is `InvalidInput`.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { Problems, received, requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "normalize-record";
const logger = createLogger(NAME);

export const NAME_FIELDS = ["name", "firstName", "lastName"] as const;
export const DATE_FIELDS = ["birthDate", "createdAt", "updatedAt"] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  logger.setContext(context);
  const record = requireEventRecord(NAME, event);
  const problems = new Problems();
  const out: JsonRecord = { ...record };

  const email = problems.string(record.email, "email");
  if (email !== undefined) {
    const normalised = email.trim().toLowerCase();
    if (EMAIL.test(normalised)) out.email = normalised;
    else problems.add(`email must look like local@domain.tld (received ${received(email)})`);
  }
  for (const field of NAME_FIELDS) {
    const value = problems.string(record[field], field, true);
    if (value !== undefined) out[field] = value.trim().replace(/\s+/g, " ");
  }
  for (const field of DATE_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    const date = typeof value === "string" || typeof value === "number" ? new Date(value) : undefined;
    if (date && !Number.isNaN(date.getTime())) out[field] = date.toISOString();
    else problems.add(`${field} must be a date string or epoch milliseconds (received ${received(value)})`);
  }
  problems.throwInvalidInput(NAME);
  logger.debug("record normalised", { fields: Object.keys(out) });
  return out;
}
