/**
 * The 18 intrinsic functions of JSONPath-mode payload templates
 * (`"key.$": "States.Format('{}', $.x)"`). Arguments are string literals in
 * single quotes (with `\'`, `\{`, `\}` and `\\` escapes), numbers, booleans,
 * null, paths (`$.x`, `$$.x`, `$var`) and nested calls. Failures are
 * `States.IntrinsicFailure` (bad arguments at run time) or `States.Runtime`
 * (a path argument that matches nothing), as AWS reports them. Parsed
 * expressions are cached by text.
 */
import { createHash, randomUUID } from "node:crypto";
import { ExpressionError, ExprWhere, compactJson } from "./expr-errors";
import { EvalScope, deepEqual, evaluatePath } from "./jsonpath";
import { MAX_PAYLOAD_BYTES, checkPayload } from "./json";

type Arg =
  | { kind: "literal"; value: unknown }
  | { kind: "path"; path: string }
  | { kind: "call"; name: string; args: Arg[] };

const cache = new Map<string, Arg>();

export class IntrinsicSyntaxError extends Error {}

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return text.startsWith("States.");
}

export function parseIntrinsic(text: string): Arg {
  const hit = cache.get(text);
  if (hit) return hit;
  const parser = new Parser(text);
  const call = parser.parseCall();
  parser.skipSpace();
  if (parser.pos !== text.length) throw new IntrinsicSyntaxError(`unexpected '${text.slice(parser.pos)}' after the closing ')'`);
  if (cache.size > 10_000) cache.clear();
  cache.set(text, call);
  return call;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  parseCall(): Arg {
    this.skipSpace();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) throw new IntrinsicSyntaxError(`expected a function name like States.Format at position ${this.pos}`);
    this.pos += m[0].length;
    this.skipSpace();
    if (this.text[this.pos] !== "(") throw new IntrinsicSyntaxError(`expected '(' after ${m[0]}`);
    this.pos++;
    const args: Arg[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ")") {
      this.pos++;
      return { kind: "call", name: m[0], args };
    }
    for (;;) {
      args.push(this.parseArg());
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === ")") {
        this.pos++;
        return { kind: "call", name: m[0], args };
      }
      throw new IntrinsicSyntaxError(`expected ',' or ')' at position ${this.pos} in ${m[0]}`);
    }
  }

  parseArg(): Arg {
    this.skipSpace();
    const t = this.text;
    const c = t[this.pos];
    if (c === "'") {
      this.pos++;
      let out = "";
      while (this.pos < t.length && t[this.pos] !== "'") {
        if (t[this.pos] === "\\" && this.pos + 1 < t.length) {
          const next = t[this.pos + 1];
          // Keep \{ and \} escaped so States.Format can tell a literal brace from a placeholder.
          out += next === "{" || next === "}" ? `\\${next}` : next === "\\" ? "\\\\" : next;
          this.pos += 2;
          continue;
        }
        out += t[this.pos++];
      }
      if (t[this.pos] !== "'") throw new IntrinsicSyntaxError(`unterminated string literal`);
      this.pos++;
      return { kind: "literal", value: new EscapedString(out) };
    }
    if (c === "$") {
      // A path runs until the ',' or ')' that ends this argument, outside brackets and quotes.
      const start = this.pos;
      let depth = 0;
      let quote: string | null = null;
      while (this.pos < t.length) {
        const ch = t[this.pos];
        if (quote) {
          if (ch === "\\") this.pos++;
          else if (ch === quote) quote = null;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === "[" || ch === "(") depth++;
        else if (ch === "]" || (ch === ")" && depth > 0)) depth--;
        else if ((ch === "," || ch === ")") && depth === 0) break;
        this.pos++;
      }
      return { kind: "path", path: t.slice(start, this.pos).trim() };
    }
    if (t.startsWith("States.", this.pos)) return this.parseCall();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(t.slice(this.pos));
    if (!m) throw new IntrinsicSyntaxError(`unexpected '${c ?? "end of text"}' at position ${this.pos}`);
    this.pos += m[0].length;
    return { kind: "literal", value: JSON.parse(m[0]) };
  }
}

/** A string literal as written, with `\{`, `\}`, `\\` still escaped (only States.Format cares). */
class EscapedString {
  constructor(readonly raw: string) {}
  get value(): string {
    return this.raw.replace(/\\([{}\\])/g, "$1");
  }
}

function fail(where: ExprWhere, detail: string): ExpressionError {
  return new ExpressionError("States.IntrinsicFailure", detail, where.state, where.enteredEventId);
}

/** Evaluates one intrinsic expression such as `States.Array($.a, 'b')`. */
export function evaluateIntrinsic(text: string, scope: EvalScope, where: ExprWhere): unknown {
  let call: Arg;
  try {
    call = parseIntrinsic(text);
  } catch (e) {
    throw fail(where, `The value for the field '${where.field}' must be a valid JSONPath or a valid intrinsic function call: ${text} (${(e as Error).message})`);
  }
  return evalArg(call, scope, where);
}

