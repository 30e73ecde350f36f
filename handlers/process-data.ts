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

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { anyRecord, EXACT, event, list, nonEmptyString, parseEvent, record } from "./lib/schema";
import { received, withFields, type JsonRecord } from "./lib/validate";

const NAME = "process-data";
const logger = createLogger(NAME);

export interface ProcessDataResult {
  readonly records: JsonRecord[];
  readonly count: number;
  /** Records the filter removed. */
  readonly dropped: number;
}

const CONFIG_KEYS = ["defaults", "fieldMap", "filter", "include"];
const FILTER_TESTS = ["equals", "in", "exists"];

const FilterSchema = record({
  field: nonEmptyString(),
  equals: z.optional(z.unknown()),
  in: z.optional(list(z.unknown())),
  exists: z.optional(z.boolean({ error: "must be true or false" })),
}).check(
  z.superRefine((filter, ctx) => {
    if (FILTER_TESTS.filter((k) => k in filter).length !== 1) {
      ctx.addIssue({ code: "custom", message: `needs exactly one of ${FILTER_TESTS.join(", ")} (received ${received(filter)})`, params: EXACT, input: filter });
    }
  }),
);

const ConfigSchema = record({
  defaults: z.optional(anyRecord()),
  fieldMap: z.optional(z.record(z.string(), nonEmptyString(), { error: "must be an object" })),
  filter: z.optional(FilterSchema),
  include: z.optional(list(nonEmptyString())),
}).check(
  z.superRefine((config, ctx) => {
    for (const key of Object.keys(config)) {
      if (!CONFIG_KEYS.includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `is not a known option (known: ${CONFIG_KEYS.join(", ")})`, params: EXACT, input: config[key] });
      }
    }
  }),
);

/** `input` is a list of records, or one record (a list of one); `config` is optional. */
export const ListEventSchema = event({ input: list(anyRecord()), config: z.nullish(ConfigSchema) });
export const SingleEventSchema = event({ input: anyRecord(), config: z.nullish(ConfigSchema) });

export type ProcessDataConfig = z.output<typeof ConfigSchema>;
type Filter = NonNullable<ProcessDataConfig["filter"]>;

export async function handler(event: unknown, context?: RequestContext): Promise<ProcessDataResult> {
  setContext(logger, context);
  const single = typeof event === "object" && event !== null && "input" in event && typeof event.input === "object" && event.input !== null && !Array.isArray(event.input);
  const payload = single ? parseEvent(NAME, SingleEventSchema, event) : parseEvent(NAME, ListEventSchema, event);
  const list: JsonRecord[] = Array.isArray(payload.input) ? payload.input : [payload.input];
  const config = payload.config ?? {};

  let records = list.map((r) => withFields(config.defaults ?? {}, r));
  const fieldMap = config.fieldMap;
  if (fieldMap) records = records.map((r) => rename(r, fieldMap));
  const before = records.length;
  const filter = config.filter;
  if (filter) records = records.filter((r) => matches(r, filter));
  const dropped = before - records.length;
  const include = config.include;
  if (include) records = records.map((r) => pick(r, include));
  logger.info("data processed", { count: records.length, dropped });
  return { records, count: records.length, dropped };
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
