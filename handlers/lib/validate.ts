/**
 * Input checks shared by the handlers. They collect every problem before
 * failing, so one execution's Cause lists everything wrong with the event,
 * and each problem names the field and the value received.
 *
 * Which error a handler throws with the collected problems is its choice:
 * business rules -> `CustomError.ValidationFailed` (ValidationFailedError),
 * a malformed event (wiring bug) -> `InvalidInput` (InvalidInputError).
 */

import { InvalidInputError } from "./errors";

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short rendering of a received value for messages (never the whole payload). */
export function received(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON would print NaN and Infinity as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface NumberRule {
  readonly min?: number;
  /** Strictly greater than zero. */
  readonly positive?: boolean;
  readonly integer?: boolean;
}

/** Collects problems; each check returns the typed value, or undefined when it failed or was absent and optional. */
export class Problems {
  readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  record(value: unknown, path: string, optional = false): JsonRecord | undefined {
    if (value === undefined && optional) return undefined;
    if (isRecord(value)) return value;
    this.add(`${path} must be an object (received ${received(value)})`);
    return undefined;
  }

  string(value: unknown, path: string, optional = false): string | undefined {
    if (value === undefined && optional) return undefined;
    if (typeof value === "string" && value.trim() !== "") return value;
    this.add(`${path} must be a non-empty string (received ${received(value)})`);
    return undefined;
  }

  number(value: unknown, path: string, rule: NumberRule = {}, optional = false): number | undefined {
    if (value === undefined && optional) return undefined;
    const kind = rule.integer ? "integer" : "number";
    const bound = rule.positive ? ` > 0` : rule.min !== undefined ? ` >= ${rule.min}` : "";
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (!rule.integer || Number.isInteger(value)) &&
      (!rule.positive || value > 0) &&
      (rule.min === undefined || value >= rule.min);
    if (ok) return value;
    this.add(`${path} must be a${kind === "integer" ? "n" : ""} ${kind}${bound} (received ${received(value)})`);
    return undefined;
  }

  array(value: unknown, path: string, options: { nonEmpty?: boolean; optional?: boolean } = {}): unknown[] | undefined {
    if (value === undefined && options.optional) return undefined;
    if (!Array.isArray(value)) {
      this.add(`${path} must be an array (received ${received(value)})`);
      return undefined;
    }
    if (options.nonEmpty && value.length === 0) {
      this.add(`${path} must contain at least one element (received [])`);
      return undefined;
    }
    return value;
  }

  /** Throws InvalidInput naming the handler when any check failed. */
  throwInvalidInput(handler: string): void {
    if (!this.empty) throw new InvalidInputError(handler, this.list);
  }
}

/** The event as an object, or InvalidInput: nearly every handler takes one. */
export function requireEventRecord(handler: string, event: unknown): JsonRecord {
  if (isRecord(event)) return event;
  throw new InvalidInputError(handler, [`the event must be a JSON object (received ${received(event)})`]);
}

/** Cents arithmetic: binary floats make 0.1 + 0.2 != 0.3, and money must add up. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return Math.round(cents) / 100;
}
