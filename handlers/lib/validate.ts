/**
 * Small helpers shared by the handlers: a short rendering of received values
 * for messages, and cents arithmetic.
 */

import { SENSITIVE_KEY, MASK } from "./logger";

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A short rendering of a received value for messages (never the whole
 * payload). Under a sensitive field (token, secret, password, ...) the value
 * itself is never shown: messages end up in Cause, logs and execution history.
 */
export function received(value: unknown, path: readonly PropertyKey[] = []): string {
  if (value === undefined) return "nothing";
  if (path.some((p) => typeof p === "string" && SENSITIVE_KEY.test(p))) return `a ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value} (value masked)`;
  // JSON would print NaN and Infinity as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value, (key, v: unknown) => (key !== "" && SENSITIVE_KEY.test(key) && v !== undefined && v !== null ? MASK : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Cents arithmetic: binary floats make 0.1 + 0.2 != 0.3, and money must add up. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return Math.round(cents) / 100;
}
