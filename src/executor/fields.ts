/** Small helpers shared by the query languages and the state handlers: value types and timestamps as AWS words and parses them. */

export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v === undefined) return "undefined";
  return typeof v === "object" ? "object" : typeof v;
}

export function isJsonataExpr(v: unknown): v is string {
  return typeof v === "string" && v.startsWith("{%") && v.endsWith("%}");
}

/** The text AWS quotes for a field's expression: the inside of `{% %}`, or the JSON of a literal. */
export function exprText(v: unknown): string {
  return isJsonataExpr(v) ? v.slice(2, -2).trim() : JSON.stringify(v);
}

/**
 * Step Functions accepts RFC 3339 timestamps with an upper-case T and an
 * explicit offset (Z or ±hh:mm); anything else is rejected. As Java's
 * ISO_OFFSET_DATE_TIME, a fraction of a second has at most 9 digits
 * (nanoseconds) and an offset at most ±18:00.
 */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export function parseAwsTimestamp(text: string): number | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, da, h, mi, s] = m.map(Number) as unknown as number[];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const offset = m[8];
  if (offset !== "Z" && (Number(offset.slice(1, 3)) > 18 || Number(offset.slice(4, 6)) > 59)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2023-02-30 over into March: reject dates that do not exist.
  const check = new Date(Date.UTC(y, mo - 1, da));
  check.setUTCFullYear(y);
  if (check.getUTCDate() !== da) return undefined;
  return ms;
}
