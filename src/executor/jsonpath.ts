/**
 * JSONPath as Step Functions evaluates it. AWS runs Jayway JsonPath, so the
 * rules copied here are Jayway's: a *definite* path (only names and single
 * indexes) yields one value or fails with "No results for path" / "Missing
 * property in path"; an *indefinite* path (wildcard, deep scan, slice, union,
 * filter) yields the list of matches, possibly empty. Paths start at `$`
 * (the state input), `$$` (the context object) or `$name` (a workflow
 * variable). Parsed paths are cached by their text because the same few paths
 * are evaluated on every execution.
 */
import { ExprWhere, compactJson, runtimeError } from "./expr-errors";

export interface EvalScope {
  input: unknown;
  context: unknown;
  variables: Record<string, unknown>;
}

type Segment =
  | { kind: "prop"; name: string }
  | { kind: "index"; index: number }
  | { kind: "props"; names: string[] }
  | { kind: "indexes"; indexes: number[] }
  | { kind: "slice"; start?: number; end?: number; step?: number }
  | { kind: "wildcard" }
  | { kind: "deep"; inner: Segment }
  | { kind: "filter"; expr: FilterExpr; text: string };

export interface CompiledPath {
  text: string;
  root: "input" | "context" | "variable";
  variable?: string;
  segments: Segment[];
  definite: boolean;
  /** A Jayway path function at the end (`$.items.length()`), applied to what the segments select. */
  fn?: string;
}

type FilterExpr =
  | { kind: "or" | "and"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; operand: FilterExpr }
  | { kind: "cmp"; op: string; left: Operand; right: Operand }
  | { kind: "exists"; operand: Operand };

type Operand =
  | { kind: "literal"; value: unknown }
  | { kind: "regex"; regex: RegExp }
  | { kind: "path"; relative: boolean; segments: Segment[]; fn?: string };

const cache = new Map<string, CompiledPath>();
const MAX_CACHE = 10_000;

/** Thrown for a path that cannot be parsed; the caller words it for its field. */
export class JsonPathSyntaxError extends Error {}

