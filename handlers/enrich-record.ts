/**
 * Step2 (sequential): adds derived fields to a normalised customer record:
 *   - `domain`: the email's domain.
 *   - `segment`: "consumer" for a free-mail domain (FREE_MAIL_DOMAINS), else "business".
 *   - `displayName`: firstName + lastName, else name, else the email's local part.
 *   - `enrichedAt`: when this ran.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, nonEmptyString, parseEvent } from "./lib/schema";
import { received, withFields, type JsonRecord } from "./lib/validate";

const NAME = "enrich-record";
const logger = createLogger(NAME);

export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "yahoo.com",
  "icloud.com",
  "proton.me",
  "protonmail.com",
  "gmx.de",
  "web.de",
]);

export type Segment = "consumer" | "business";

const hasLocalPartAndDomain = (email: string) => {
  const at = email.lastIndexOf("@");
  return at > 0 && at < email.length - 1;
};

export const NormalisedRecordSchema = event({
  email: nonEmptyString().check(
    z.refine(hasLocalPartAndDomain, {
      error: (issue) => `must contain a local part and a domain (received ${received(issue.input)}); run normalize-record first`,
    }),
  ),
});

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  setContext(logger, context);
  const record = parseEvent(NAME, NormalisedRecordSchema, event);
  const email = record.email;
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1).toLowerCase();
  const segment: Segment = FREE_MAIL_DOMAINS.has(domain) ? "consumer" : "business";
  const first = typeof record.firstName === "string" ? record.firstName : "";
  const last = typeof record.lastName === "string" ? record.lastName : "";
  const displayName = `${first} ${last}`.trim() || (typeof record.name === "string" && record.name.trim()) || email.slice(0, at);
  logger.debug("record enriched", { domain, segment });
  return withFields(record, { domain, segment, displayName, enrichedAt: new Date().toISOString() });
}
