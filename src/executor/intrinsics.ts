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

function expectCount(name: string, args: unknown[], min: number, max: number, where: ExprWhere): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw fail(where, `The function ${name} expects ${wanted} argument(s) but received ${args.length}.`);
  }
}

function expectType<T>(name: string, v: unknown, check: (x: unknown) => x is T, wanted: string, position: number, where: ExprWhere): T {
  if (!check(v)) throw fail(where, `The function ${name} expects argument ${position} to be ${wanted}, but received ${typeName(v)}: ${compactJson(v)}`);
  return v;
}

const isString = (x: unknown): x is string => typeof x === "string";
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isInteger = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
const isArray = (x: unknown): x is unknown[] => Array.isArray(x);
const isBoolean = (x: unknown): x is boolean => typeof x === "boolean";
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** How States.Format prints a value: Java's toString of the parsed JSON (maps as {k=v, ...}, lists as [a, b]). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}=${formatValue(x)}`)
    .join(", ")}}`;
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

function callFunction(name: string, rawArgs: Val[], where: ExprWhere): unknown {
  const args = rawArgs.map(plain);
  switch (name) {
    case "States.Format": {
      expectCount(name, args, 1, Infinity, where);
      const tmpl = rawArgs[0];
      if (!(tmpl instanceof EscapedString) && typeof tmpl !== "string") {
        throw fail(where, `The function States.Format expects argument 1 to be a string, but received ${typeName(args[0])}: ${compactJson(args[0])}`);
      }
      const raw = tmpl instanceof EscapedString ? tmpl.raw : (tmpl as string).replace(/\\/g, "\\\\");
      const values = args.slice(1);
      let next = 0;
      let out = "";
      for (let i = 0; i < raw.length; i++) {
        const ch = raw[i];
        if (ch === "\\" && i + 1 < raw.length) {
          out += raw[i + 1];
          i++;
        } else if (ch === "{" && raw[i + 1] === "}") {
          if (next >= values.length) {
            throw fail(where, `The number of arguments (${values.length}) does not match the number of placeholders in the format string '${tmpl instanceof EscapedString ? tmpl.value : tmpl}' for States.Format.`);
          }
          out += formatValue(values[next++]);
          i++;
        } else out += ch;
      }
      if (next !== values.length) {
        throw fail(where, `The number of arguments (${values.length}) does not match the number of placeholders (${next}) in the format string for States.Format.`);
      }
      return out;
    }
    case "States.StringToJson": {
      expectCount(name, args, 1, 1, where);
      const s = expectType(name, args[0], isString, "a string", 1, where);
      if (s.trim() === "") return null;
      try {
        return JSON.parse(s);
      } catch {
        throw fail(where, `The function States.StringToJson could not parse its argument as JSON: ${s}`);
      }
    }
    case "States.JsonToString":
      expectCount(name, args, 1, 1, where);
      return compactJson(args[0]);
    case "States.Array":
      return args;
    case "States.ArrayPartition": {
      expectCount(name, args, 2, 2, where);
      const arr = expectType(name, args[0], isArray, "an array", 1, where);
      const size = expectType(name, args[1], isInteger, "an integer", 2, where);
      if (size <= 0) throw fail(where, `The chunk size for States.ArrayPartition must be a positive integer, but received ${size}.`);
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    }
    case "States.ArrayContains": {
      expectCount(name, args, 2, 2, where);
      const arr = expectType(name, args[0], isArray, "an array", 1, where);
      return arr.some((x) => deepEqual(x, args[1]));
    }
    case "States.ArrayRange": {
      expectCount(name, args, 3, 3, where);
      const start = expectType(name, args[0], isInteger, "an integer", 1, where);
      const end = expectType(name, args[1], isInteger, "an integer", 2, where);
      const step = expectType(name, args[2], isInteger, "an integer", 3, where);
      if (step === 0) throw fail(where, `The step for States.ArrayRange must not be 0.`);
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) throw fail(where, `States.ArrayRange would produce more than 1000 items (start ${start}, end ${end}, step ${step}).`);
      }
      return out;
    }
    case "States.ArrayGetItem": {
      expectCount(name, args, 2, 2, where);
      const arr = expectType(name, args[0], isArray, "an array", 1, where);
      const idx = expectType(name, args[1], isInteger, "an integer", 2, where);
      if (idx < 0 || idx >= arr.length) throw fail(where, `The index ${idx} is out of bounds for States.ArrayGetItem on an array of length ${arr.length}.`);
      return arr[idx];
    }
    case "States.ArrayLength": {
      expectCount(name, args, 1, 1, where);
      return expectType(name, args[0], isArray, "an array", 1, where).length;
    }
    case "States.ArrayUnique": {
      expectCount(name, args, 1, 1, where);
      const arr = expectType(name, args[0], isArray, "an array", 1, where);
      const out: unknown[] = [];
      for (const x of arr) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    case "States.Base64Encode": {
      expectCount(name, args, 1, 1, where);
      const s = expectType(name, args[0], isString, "a string", 1, where);
      if (s.length > 10000) throw fail(where, `The input to States.Base64Encode exceeds 10000 characters.`);
      return Buffer.from(s, "utf8").toString("base64");
    }
    case "States.Base64Decode": {
      expectCount(name, args, 1, 1, where);
      const s = expectType(name, args[0], isString, "a string", 1, where);
      if (s.length > 10000) throw fail(where, `The input to States.Base64Decode exceeds 10000 characters.`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw fail(where, `The input to States.Base64Decode is not valid base64: ${s}`);
      return Buffer.from(s, "base64").toString("utf8");
    }
    case "States.Hash": {
      expectCount(name, args, 2, 2, where);
      const algorithm = expectType(name, args[1], isString, "a string", 2, where);
      const algo = HASH_ALGORITHMS[algorithm];
      if (!algo) throw fail(where, `The hash algorithm '${algorithm}' is not supported by States.Hash; use one of ${Object.keys(HASH_ALGORITHMS).join(", ")}.`);
      const data = typeof args[0] === "string" ? args[0] : compactJson(args[0]);
      if (data.length > 10000) throw fail(where, `The input to States.Hash exceeds 10000 characters.`);
      return createHash(algo).update(data, "utf8").digest("hex");
    }
    case "States.JsonMerge": {
      expectCount(name, args, 3, 3, where);
      const a = expectType(name, args[0], isObject, "a JSON object", 1, where);
      const b = expectType(name, args[1], isObject, "a JSON object", 2, where);
      const deep = expectType(name, args[2], isBoolean, "a boolean", 3, where);
      if (deep) throw fail(where, `States.JsonMerge supports only shallow merges: its third argument must be false.`);
      return { ...a, ...b };
    }
    case "States.MathRandom": {
      expectCount(name, args, 2, 3, where);
      const start = expectType(name, args[0], isInteger, "an integer", 1, where);
      const end = expectType(name, args[1], isInteger, "an integer", 2, where);
      if (start >= end) throw fail(where, `States.MathRandom needs start < end, but received start ${start} and end ${end}.`);
      const rnd = args.length === 3 ? seededRandom(expectType(name, args[2], isInteger, "an integer", 3, where)) : Math.random();
      return start + Math.floor(rnd * (end - start));
    }
    case "States.MathAdd": {
      expectCount(name, args, 2, 2, where);
      const a = expectType(name, args[0], isNumber, "a number", 1, where);
      const b = expectType(name, args[1], isNumber, "a number", 2, where);
      // AWS rounds each operand to an integer first (Java Math.round: halves go up), e.g. -1.5 + 0 = -1.
      const sum = Math.round(a) + Math.round(b);
      if (Math.abs(sum) > 2147483647) throw fail(where, `The result of States.MathAdd (${sum}) is outside the 32-bit integer range.`);
      return sum;
    }
    case "States.StringSplit": {
      expectCount(name, args, 2, 2, where);
      const s = expectType(name, args[0], isString, "a string", 1, where);
      const delims = expectType(name, args[1], isString, "a string", 2, where);
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
    }
    case "States.UUID":
      expectCount(name, args, 0, 0, where);
      return randomUUID();
    default:
      throw fail(where, `Unknown intrinsic function '${name}' in the field '${where.field}'; see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html for the 18 functions.`);
  }
}

/** A small deterministic generator (mulberry32) so a seeded MathRandom / $random repeats its value. */
export function seededRandom(seed: number): number {
  let t = (seed | 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
