/**
 * JSONata-mode expressions: every string that is exactly `{% expr %}` is
 * evaluated with jsonata 2.0.6 (the version AWS runs) plus AWS's additional
 * functions ($partition, $range, $hash, $random, $uuid, $parse); `$eval` is not
 * available. `$states` carries input/context/result/errorOutput and workflow
 * variables are bound by name. Failures are States.QueryEvaluationError with
 * AWS's wording. Compiled expressions are cached by their text.
 */
import { createHash, randomUUID } from "node:crypto";
import jsonata from "jsonata";
import { ExpressionError, ExprWhere, compactJson } from "./expr-errors";
import { seededRandom } from "./intrinsics";
import { StatesError } from "./errors";
import { checkPayload, copyOwnFields, setKey } from "./json";

export interface JsonataBindings {
  states: { input: unknown; context: unknown; result?: unknown; errorOutput?: unknown };
  variables: Record<string, unknown>;
}

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

/** The expression inside `{% ... %}`, or undefined when the string is not a JSONata template. */
export function jsonataExpression(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length < 4 || value.charCodeAt(0) !== 123 /* { */) return undefined;
  const m = TEMPLATE.exec(value);
  return m ? m[1].trim() : undefined;
}

function queryError(where: ExprWhere, detail: string): ExpressionError {
  return new ExpressionError("States.QueryEvaluationError", detail, where.state, where.enteredEventId);
}

class AwsFunctionError extends Error {}

function seq(items: unknown[]): unknown[] {
  // A jsonata sequence: a one-item result collapses to the item, as AWS's $range does (recorded: $range(1, 9, 9) = 1).
  const s = items as unknown[] & { sequence?: boolean };
  s.sequence = true;
  return s;
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

const AWS_FUNCTIONS: Array<[string, (...args: any[]) => unknown, string?]> = [
  [
    "partition",
    (array: unknown, size: unknown) => {
      if (!Array.isArray(array)) throw new AwsFunctionError(`$partition expects an array as its first argument, but received ${compactJson(array)}`);
      if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) throw new AwsFunctionError(`$partition expects a positive integer chunk size, but received ${compactJson(size)}`);
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
  ],
  [
    "range",
    (start: unknown, end: unknown, step: unknown) => {
      for (const [n, v] of [["start", start], ["end", end], ["step", step]] as const) {
        if (typeof v !== "number" || !Number.isInteger(v)) throw new AwsFunctionError(`$range expects an integer ${n}, but received ${compactJson(v)}`);
      }
      const a = start as number;
      const b = end as number;
      const s = step as number;
      if (s === 0) throw new AwsFunctionError(`$range step must not be 0`);
      const out: number[] = [];
      for (let v = a; s > 0 ? v <= b : v >= b; v += s) {
        out.push(v);
        if (out.length > 1000) throw new AwsFunctionError(`$range would produce more than 1000 items`);
      }
      return seq(out);
    },
  ],
  [
    "hash",
    (data: unknown, algorithm: unknown) => {
      const algo = typeof algorithm === "string" ? HASH_ALGORITHMS[algorithm] : undefined;
      if (!algo) throw new AwsFunctionError(`$hash algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(", ")}, but received ${compactJson(algorithm)}`);
      const text = typeof data === "string" ? data : compactJson(data);
      return createHash(algo).update(text, "utf8").digest("hex");
    },
  ],
  [
    "random",
    (seed?: unknown) => {
      if (seed === undefined) return Math.random();
      if (typeof seed !== "number" || !Number.isInteger(seed)) throw new AwsFunctionError(`$random expects an integer seed, but received ${compactJson(seed)}`);
      return seededRandom(seed);
    },
  ],
  ["uuid", () => randomUUID()],
  [
    "parse",
    (text: unknown) => {
      if (typeof text !== "string") throw new AwsFunctionError(`$parse expects a string, but received ${compactJson(text)}`);
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new AwsFunctionError(`$parse could not parse its argument as JSON: ${(e as Error).message}`);
      }
    },
  ],
  [
    // jsonata's own $merge assigns keys (losing "__proto__"); to AWS every key is data.
    "merge",
    (arg: unknown) => {
      if (arg === undefined) return undefined;
      const out: Record<string, unknown> = {};
      for (const obj of Array.isArray(arg) ? arg : [arg]) {
        if (obj === null || typeof obj !== "object") continue;
        for (const k of Object.keys(obj)) setKey(out, k, (obj as Record<string, unknown>)[k]);
      }
      return out;
    },
    "<a<o>:o>",
  ],
  [
    "eval",
    () => {
      throw new AwsFunctionError(`The function $eval is not available in Step Functions`);
    },
  ],
];