type Val = unknown;

function evalArg(arg: Arg, scope: EvalScope, where: ExprWhere): Val {
  if (arg.kind === "literal") return arg.value;
  if (arg.kind === "path") return evaluatePath(arg.path, scope, where);
  const raw = arg.args.map((a) => evalArg(a, scope, where));
  return callFunction(arg.name, raw, where);
}

function plain(v: Val): unknown {
  return v instanceof EscapedString ? v.value : v;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

type ArgType = "string" | "integer" | "number" | "array" | "object" | "boolean" | "any";

const TYPE_CHECKS: Record<ArgType, [(x: unknown) => boolean, string]> = {
  string: [(x) => typeof x === "string", "a string"],
  integer: [(x) => typeof x === "number" && Number.isInteger(x), "an integer"],
  number: [(x) => typeof x === "number" && Number.isFinite(x), "a number"],
  array: [(x) => Array.isArray(x), "an array"],
  object: [(x) => typeof x === "object" && x !== null && !Array.isArray(x), "a JSON object"],
  boolean: [(x) => typeof x === "boolean", "a boolean"],
  any: [() => true, "any value"],
};

/** The most items or characters an intrinsic produces or accepts (AWS: ArrayRange 1,000 items; Base64/Hash inputs 10,000 characters). */
const MAX_RANGE_ITEMS = 1000;
const MAX_TEXT_INPUT = 10_000;

interface Intrinsic {
  /** Fewest and most arguments. */
  readonly arity: readonly [number, number];
  /** The type of each argument by position (the last one repeats). */
  readonly types: readonly ArgType[];
  readonly run: (args: any[], where: ExprWhere, raw: Val[]) => unknown;
}

/** How States.Format prints a value: Java's toString of the parsed JSON (maps as {k=v, ...}, lists as [a, b]). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  return `{${Object.keys(v as Record<string, unknown>)
    .map((k) => `${k}=${formatValue((v as Record<string, unknown>)[k])}`)
    .join(", ")}}`;
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

function textLimit(name: string, s: string, where: ExprWhere): void {
  if (s.length > MAX_TEXT_INPUT) throw fail(where, `The input to ${name} exceeds ${MAX_TEXT_INPUT} characters.`);
}

/** The 18 intrinsic functions: arity, argument types and implementation. */
export const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
  "States.Format": {
    arity: [1, Infinity],
    types: ["string", "any"],
    run: (args, where, raw) => {
      const tmpl = raw[0];
      const text = tmpl instanceof EscapedString ? tmpl.raw : (tmpl as string).replace(/\\/g, "\\\\");
      const values = args.slice(1);
      let next = 0;
      let out = "";
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "\\" && i + 1 < text.length) {
          out += text[i + 1];
          i++;
        } else if (ch === "{" && text[i + 1] === "}") {
          if (next >= values.length) {
            throw fail(where, `The number of arguments (${values.length}) does not match the number of placeholders in the format string '${args[0]}' for States.Format.`);
          }
          out += formatValue(values[next++]);
          i++;
        } else out += ch;
      }
      if (next !== values.length) {
        throw fail(where, `The number of arguments (${values.length}) does not match the number of placeholders (${next}) in the format string for States.Format.`);
      }
      return out;
    },
  },
  "States.StringToJson": {
    arity: [1, 1],
    types: ["string"],
    run: ([s], where) => {
      if (s.trim() === "") return null;
      try {
        return JSON.parse(s);
      } catch {
        throw fail(where, `The function States.StringToJson could not parse its argument as JSON: ${s}`);
      }
    },
  },
  "States.JsonToString": { arity: [1, 1], types: ["any"], run: ([v]) => compactJson(v) },
  "States.Array": { arity: [0, Infinity], types: ["any"], run: (args) => args },
  "States.ArrayPartition": {
    arity: [2, 2],
    types: ["array", "integer"],
    run: ([arr, size], where) => {
      if (size <= 0) throw fail(where, `The chunk size for States.ArrayPartition must be a positive integer, but received ${size}.`);
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    },
  },
  "States.ArrayContains": { arity: [2, 2], types: ["array", "any"], run: ([arr, v]) => arr.some((x: unknown) => deepEqual(x, v)) },
  "States.ArrayRange": {
    arity: [3, 3],
    types: ["integer", "integer", "integer"],
    run: ([start, end, step], where) => {
      if (step === 0) throw fail(where, `The step for States.ArrayRange must not be 0.`);
      const count = Math.floor((end - start) / step) + 1;
      if (count > MAX_RANGE_ITEMS) {
        throw fail(where, `States.ArrayRange would produce ${count} items (start ${start}, end ${end}, step ${step}); at most ${MAX_RANGE_ITEMS} are allowed.`);
      }
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
      return out;
    },
  },
  "States.ArrayGetItem": {
    arity: [2, 2],
    types: ["array", "integer"],
    run: ([arr, idx], where) => {
      if (idx < 0 || idx >= arr.length) throw fail(where, `The index ${idx} is out of bounds for States.ArrayGetItem on an array of length ${arr.length}.`);
      return arr[idx];
    },
  },
  "States.ArrayLength": { arity: [1, 1], types: ["array"], run: ([arr]) => arr.length },
  "States.ArrayUnique": {
    arity: [1, 1],
    types: ["array"],
    run: ([arr]) => {
      const out: unknown[] = [];
      for (const x of arr) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    },
  },
  "States.Base64Encode": {
    arity: [1, 1],
    types: ["string"],
    run: ([s], where) => {
      textLimit("States.Base64Encode", s, where);
      return Buffer.from(s, "utf8").toString("base64");
    },
  },
  "States.Base64Decode": {
    arity: [1, 1],
    types: ["string"],
    run: ([s], where) => {
      textLimit("States.Base64Decode", s, where);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw fail(where, `The input to States.Base64Decode is not valid base64: ${s}`);
      return Buffer.from(s, "base64").toString("utf8");
    },
  },
  "States.Hash": {
    arity: [2, 2],
    types: ["any", "string"],
    run: ([value, algorithm], where) => {
      const algo = HASH_ALGORITHMS[algorithm];
      if (!algo) throw fail(where, `The hash algorithm '${algorithm}' is not supported by States.Hash; use one of ${Object.keys(HASH_ALGORITHMS).join(", ")}.`);
      const data = typeof value === "string" ? value : compactJson(value);
      textLimit("States.Hash", data, where);
      return createHash(algo).update(data, "utf8").digest("hex");
    },
  },
  "States.JsonMerge": {
    arity: [3, 3],
    types: ["object", "object", "boolean"],
    run: ([a, b, deep], where) => {
      if (deep) throw fail(where, `States.JsonMerge supports only shallow merges: its third argument must be false.`);
      // Spread defines own properties: a "__proto__" key is copied as data.
      return { ...a, ...b };
    },
  },
  "States.MathRandom": {
    arity: [2, 3],
    // Numbers are rounded to integers first (Java Math.round), as AWS does for States.MathAdd.
    types: ["number", "number", "number"],
    run: (args, where) => {
      const start = Math.round(args[0]);
      const end = Math.round(args[1]);
      if (start >= end) throw fail(where, `States.MathRandom needs start < end, but received start ${start} and end ${end}.`);
      const rnd = args.length === 3 ? seededRandom(Math.round(args[2])) : Math.random();
      return start + Math.floor(rnd * (end - start));
    },
  },
  "States.MathAdd": {
    arity: [2, 2],
    types: ["number", "number"],
    run: ([a, b], where) => {
      // AWS rounds each operand to an integer first (Java Math.round: halves go up), e.g. -1.5 + 0 = -1.
      const sum = Math.round(a) + Math.round(b);
      if (Math.abs(sum) > 2147483647) throw fail(where, `The result of States.MathAdd (${sum}) is outside the 32-bit integer range.`);
      return sum;
    },
  },
  "States.StringSplit": {
    arity: [2, 2],
    types: ["string", "string"],
    run: ([s, delims]) => {
      // Every character of the second argument is a separator, and empty pieces are dropped (recorded against AWS).
      const parts: string[] = [];
      let cur = "";
      for (const ch of s) {
        if (delims.includes(ch)) {
          if (cur !== "") parts.push(cur);
          cur = "";
        } else cur += ch;
      }
      if (cur !== "") parts.push(cur);
      return parts;
    },
  },
  "States.UUID": { arity: [0, 0], types: [], run: () => randomUUID() },
};