export function compilePath(text: string): CompiledPath {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = new PathParser(text).parse();
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

/** True when `text` is a syntactically valid path of any of the three roots. */
export function isValidPath(text: string): boolean {
  try {
    compilePath(text);
    return true;
  } catch {
    return false;
  }
}

class PathParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): CompiledPath {
    const t = this.text;
    if (typeof t !== "string" || !t.startsWith("$")) throw new JsonPathSyntaxError(`a path must start with '$'`);
    let root: CompiledPath["root"] = "input";
    let variable: string | undefined;
    if (t.startsWith("$$")) {
      root = "context";
      this.pos = 2;
    } else {
      this.pos = 1;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(1));
      if (m) {
        root = "variable";
        variable = m[0];
        this.pos = 1 + m[0].length;
      }
    }
    const segments = this.parseSegments(false);
    let fn: string | undefined;
    const last = segments[segments.length - 1];
    if (last?.kind === "prop" && last.name.endsWith("()")) {
      fn = last.name.slice(0, -2);
      segments.pop();
    }
    if (this.pos !== t.length) throw new JsonPathSyntaxError(`unexpected '${t[this.pos]}' at position ${this.pos}`);
    if (segments.some((s) => s.kind === "prop" && s.name.endsWith("()"))) throw new JsonPathSyntaxError(`a path function such as length() must come last`);
    return { text: t, root, variable, segments, definite: segments.every(isDefinite), fn };
  }

  /** Segments until end of text (or, inside a filter, until a character that cannot continue a path). */
  parseSegments(inFilter: boolean): Segment[] {
    const segs: Segment[] = [];
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === "." && t[this.pos + 1] === ".") {
        this.pos += 2;
        let inner: Segment;
        if (t[this.pos] === "[") inner = this.parseBracket();
        else if (t[this.pos] === "*") {
          this.pos++;
          inner = { kind: "wildcard" };
        } else inner = { kind: "prop", name: this.parseName() };
        segs.push({ kind: "deep", inner });
      } else if (c === ".") {
        this.pos++;
        if (t[this.pos] === "*") {
          this.pos++;
          segs.push({ kind: "wildcard" });
        } else if (t[this.pos] === "[") {
          segs.push(this.parseBracket());
        } else {
          const name = this.parseName();
          if (t.startsWith("()", this.pos)) {
            if (!PATH_FUNCTIONS.has(name)) throw new JsonPathSyntaxError(`unknown path function ${name}(); supported: ${[...PATH_FUNCTIONS].map((f) => `${f}()`).join(", ")}`);
            this.pos += 2;
            segs.push({ kind: "prop", name: `${name}()` });
          } else segs.push({ kind: "prop", name });
        }
      } else if (c === "[") {
        segs.push(this.parseBracket());
      } else if (inFilter) {
        break;
      } else {
        throw new JsonPathSyntaxError(`unexpected '${c}' at position ${this.pos}`);
      }
    }
    return segs;
  }

  parseName(): string {
    const t = this.text;
    const start = this.pos;
    // Jayway accepts any character up to the next '.', '[' or space in dot notation; filters also stop at operators.
    while (this.pos < t.length && !/[.[\]\s()=!<>&|,]/.test(t[this.pos])) this.pos++;
    if (this.pos === start) throw new JsonPathSyntaxError(`expected a property name at position ${start}`);
    return t.slice(start, this.pos);
  }

  parseBracket(): Segment {
    const t = this.text;
    this.pos++; // [
    this.skipSpace();
    let seg: Segment;
    if (t[this.pos] === "*") {
      this.pos++;
      seg = { kind: "wildcard" };
    } else if (t[this.pos] === "?") {
      this.pos++;
      this.skipSpace();
      if (t[this.pos] !== "(") throw new JsonPathSyntaxError(`expected '(' after '?' at position ${this.pos}`);
      const start = this.pos;
      this.pos++;
      const expr = this.parseOr();
      this.skipSpace();
      if (t[this.pos] !== ")") throw new JsonPathSyntaxError(`expected ')' at position ${this.pos}`);
      this.pos++;
      seg = { kind: "filter", expr, text: t.slice(start, this.pos) };
    } else if (t[this.pos] === "'" || t[this.pos] === '"') {
      const names: string[] = [];
      for (;;) {
        names.push(this.parseQuoted());
        this.skipSpace();
        if (t[this.pos] === ",") {
          this.pos++;
          this.skipSpace();
          continue;
        }
        break;
      }
      seg = names.length === 1 ? { kind: "prop", name: names[0] } : { kind: "props", names };
    } else {
      const m = /^\s*(-?\d*)\s*(?::\s*(-?\d*)\s*)?(?::\s*(-?\d*)\s*)?/.exec(t.slice(this.pos))!;
      if (t.slice(this.pos).match(/^\s*-?\d+\s*,/)) {
        const indexes: number[] = [];
        for (;;) {
          const n = /^\s*(-?\d+)\s*/.exec(t.slice(this.pos));
          if (!n) throw new JsonPathSyntaxError(`expected an index at position ${this.pos}`);
          indexes.push(Number(n[1]));
          this.pos += n[0].length;
          if (t[this.pos] === ",") {
            this.pos++;
            continue;
          }
          break;
        }
        seg = { kind: "indexes", indexes };
      } else if (m[0].includes(":")) {
        this.pos += m[0].length;
        const num = (s: string | undefined) => (s === undefined || s === "" ? undefined : Number(s));
        seg = { kind: "slice", start: num(m[1]), end: num(m[2]), step: num(m[3]) };
      } else if (m[1] !== "" && m[1] !== "-") {
        this.pos += m[0].length;
        seg = { kind: "index", index: Number(m[1]) };
      } else {
        throw new JsonPathSyntaxError(`unexpected '${t[this.pos] ?? "end of path"}' in brackets at position ${this.pos}`);
      }
    }
    this.skipSpace();
    if (t[this.pos] !== "]") throw new JsonPathSyntaxError(`expected ']' at position ${this.pos}`);
    this.pos++;
    return seg;
  }

  parseQuoted(): string {
    const t = this.text;
    const quote = t[this.pos];
    this.pos++;
    let out = "";
    while (this.pos < t.length && t[this.pos] !== quote) {
      // Only an escaped quote is unescaped; other backslashes stay literal (AWS recorded: the path $['Test\\""Name"'] selects the key Test\\""Name").
      if (t[this.pos] === "\\" && t[this.pos + 1] === quote) this.pos++;
      out += t[this.pos];
      this.pos++;
    }
    if (t[this.pos] !== quote) throw new JsonPathSyntaxError(`unterminated string starting at position ${this.pos}`);
    this.pos++;
    return out;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  parseOr(): FilterExpr {
    let left = this.parseAnd();
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith("||", this.pos)) {
        this.pos += 2;
        left = { kind: "or", left, right: this.parseAnd() };
      } else return left;
    }
  }

  parseAnd(): FilterExpr {
    let left = this.parseUnary();
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith("&&", this.pos)) {
        this.pos += 2;
        left = { kind: "and", left, right: this.parseUnary() };
      } else return left;
    }
  }

  parseUnary(): FilterExpr {
    this.skipSpace();
    const t = this.text;
    if (t[this.pos] === "!" && t[this.pos + 1] !== "=") {
      this.pos++;
      return { kind: "not", operand: this.parseUnary() };
    }
    if (t[this.pos] === "(") {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpace();
      if (t[this.pos] !== ")") throw new JsonPathSyntaxError(`expected ')' at position ${this.pos}`);
      this.pos++;
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpace();
    const op = /^(==|!=|<=|>=|<|>|=~|\s*(?:nin|in|subsetof|anyof|noneof|size|empty)\b)/.exec(t.slice(this.pos));
    if (!op) return { kind: "exists", operand: left };
    this.pos += op[0].length;
    const name = op[0].trim();
    return { kind: "cmp", op: name, left, right: this.parseOperand() };
  }

  parseOperand(): Operand {
    this.skipSpace();
    const t = this.text;
    const c = t[this.pos];
    if (c === "@" || c === "$") {
      this.pos++;
      const segments = this.parseSegments(true);
      const last = segments[segments.length - 1];
      const fn = last?.kind === "prop" && last.name.endsWith("()") ? last.name.slice(0, -2) : undefined;
      return { kind: "path", relative: c === "@", segments: fn ? segments.slice(0, -1) : segments, fn };
    }
    if (c === "'" || c === '"') return { kind: "literal", value: this.parseQuoted() };
    if (c === "/") {
      const m = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(t.slice(this.pos));
      if (!m) throw new JsonPathSyntaxError(`bad regular expression at position ${this.pos}`);
      this.pos += m[0].length;
      return { kind: "regex", regex: new RegExp(m[1], m[2].replace(/[^imsu]/g, "")) };
    }
    if (c === "[") {
      // A JSON array literal (for in / nin / subsetof): take the balanced text and parse it as JSON.
      let depth = 0;
      const start = this.pos;
      for (; this.pos < t.length; this.pos++) {
        if (t[this.pos] === "[") depth++;
        else if (t[this.pos] === "]" && --depth === 0) break;
      }
      this.pos++;
      const body = t.slice(start, this.pos).replace(/'/g, '"');
      try {
        return { kind: "literal", value: JSON.parse(body) };
      } catch {
        throw new JsonPathSyntaxError(`bad array literal ${body}`);
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(t.slice(this.pos));
    if (!m) throw new JsonPathSyntaxError(`unexpected '${c ?? "end of path"}' in filter at position ${this.pos}`);
    this.pos += m[0].length;
    return { kind: "literal", value: JSON.parse(m[0]) };
  }
}

/** Jayway's path functions (https://github.com/json-path/JsonPath#functions) that apply to a whole result. */
const PATH_FUNCTIONS = new Set(["length", "size", "min", "max", "avg", "stddev", "sum", "keys", "first", "last"]);

/** Applies a Jayway path function; throws PathNotFound-style Errors with Jayway's reason when it cannot. */
export function applyPathFunction(fn: string, value: unknown): unknown {
  switch (fn) {
    case "length":
    case "size":
      if (Array.isArray(value) || typeof value === "string") return value.length;
      if (isObject(value)) return Object.keys(value).length;
      throw new PathNotFound(`Function ${fn}() can only be applied to an array, object or string, but the value is ${compactJson(value)}`);
    case "keys":
      if (isObject(value)) return Object.keys(value);
      throw new PathNotFound(`Function keys() can only be applied to an object, but the value is ${compactJson(value)}`);
    case "first":
    case "last":
      if (Array.isArray(value) && value.length > 0) return fn === "first" ? value[0] : value[value.length - 1];
      throw new PathNotFound(`Function ${fn}() needs a non-empty array, but the value is ${compactJson(value)}`);
    default: {
      const numbers = Array.isArray(value) ? value.filter((x): x is number => typeof x === "number") : [];
      if (numbers.length === 0) throw new PathNotFound("Aggregation function attempted to calculate value using empty array");
      const sum = numbers.reduce((a, b) => a + b, 0);
      if (fn === "sum") return sum;
      if (fn === "min") return Math.min(...numbers);
      if (fn === "max") return Math.max(...numbers);
      const avg = sum / numbers.length;
      if (fn === "avg") return avg;
      return Math.sqrt(numbers.reduce((a, b) => a + (b - avg) * (b - avg), 0) / numbers.length);
    }
  }
}

function isDefinite(seg: Segment): boolean {
  return seg.kind === "prop" || seg.kind === "index";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fragment(seg: Segment): string {
  switch (seg.kind) {
    case "prop":
      return `['${seg.name}']`;
    case "index":
      return `[${seg.index}]`;
    case "props":
      return `[${seg.names.map((n) => `'${n}'`).join(",")}]`;
    case "indexes":
      return `[${seg.indexes.join(",")}]`;
    case "slice":
      return `[${seg.start ?? ""}:${seg.end ?? ""}${seg.step !== undefined ? `:${seg.step}` : ""}]`;
    case "wildcard":
      return "[*]";
    case "deep":
      return `..${fragment(seg.inner)}`;
    case "filter":
      return `[?]`;
  }
}

/** Jayway's canonical form of a path, e.g. `$['a'][0]`, as it appears in its error messages. */
export function canonicalPath(path: CompiledPath, upTo = path.segments.length): string {
  const root = path.root === "context" ? "$$" : path.root === "variable" ? `$${path.variable}` : "$";
  return root + path.segments.slice(0, upTo).map(fragment).join("");
}

/** Why a definite path found nothing, in Jayway's words. */
class PathNotFound extends Error {}

/**
 * Evaluates a compiled path against a root value. Definite paths return
 * `{found: true, value}` or throw PathNotFound; indefinite paths return every
 * match as a list.
 */
export function evaluateCompiled(path: CompiledPath, root: unknown): { found: boolean; value: unknown } {
  const selected = selectCompiled(path, root);
  return path.fn ? { found: true, value: applyPathFunction(path.fn, selected.value) } : selected;
}

function selectCompiled(path: CompiledPath, root: unknown): { found: boolean; value: unknown } {
  if (path.definite) {
    let cur = root;
    const segs = path.segments;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const leaf = i === segs.length - 1;
      if (seg.kind === "prop") {
        if (!isObject(cur)) {
          throw new PathNotFound(
            `Expected to find an object with property ['${seg.name}'] in path ${canonicalPath(path, i)} but found '${javaTypeName(cur)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.`,
          );
        }
        if (!Object.prototype.hasOwnProperty.call(cur, seg.name)) {
          if (leaf) throw new PathNotFound(`No results for path: ${canonicalPath(path)}`);
          throw new PathNotFound(`Missing property in path ${canonicalPath(path, i + 1)}`);
        }
        cur = cur[seg.name];
      } else {
        const idx = (seg as { index: number }).index;
        if (!Array.isArray(cur)) {
          if (cur === null || cur === undefined) throw new PathNotFound(`The path ${canonicalPath(path, i)} is null`);
          throw new PathNotFound(`Filter: [${idx}] can only be applied to arrays. Current context is: ${compactJson(cur)}`);
        }
        const eff = idx < 0 ? cur.length + idx : idx;
        if (eff < 0 || eff >= cur.length) throw new PathNotFound(`No results for path: ${canonicalPath(path)}`);
        cur = cur[eff];
      }
    }
    return { found: true, value: cur };
  }
  const out: unknown[] = [];
  walk(path.segments, 0, root, root, out);
  return { found: true, value: out };
}

function javaTypeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "com.fasterxml.jackson.databind.node.ArrayNode";
  if (typeof v === "string") return "com.fasterxml.jackson.databind.node.TextNode";
  if (typeof v === "boolean") return "com.fasterxml.jackson.databind.node.BooleanNode";
  if (typeof v === "number") return Number.isInteger(v) ? "com.fasterxml.jackson.databind.node.IntNode" : "com.fasterxml.jackson.databind.node.DoubleNode";
  return "com.fasterxml.jackson.databind.node.ObjectNode";
}

function walk(segs: Segment[], i: number, cur: unknown, root: unknown, out: unknown[]): void {
  if (i === segs.length) {
    out.push(cur);
    return;
  }
  const seg = segs[i];
  switch (seg.kind) {
    case "prop":
      if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg.name)) walk(segs, i + 1, cur[seg.name], root, out);
      return;
    case "props":
      if (isObject(cur)) for (const n of seg.names) if (Object.prototype.hasOwnProperty.call(cur, n)) walk(segs, i + 1, cur[n], root, out);
      return;
    case "index":
      if (Array.isArray(cur)) {
        const eff = seg.index < 0 ? cur.length + seg.index : seg.index;
        if (eff >= 0 && eff < cur.length) walk(segs, i + 1, cur[eff], root, out);
      }
      return;
    case "indexes":
      if (Array.isArray(cur))
        for (const idx of seg.indexes) {
          const eff = idx < 0 ? cur.length + idx : idx;
          if (eff >= 0 && eff < cur.length) walk(segs, i + 1, cur[eff], root, out);
        }
      return;
    case "slice":
      if (Array.isArray(cur)) for (const v of sliceArray(cur, seg)) walk(segs, i + 1, v, root, out);
      return;
    case "wildcard":
      if (Array.isArray(cur)) for (const v of cur) walk(segs, i + 1, v, root, out);
      else if (isObject(cur)) for (const k of Object.keys(cur)) walk(segs, i + 1, cur[k], root, out);
      return;
    case "filter":
      if (Array.isArray(cur)) {
        for (const v of cur) if (testFilter(seg.expr, v, root)) walk(segs, i + 1, v, root, out);
      } else if (isObject(cur) && testFilter(seg.expr, cur, root)) walk(segs, i + 1, cur, root, out);
      return;
    case "deep":
      deepScan(seg.inner, segs, i, cur, root, out);
      return;
  }
}

