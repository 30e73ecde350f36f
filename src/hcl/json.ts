/**
 * JSON exactly as Terraform's `jsonencode` writes it (Go's encoding/json through
 * cty): compact, object keys sorted by code point, `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as \u003c..., so that a JSON text built here and
 * `jsonencode({...})` of the same value in HCL are the same bytes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const byCodePoint = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

const GO_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** A string literal as Go's encoding/json writes it (HTML-safe). */
export function goJsonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (code < 0x20 || ch === "<" || ch === ">" || ch === "&" || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd"; // a lone surrogate: Go writes the replacement character
    else out += ch;
  }
  return `${out}"`;
}

/**
 * A number as jsonencode writes it, or undefined when JavaScript and Terraform
 * would write it differently (exponents, non-finite values).
 */
function jsonNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const text = String(n);
  return /e/i.test(text) ? undefined : text;
}

/**
 * Terraform's jsonencode of `value` (a JSON value; `undefined` properties are
 * left out, as JSON.stringify does). Throws on a number Terraform would write
 * differently (see isCanonicalJson).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    const text = jsonNumber(value);
    if (text === undefined) throw new RangeError(`canonicalJson: ${value} has no common JSON form in JavaScript and Terraform`);
    return text;
  }
  if (typeof value === "string") return goJsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).filter((k) => object[k] !== undefined).sort(byCodePoint);
    return `{${keys.map((k) => `${goJsonString(k)}:${canonicalJson(object[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not a JSON value`);
}

/** True when `text` is exactly what jsonencode would write for the value it holds. */
export function isCanonicalJson(text: string): boolean {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return false;
  }
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}