function callFunction(name: string, rawArgs: Val[], where: ExprWhere): unknown {
  const fn = Object.prototype.hasOwnProperty.call(INTRINSICS, name) ? INTRINSICS[name] : undefined;
  if (!fn) {
    throw fail(where, `Unknown intrinsic function '${name}' in the field '${where.field}'; see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html for the 18 functions.`);
  }
  const args = rawArgs.map(plain);
  const [min, max] = fn.arity;
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw fail(where, `The function ${name} expects ${wanted} argument(s) but received ${args.length}.`);
  }
  for (let i = 0; i < args.length; i++) {
    const type = fn.types[Math.min(i, fn.types.length - 1)];
    const [check, wanted] = TYPE_CHECKS[type];
    // States.Format's template may be a literal (kept escaped) or a string from a path.
    if (!check(args[i])) throw fail(where, `The function ${name} expects argument ${i + 1} to be ${wanted}, but received ${typeName(args[i])}: ${compactJson(args[i])}`);
  }
  const result = fn.run(args, where, rawArgs);
  if (checkPayload(result) !== "ok") {
    throw new ExpressionError("States.DataLimitExceeded", `The result of ${name} in the field '${where.field}' exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes.`, where.state, where.enteredEventId);
  }
  return result;
}

/** A small deterministic generator (mulberry32) so a seeded MathRandom / $random repeats its value. */
export function seededRandom(seed: number): number {
  let t = (seed | 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