/** Jayway's scan: apply the inner segment at this node, then descend into every child (pre-order). */
function deepScan(inner: Segment, segs: Segment[], i: number, cur: unknown, root: unknown, out: unknown[]): void {
  if (!Array.isArray(cur) && !isObject(cur)) return;
  const rest: Segment[] = [inner, ...segs.slice(i + 1)];
  if (inner.kind === "filter") {
    // A filter under a scan tests each container node itself.
    if (Array.isArray(cur)) walk(rest, 0, cur, root, out);
    else if (testFilter(inner.expr, cur, root)) walk(segs, i + 1, cur, root, out);
  } else {
    walk(rest, 0, cur, root, out);
  }
  const children = Array.isArray(cur) ? cur : Object.values(cur);
  for (const child of children) deepScan(inner, segs, i, child, root, out);
}

function sliceArray(arr: unknown[], seg: { start?: number; end?: number; step?: number }): unknown[] {
  const len = arr.length;
  const step = seg.step ?? 1;
  if (step <= 0) return [];
  let start = seg.start ?? 0;
  let end = seg.end ?? len;
  if (start < 0) start = Math.max(0, len + start);
  if (end < 0) end = Math.max(0, len + end);
  end = Math.min(end, len);
  const out: unknown[] = [];
  for (let k = start; k < end; k += step) out.push(arr[k]);
  return out;
}

