/**
 * ProcessData (data-transform): applies a config to input records.
 * Receives `{input, config}` (`$.data` and `$.config`). `input` is an array of
 * objects, or one object (treated as a list of one). The config steps, applied
 * in this order, are all optional:
 *   - `defaults`: fields set on a record where it has none
 *   - `fieldMap`: `{from: to}` renames
 *   - `filter`: `{field, equals? | in? | exists?}` keeps matching records (field names after renames)
 *   - `include`: keep only these fields
 * Returns `{records, count, dropped}`.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { isRecord, Problems, received, requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "process-data";
const logger = createLogger(NAME);

export interface ProcessDataResult {
  readonly records: JsonRecord[];
  readonly count: number;
  /** Records the filter removed. */
  readonly dropped: number;
}

interface Filter {
  readonly field: string;
  readonly equals?: unknown;
  readonly in?: readonly unknown[];
  readonly exists?: boolean;
}

const CONFIG_KEYS = ["defaults", "fieldMap", "filter", "include"];

export async function handler(event: unknown, context?: RequestContext): Promise<ProcessDataResult> {
  logger.setContext(context);
  const payload = requireEventRecord(NAME, event);
  const problems = new Problems();
  const rawInput = payload.input;
  const list = isRecord(rawInput) ? [rawInput] : problems.array(rawInput, "input");
  list?.forEach((r, i) => problems.record(r, `input[${i}]`));
  const config = problems.record(payload.config ?? {}, "config") ?? {};
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) problems.add(`config.${key} is not a known option (known: ${CONFIG_KEYS.join(", ")})`);
  }
  const defaults = problems.record(config.defaults, "config.defaults", true);
  const fieldMap = problems.record(config.fieldMap, "config.fieldMap", true);
  for (const [from, to] of Object.entries(fieldMap ?? {})) problems.string(to, `config.fieldMap.${from}`);
  const filter = checkFilter(problems, config.filter);
  const include = problems.array(config.include, "config.include", { optional: true });
  include?.forEach((f, i) => problems.string(f, `config.include[${i}]`));
  problems.throwInvalidInput(NAME);

  let records = (list as JsonRecord[]).map((r) => ({ ...defaults, ...r }));
  if (fieldMap) records = records.map((r) => rename(r, fieldMap as Record<string, string>));
  const before = records.length;
  if (filter) records = records.filter((r) => matches(r, filter));
  const dropped = before - records.length;
  if (include) records = records.map((r) => pick(r, include as string[]));
  logger.info("data processed", { count: records.length, dropped });
  return { records, count: records.length, dropped };
}

function checkFilter(problems: Problems, raw: unknown): Filter | undefined {
  const filter = problems.record(raw, "config.filter", true);
  if (!filter) return undefined;
  problems.string(filter.field, "config.filter.field");
  const tests = ["equals", "in", "exists"].filter((k) => k in filter);
  if (tests.length !== 1) problems.add(`config.filter needs exactly one of equals, in, exists (received ${received(filter)})`);
  if ("in" in filter) problems.array(filter.in, "config.filter.in");
  if ("exists" in filter && typeof filter.exists !== "boolean") problems.add(`config.filter.exists must be true or false (received ${received(filter.exists)})`);
  return filter as unknown as Filter;
}

function rename(record: JsonRecord, map: Record<string, string>): JsonRecord {
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(record)) out[Object.hasOwn(map, key) ? map[key]! : key] = value;
  return out;
}

function matches(record: JsonRecord, filter: Filter): boolean {
  const present = Object.hasOwn(record, filter.field);
  const value = record[filter.field];
  if (filter.exists !== undefined) return present === filter.exists;
  if (filter.in !== undefined) return present && filter.in.some((v) => deepEqual(v, value));
  return present && deepEqual(filter.equals, value);
}

function pick(record: JsonRecord, fields: readonly string[]): JsonRecord {
  const out: JsonRecord = {};
  for (const f of fields) if (Object.hasOwn(record, f)) out[f] = record[f];
  return out;
}

/** JSON values only (they come from the execution's state), so a structural compare is enough. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as JsonRecord)[k], (b as JsonRecord)[k]));
}