interface Compiled {
  expr: jsonata.Expression | undefined;
  error?: string;
}

const cache = new Map<string, Compiled>();

function compile(text: string): Compiled {
  let hit = cache.get(text);
  if (hit) return hit;
  try {
    const expr = jsonata(text);
    for (const [name, fn, signature] of AWS_FUNCTIONS) expr.registerFunction(name, fn, signature);
    expr.assign(Symbol.for("jsonata.__evaluate_entry") as unknown as string, guardEntry);
    expr.assign(Symbol.for("jsonata.__evaluate_exit") as unknown as string, guardExit);
    hit = { expr };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    hit = { expr: undefined, error: err.code ? `${err.code}: ${err.message}` : String(err.message ?? e) };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(text, hit);
  return hit;
}

/**
 * Bounds on one evaluation, so that an expression that does not end (or
 * builds a value without limit) stops with a clear error instead of hanging
 * or exhausting memory. AWS documents no such bound; these are ours.
 */
export const JSONATA_LIMITS = {
  /** Wall-clock time of one evaluation. */
  timeMs: 5_000,
  /** Nesting of evaluation frames (non-tail recursion). */
  depth: 2_000,
  /** Characters of any intermediate string, items of any intermediate array. */
  size: 4 * 1024 * 1024,
};

interface Guard {
  depth: number;
  steps: number;
  readonly deadline: number;
}

const GUARD = "__sfn_evaluation_guard";

class LimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function guardEntry(_expr: unknown, _input: unknown, env: { lookup(name: string): unknown; isParallelCall?: boolean }): void {
  const g = env.lookup(GUARD) as Guard | undefined;
  if (!g || env.isParallelCall) return;
  if (++g.depth > JSONATA_LIMITS.depth) {
    throw new LimitError(`The evaluation nested deeper than ${JSONATA_LIMITS.depth} levels (a recursive function that does not end?); the local executor stops it there.`);
  }
  if ((++g.steps & 255) === 0 && Date.now() > g.deadline) {
    throw new LimitError(`The evaluation did not finish within ${JSONATA_LIMITS.timeMs / 1000} s (a loop or recursion that does not end?); the local executor stops it there.`);
  }
}

function guardExit(_expr: unknown, _input: unknown, env: { lookup(name: string): unknown; isParallelCall?: boolean }, result: unknown): void {
  const g = env.lookup(GUARD) as Guard | undefined;
  if (!g || env.isParallelCall) return;
  g.depth--;
  if ((typeof result === "string" || Array.isArray(result)) && result.length > JSONATA_LIMITS.size) {
    throw new LimitError(`The evaluation built a ${typeof result === "string" ? "string" : "array"} of ${result.length} ${typeof result === "string" ? "characters" : "items"}, more than the local executor allows (${JSONATA_LIMITS.size}).`);
  }
}

/** Evaluates one JSONata expression text (without the `{% %}`); undefined results are returned as undefined. */
export async function evaluateJsonataExpression(text: string, bindings: JsonataBindings, where: ExprWhere, functionAllowed = false): Promise<unknown> {
  const compiled = compile(text);
  if (!compiled.expr) {
    throw queryError(where, `The JSONata expression '${text}' specified for the field '${where.field}' threw an error during evaluation. ${compiled.error}`);
  }
  // Not `{ ...variables, states }`: on Node 20 a spread that adds keys builds a new hidden class per call (0.9 us).
  const vars = copyOwnFields(bindings.variables);
  vars.states = bindings.states;
  const guard: Guard = { depth: 0, steps: 0, deadline: Date.now() + JSONATA_LIMITS.timeMs };
  vars[GUARD] = guard;
  let result: unknown;
  try {
    result = await compiled.expr.evaluate(bindings.states.input, vars);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const reason =
      err instanceof AwsFunctionError || err instanceof LimitError
        ? err.message
        : err instanceof RangeError
          ? `The evaluation exhausted the stack or memory (${err.message}); the local executor stops it there.`
          : err.code
            ? `${err.code}: ${err.message}`
            : String(err.message ?? e);
    throw queryError(where, `The JSONata expression '${text}' specified for the field '${where.field}' threw an error during evaluation. ${reason}`);
  }
  if (functionAllowed && isFunction(result)) return FUNCTION_VALUE;
  const json = toJson(result, text, where);
  if (checkPayload(json) !== "ok") {
    throw new StatesError("States.DataLimitExceeded", `The state/task '${where.state}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  }
  return json;
}

/** A jsonata function value (a native function or a lambda object). */
function isFunction(v: unknown): boolean {
  return typeof v === "function" || (typeof v === "object" && v !== null && ((v as { _jsonata_lambda?: unknown })._jsonata_lambda === true || (v as { _jsonata_function?: unknown })._jsonata_function === true));
}

/** What a field that must be JSON of some type receives when its expression returned a function: the caller reports the type. */
export const FUNCTION_VALUE: () => void = () => undefined;

/** Plain JSON from a jsonata result: sequences become arrays, functions are an error. */
function toJson(v: unknown, text: string, where: ExprWhere): unknown {
  if (v === null || typeof v !== "object" || isFunction(v)) {
    if (isFunction(v)) {
      throw queryError(where, `The JSONata expression '${text}' specified for the field '${where.field}' returned a function, which is not a JSON value.`);
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw queryError(where, `The JSONata expression '${text}' specified for the field '${where.field}' returned a number that is not finite: ${v}`);
    }
    return v;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) if (item !== undefined) out.push(toJson(item, text, where));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const item = (v as Record<string, unknown>)[k];
    if (item !== undefined && typeof item !== "function") setKey(out, k, toJson(item, text, where));
  }
  return out;
}

/**
 * Resolves every `"{% expr %}"` string inside value (recursively through
 * objects and arrays). A template that evaluates to nothing is an error, as
 * AWS reports it: "... specified for the field 'Output/result' returned
 * nothing (undefined)."
 */
export async function evaluateJsonataValue(value: unknown, bindings: JsonataBindings, where: ExprWhere, functionAllowed = false): Promise<unknown> {
  if (typeof value === "string") {
    const expr = jsonataExpression(value);
    if (expr === undefined) return value;
    const result = await evaluateJsonataExpression(expr, bindings, where, functionAllowed);
    if (result === undefined) {
      throw queryError(where, `The JSONata expression '${expr}' specified for the field '${where.field}' returned nothing (undefined).`);
    }
    return result;
  }
  if (value === null || typeof value !== "object") return value;
  // Literal subtrees are returned as they are: no copy, no await per leaf.
  if (!containsJsonata(value)) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      out[i] = await evaluateJsonataValue(value[i], bindings, { ...where, field: `${where.field}[${i}]` });
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = await evaluateJsonataValue((value as Record<string, unknown>)[key], bindings, { ...where, field: `${where.field}/${key}` });
  }
  return out;
}

/** True when value holds a `{% %}` template anywhere (lets callers skip the async path for literals). */
export function containsJsonata(value: unknown): boolean {
  if (typeof value === "string") return jsonataExpression(value) !== undefined;
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(containsJsonata);
  return Object.values(value).some(containsJsonata);
}

/** AWS's wording when a field's expression returns the wrong type (e.g. Items not an array). */
export function jsonataTypeError(where: ExprWhere, expr: string, expected: string, value: unknown): ExpressionError {
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "object" ? "object" : typeof value;
  return queryError(where, `The JSONata expression '${expr}' specified for the field '${where.field}' returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${compactJson(value)}`);
}