const MISSING = Symbol("missing");

function operandValue(op: Operand, current: unknown, root: unknown): unknown {
  if (op.kind === "literal") return op.value;
  if (op.kind === "regex") return op.regex;
  const base = op.relative ? current : root;
  let value: unknown;
  if (op.segments.every(isDefinite)) {
    let cur: unknown = base;
    for (const seg of op.segments) {
      if (seg.kind === "prop") {
        if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg.name)) return MISSING;
        cur = cur[seg.name];
      } else {
        const idx = (seg as { index: number }).index;
        if (!Array.isArray(cur)) return MISSING;
        const eff = idx < 0 ? cur.length + idx : idx;
        if (eff < 0 || eff >= cur.length) return MISSING;
        cur = cur[eff];
      }
    }
    value = cur;
  } else {
    const out: unknown[] = [];
    walk(op.segments, 0, base, root, out);
    value = out;
  }
  if (op.fn) {
    if (value === MISSING) return MISSING;
    try {
      return applyPathFunction(op.fn, value);
    } catch {
      return MISSING;
    }
  }
  return value;
}

function testFilter(expr: FilterExpr, current: unknown, root: unknown): boolean {
  switch (expr.kind) {
    case "or":
      return testFilter(expr.left, current, root) || testFilter(expr.right, current, root);
    case "and":
      return testFilter(expr.left, current, root) && testFilter(expr.right, current, root);
    case "not":
      return !testFilter(expr.operand, current, root);
    case "exists": {
      const v = operandValue(expr.operand, current, root);
      if (v === MISSING) return false;
      if (expr.operand.kind === "literal") return v === true;
      return true;
    }
    case "cmp": {
      const l = operandValue(expr.left, current, root);
      const r = operandValue(expr.right, current, root);
      if (l === MISSING || r === MISSING) return expr.op === "!=" || expr.op === "nin" ? l !== r : false;
      return compare(expr.op, l, r);
    }
  }
}

