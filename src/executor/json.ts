/**
 * JSON values as data: keys such as `__proto__`, `constructor` and
 * `prototype` are ordinary keys to AWS, so the executor never sets or reads a
 * key through the prototype chain; and AWS's size limit on payloads.
 */

/** Sets `obj[key] = value` as an own data property, also for `__proto__` (which `=` would treat as the prototype). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** A shallow copy of obj's own fields, in order (`__proto__` included, as a field): `{ ...obj }` without symbols, and without the new hidden class per call that Node 20 builds when keys are added to a spread's result. */
export function copyOwnFields(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in obj) if (Object.prototype.hasOwnProperty.call(obj, key)) setKey(out, key, obj[key]);
  return out;
}

/** `obj[key]` when obj has it as its own key, else undefined (never `Object.prototype.constructor`). */
export function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Step Functions' limit on an execution's input and every state's input, output and result: 256 KiB of UTF-8. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** How deep a payload may nest (our limit; AWS documents none, its JSON parser's default is 1,000). */
export const MAX_NESTING_DEPTH = 1000;

const DEEP = -1;

/**
 * An upper bound on the UTF-8 size of `JSON.stringify(value)`, stopping as soon
 * as it passes `limit` (so a 10 MB value costs no more than a 256 KiB one), or
 * DEEP when the value nests deeper than MAX_NESTING_DEPTH. Strings count 3
 * bytes per UTF-16 unit plus escapes' worst case only when they could matter.
 */
function sizeBound(value: unknown, limit: number, depth: number, acc: number): number {
  if (acc > limit) return acc;
  if (value === null || value === undefined) return acc + 4;
  switch (typeof value) {
    case "string":
      return acc + 2 + value.length * 6;
    case "number":
      return acc + 24;
    case "boolean":
      return acc + 5;
    case "object": {
      if (depth >= MAX_NESTING_DEPTH) return DEEP;
      if (Array.isArray(value)) {
        acc += 2;
        for (let i = 0; i < value.length; i++) {
          acc = sizeBound(value[i], limit, depth + 1, acc + 1);
          if (acc === DEEP || acc > limit) return acc;
        }
        return acc;
      }
      acc += 2;
      for (const key in value as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        acc = sizeBound((value as Record<string, unknown>)[key], limit, depth + 1, acc + key.length * 6 + 4);
        if (acc === DEEP || acc > limit) return acc;
      }
      return acc;
    }
    default:
      return acc;
  }
}

/** Whether the value nests deeper than MAX_NESTING_DEPTH (iterative: a 10,000-level value must not overflow the stack). */
export function nestingExceeds(value: unknown, max = MAX_NESTING_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return true;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return false;
}

export type SizeVerdict = "ok" | "too-large" | "too-deep";

/**
 * Checks a payload against the 256 KiB limit: a cheap bound first (most
 * payloads are small), the exact UTF-8 length of its JSON only near the limit.
 */
export function checkPayload(value: unknown, limit = MAX_PAYLOAD_BYTES): SizeVerdict {
  const bound = sizeBound(value, limit, 0, 0);
  if (bound === DEEP) return "too-deep";
  if (bound <= limit) return "ok";
  if (nestingExceeds(value)) return "too-deep";
  const text = JSON.stringify(value);
  return text !== undefined && Buffer.byteLength(text, "utf8") > limit ? "too-large" : "ok";
}

/** Returned by copyBounded when it gives up: over the limit or too deep (the caller takes the slow path). */
const GAVE_UP: unknown = Symbol("gave up");
let boundBytes = 0;

/**
 * cloneJson of an object or array that adds sizeBound's upper bound of the JSON
 * size to `boundBytes` in the same pass, and gives up (GAVE_UP) when an object
 * sits MAX_NESTING_DEPTH levels deep, once the bound has passed `limit`, or on
 * a toJSON that does not give an object (the caller then takes the slow path).
 * Primitives are handled inline: a call per value would cost more than the copy.
 */
function copyBounded(value: object, limit: number, depth: number): unknown {
  if (depth >= MAX_NESTING_DEPTH || boundBytes > limit) return GAVE_UP;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    boundBytes += 2 + n;
    for (let i = 0; i < n; i++) {
      const v: unknown = value[i];
      let c: unknown;
      switch (typeof v) {
        case "string":
          boundBytes += 2 + v.length * 6;
          c = v;
          break;
        case "number":
          boundBytes += 24;
          c = Number.isFinite(v) ? v : null;
          break;
        case "boolean":
          boundBytes += 5;
          c = v;
          break;
        case "object":
          if (v === null) {
            boundBytes += 4;
            c = null;
          } else if ((c = copyBounded(v, limit, depth + 1)) === GAVE_UP) return GAVE_UP;
          break;
        case "undefined":
        case "function":
          boundBytes += 4;
          c = null;
          break;
        default:
          return GAVE_UP;
      }
      out[i] = c;
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    const j: unknown = (value as { toJSON(): unknown }).toJSON();
    return typeof j === "object" && j !== null ? copyBounded(j, limit, depth) : GAVE_UP;
  }
  const out: Record<string, unknown> = {};
  boundBytes += 2;
  for (const key in value as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    let c: unknown;
    switch (typeof v) {
      case "string":
        boundBytes += 2 + v.length * 6;
        c = v;
        break;
      case "number":
        boundBytes += 24;
        c = Number.isFinite(v) ? v : null;
        break;
      case "boolean":
        boundBytes += 5;
        c = v;
        break;
      case "object":
        if (v === null) {
          boundBytes += 4;
          c = null;
        } else if ((c = copyBounded(v, limit, depth + 1)) === GAVE_UP) return GAVE_UP;
        break;
      case "undefined":
      case "function":
        continue;
      default:
        // bigint, symbol: JSON.stringify would throw or drop them; the slow path does what cloneJson does.
        return GAVE_UP;
    }
    boundBytes += key.length * 6 + 4;
    if (key === "__proto__") setKey(out, key, c);
    else out[key] = c;
  }
  return out;
}

/** What cloneChecked found (one object, reused: callers read it at once). */
export const lastVerdict: { verdict: SizeVerdict } = { verdict: "ok" };

/**
 * cloneJson(value) and checkPayload's verdict on the copy (in `lastVerdict`),
 * in one pass for the usual payload, well under the limit; near or over it, or
 * deeply nested, the copy and the check are made as two passes.
 */
export function cloneChecked(value: unknown, limit = MAX_PAYLOAD_BYTES): unknown {
  if (value === null || typeof value !== "object") {
    lastVerdict.verdict = checkPayload(value, limit);
    return cloneJson(value);
  }
  boundBytes = 0;
  const copy = copyBounded(value, limit, 0);
  if (copy !== GAVE_UP && boundBytes <= limit) {
    lastVerdict.verdict = "ok";
    return copy;
  }
  const full = cloneJson(value);
  lastVerdict.verdict = checkPayload(full, limit);
  return full;
}

/** The UTF-8 length of JSON.stringify(s). */
function jsonStringBytes(s: string): number {
  let n = s.length + 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) n += 1;
    else if (c < 0x20) n += 5;
    else if (c < 0x80) continue;
    else if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 5; // a lone surrogate: JSON.stringify writes \udxxx
    else n += 2;
  }
  return n;
}

const POWERS_OF_TEN = Array.from({ length: 17 }, (_, i) => 10 ** i);

/** The length of JSON.stringify(n) for a finite number, without building the string for everyday integers. */
function jsonNumberBytes(n: number): number {
  if (Number.isInteger(n) && n > -1e15 && n < 1e15) {
    const a = n < 0 ? -n : n;
    let digits = 1;
    while (digits < 16 && a >= POWERS_OF_TEN[digits]) digits++;
    return n < 0 ? digits + 1 : digits;
  }
  return String(n).length;
}

/**
 * A deep copy of a JSON value as JSON.parse(JSON.stringify(v)) would give
 * (undefined dropped, toJSON honoured), without the string in between. Keys
 * are copied as data ("__proto__" included).
 */
export function cloneJson(value: unknown, measure?: { bytes: number }): unknown {
  if (measure) return copyMeasured(value, measure);
  if (value === null || typeof value !== "object") return typeof value === "number" && !Number.isFinite(value) ? null : value;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = value[i];
      out[i] = v === undefined || typeof v === "function" ? null : typeof v === "object" && v !== null ? cloneJson(v) : typeof v === "number" && !Number.isFinite(v) ? null : v;
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return cloneJson((value as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === "function") continue;
    const c = typeof v === "object" && v !== null ? cloneJson(v) : typeof v === "number" && !Number.isFinite(v) ? null : v;
    if (key === "__proto__") setKey(out, key, c);
    else out[key] = c;
  }
  return out;
}

/** cloneJson that also adds the UTF-8 length of the value's JSON text to `measure`, in the same pass. */
function copyMeasured(value: unknown, measure: { bytes: number }): unknown {
  switch (typeof value) {
    case "string":
      measure.bytes += jsonStringBytes(value);
      return value;
    case "number":
      if (!Number.isFinite(value)) {
        measure.bytes += 4;
        return null;
      }
      measure.bytes += jsonNumberBytes(value);
      return value;
    case "boolean":
      measure.bytes += value ? 4 : 5;
      return value;
    case "object":
      break;
    default:
      measure.bytes += 4;
      return null;
  }
  if (value === null) {
    measure.bytes += 4;
    return null;
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    measure.bytes += value.length > 0 ? value.length + 1 : 2;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === undefined || typeof v === "function") {
        out[i] = null;
        measure.bytes += 4;
      } else out[i] = copyMeasured(v, measure);
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return copyMeasured((value as { toJSON(): unknown }).toJSON(), measure);
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === "function") continue;
    count++;
    measure.bytes += jsonStringBytes(key) + 1;
    if (key === "__proto__") setKey(out, key, copyMeasured(v, measure));
    else out[key] = copyMeasured(v, measure);
  }
  measure.bytes += count > 0 ? count + 1 : 2;
  return out;
}