function compare(op: string, l: unknown, r: unknown): boolean {
  switch (op) {
    case "==":
      return deepEqual(l, r);
    case "!=":
      return !deepEqual(l, r);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (!((typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string"))) return false;
      if (op === "<") return l < r;
      if (op === "<=") return l <= r;
      if (op === ">") return l > r;
      return l >= r;
    }
    case "=~":
      return typeof l === "string" && r instanceof RegExp && new RegExp(`^(?:${r.source})$`, r.flags).test(l);
    case "in":
      return Array.isArray(r) && r.some((x) => deepEqual(x, l));
    case "nin":
      return Array.isArray(r) && !r.some((x) => deepEqual(x, l));
    case "subsetof":
      return Array.isArray(l) && Array.isArray(r) && l.every((x) => r.some((y) => deepEqual(x, y)));
    case "anyof":
      return Array.isArray(l) && Array.isArray(r) && l.some((x) => r.some((y) => deepEqual(x, y)));
    case "noneof":
      return Array.isArray(l) && Array.isArray(r) && !l.some((x) => r.some((y) => deepEqual(x, y)));
    case "size":
      return typeof r === "number" && (Array.isArray(l) || typeof l === "string") && l.length === r;
    case "empty": {
      const empty = (Array.isArray(l) || typeof l === "string") && l.length === 0;
      return r === true ? empty : r === false ? (Array.isArray(l) || typeof l === "string") && !empty : false;
    }
  }
  return false;
}

/** JSON deep equality: key order ignored, array order kept, numbers by value. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual((a as Record<string, unknown>)[k], bo[k])) return false;
  }
  return true;
}

/** Fields whose failures AWS reports with Jayway's own message ("Invalid path '<p>' : <reason>"). */
const JAYWAY_WORDED_FIELDS = new Set(["InputPath", "OutputPath", "ItemsPath"]);

function rootValue(path: CompiledPath, scope: EvalScope, where: ExprWhere): unknown {
  if (path.root === "input") return scope.input;
  if (path.root === "context") return scope.context;
  const vars = scope.variables;
  if (!vars || !Object.prototype.hasOwnProperty.call(vars, path.variable!)) {
    throw runtimeError(where, `The JSONPath '${path.text}' specified for the field '${where.field}' could not be found in the input '${compactJson(scope.input)}'`);
  }
  return vars[path.variable!];
}

/**
 * Evaluates a JSONPath (`$...`), context path (`$$...`) or variable path
 * (`$name...`). Throws States.Runtime with AWS's message when a definite path
 * matches nothing; an indefinite path returns the (possibly empty) list of
 * matches.
 */
export function evaluatePath(path: string, scope: EvalScope, where: ExprWhere): unknown {
  if (path === "$") return scope.input;
  let compiled: CompiledPath;
  try {
    compiled = compilePath(path);
  } catch (e) {
    throw runtimeError(where, `The JSONPath '${path}' specified for the field '${where.field}' is not a valid JSONPath: ${(e as Error).message}`);
  }
  const root = rootValue(compiled, scope, where);
  try {
    return evaluateCompiled(compiled, root).value;
  } catch (e) {
    if (!(e instanceof PathNotFound)) throw e;
    if (JAYWAY_WORDED_FIELDS.has(where.field)) throw runtimeError(where, `Invalid path '${path}' : ${e.message}`);
    throw runtimeError(where, `The JSONPath '${path}' specified for the field '${where.field}' could not be found in the input '${compactJson(scope.input)}'`);
  }
}

/** Like evaluatePath, but returns `{found:false}` instead of throwing when a definite path matches nothing (for IsPresent). */
export function tryEvaluatePath(path: string, scope: EvalScope): { found: boolean; value?: unknown } {
  if (path === "$") return { found: true, value: scope.input };
  const compiled = compilePath(path);
  let root: unknown;
  if (compiled.root === "input") root = scope.input;
  else if (compiled.root === "context") root = scope.context;
  else {
    if (!scope.variables || !Object.prototype.hasOwnProperty.call(scope.variables, compiled.variable!)) return { found: false };
    root = scope.variables[compiled.variable!];
  }
  try {
    return evaluateCompiled(compiled, root);
  } catch (e) {
    if (e instanceof PathNotFound) return { found: false };
    throw e;
  }
}

/**
 * ResultPath: `null` keeps the input and discards the result; absent or `$`
 * replaces the input with the result; `$.a.b` writes the result there,
 * creating missing objects, without mutating the caller's input.
 */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown, where: { state: string; enteredEventId?: number }): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  let compiled: CompiledPath;
  try {
    compiled = compilePath(resultPath);
  } catch (e) {
    throw runtimeError(where, `Invalid path '${resultPath}' : ${(e as Error).message}`);
  }
  if (compiled.root !== "input" || !compiled.definite) {
    throw runtimeError(where, `Invalid path '${resultPath}' : ResultPath must be a reference path (only '$', names and single indexes); change the ResultPath of state '${where.state}'.`);
  }
  return setAt(input, compiled.segments, 0, result, compiled, where);
}

function setAt(cur: unknown, segs: Segment[], i: number, value: unknown, path: CompiledPath, where: { state: string; enteredEventId?: number }): unknown {
  if (i === segs.length) return value;
  const seg = segs[i];
  if (seg.kind === "prop") {
    let base: Record<string, unknown>;
    if (isObject(cur)) base = { ...cur }; // spread copies own keys as data, "__proto__" included
    else if (i > 0 && (cur === undefined)) base = {};
    else {
      throw runtimeError(
        where,
        `Invalid path '${path.text}' : Unable to set property '${seg.name}' at ${canonicalPath(path, i)} because the value there is not a JSON object: ${compactJson(cur)}`,
      );
    }
    const own = Object.prototype.hasOwnProperty.call(base, seg.name) ? base[seg.name] : undefined;
    const next = setAt(own, segs, i + 1, value, path, where);
    if (seg.name === "__proto__") Object.defineProperty(base, seg.name, { value: next, writable: true, enumerable: true, configurable: true });
    else base[seg.name] = next;
    return base;
  }
  const idx = (seg as { index: number }).index;
  if (!Array.isArray(cur)) {
    throw runtimeError(where, `Invalid path '${path.text}' : Unable to set index [${idx}] at ${canonicalPath(path, i)} because the value there is not an array: ${compactJson(cur ?? null)}`);
  }
  const eff = idx < 0 ? cur.length + idx : idx;
  if (eff < 0 || eff >= cur.length) {
    throw runtimeError(where, `Invalid path '${path.text}' : Index [${idx}] is out of bounds at ${canonicalPath(path, i)} (array size ${cur.length})`);
  }
  const copy = cur.slice();
  copy[eff] = setAt(copy[eff], segs, i + 1, value, path, where);
  return copy;
}
