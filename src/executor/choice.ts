/**
 * JSONPath-mode Choice rules. As AWS does, a comparison whose Variable has the
 * wrong type is simply false (StringEquals on a number does not match), while a
 * Variable path that matches nothing is a States.Runtime error, except for
 * IsPresent. Timestamps compare as instants, to the nanosecond.
 */
import { ExprWhere, runtimeError } from "./expr-errors";
import { EvalScope, tryEvaluatePath } from "./jsonpath";

type Rule = Record<string, unknown>;

const COMPARATORS = new Set([
  "StringEquals",
  "StringLessThan",
  "StringGreaterThan",
  "StringLessThanEquals",
  "StringGreaterThanEquals",
  "StringMatches",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "NumericLessThanEquals",
  "NumericGreaterThanEquals",
  "BooleanEquals",
  "TimestampEquals",
  "TimestampLessThan",
  "TimestampGreaterThan",
  "TimestampLessThanEquals",
  "TimestampGreaterThanEquals",
  "IsNull",
  "IsPresent",
  "IsNumeric",
  "IsString",
  "IsBoolean",
  "IsTimestamp",
]);

export function evaluateChoiceRule(rule: Rule, scope: EvalScope, where: { state: string; enteredEventId?: number }): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateChoiceRule(r, scope, where));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateChoiceRule(r, scope, where));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not as Rule, scope, where);

  const variable = rule.Variable;
  if (typeof variable !== "string") {
    throw runtimeError(where, `A Choice rule of state '${where.state}' has no Variable (nor And/Or/Not): ${JSON.stringify(rule)}`);
  }
  const { op, usesPath } = ruleOperator(rule, where);

  const lookup = tryEvaluatePath(variable, scope);
  if (op === "IsPresent") return lookup.found === (rule.IsPresent === true);
  if (!lookup.found) throw runtimeError(where, `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  const value = lookup.value;

  let expected: unknown;
  if (usesPath) {
    const p = rule[`${op}Path`];
    const ref = typeof p === "string" ? tryEvaluatePath(p, scope) : { found: false };
    if (!ref.found) throw runtimeError(where, `Invalid path '${String(p)}': The choice state's condition path references an invalid value.`);
    expected = ref.value;
  } else {
    expected = rule[op];
  }
  return compareRule(op, value, expected, where);
}

const operatorCache = new WeakMap<Rule, { op: string; usesPath: boolean }>();

/** The rule's comparison operator, found once per rule object (definitions are reused across executions). */
function ruleOperator(rule: Rule, where: { state: string; enteredEventId?: number }): { op: string; usesPath: boolean } {
  const hit = operatorCache.get(rule);
  if (hit) return hit;
  let op: string | undefined;
  let usesPath = false;
  for (const key of Object.keys(rule)) {
    if (COMPARATORS.has(key)) op = key;
    else if (key.endsWith("Path") && COMPARATORS.has(key.slice(0, -4))) {
      op = key.slice(0, -4);
      usesPath = true;
    }
  }
  if (!op) throw runtimeError(where, `The Choice rule on '${String(rule.Variable)}' in state '${where.state}' has no comparison operator: ${JSON.stringify(rule)}`);
  const found = { op, usesPath };
  operatorCache.set(rule, found);
  return found;
}

function compareRule(op: string, value: unknown, expected: unknown, where: ExprWhere | { state: string }): boolean {
  switch (op) {
    case "IsNull":
      return (value === null) === (expected === true);
    case "IsNumeric":
      return (typeof value === "number") === (expected === true);
    case "IsString":
      return (typeof value === "string") === (expected === true);
    case "IsBoolean":
      return (typeof value === "boolean") === (expected === true);
    case "IsTimestamp":
      return (typeof value === "string" && parseTimestamp(value) !== undefined) === (expected === true);
    case "StringMatches":
      return typeof value === "string" && typeof expected === "string" && wildcardRegex(expected).test(value);
    case "BooleanEquals":
      return typeof value === "boolean" && value === expected;
    default:
      break;
  }
  const cmp = op.replace(/^(String|Numeric|Timestamp)/, "");
  let order: number | undefined;
  if (op.startsWith("String")) {
    if (typeof value !== "string" || typeof expected !== "string") return false;
    order = value < expected ? -1 : value > expected ? 1 : 0;
  } else if (op.startsWith("Numeric")) {
    if (typeof value !== "number" || typeof expected !== "number") return false;
    order = value < expected ? -1 : value > expected ? 1 : 0;
  } else if (op.startsWith("Timestamp")) {
    if (typeof value !== "string" || typeof expected !== "string") return false;
    const a = parseTimestamp(value);
    const b = parseTimestamp(expected);
    if (a === undefined || b === undefined) return false;
    order = a < b ? -1 : a > b ? 1 : 0;
  } else {
    throw runtimeError(where, `Unknown Choice operator '${op}'.`);
  }
  switch (cmp) {
    case "Equals":
      return order === 0;
    case "LessThan":
      return order < 0;
    case "GreaterThan":
      return order > 0;
    case "LessThanEquals":
      return order <= 0;
    case "GreaterThanEquals":
      return order >= 0;
  }
  return false;
}

const wildcardCache = new Map<string, RegExp>();

/** StringMatches: `*` matches any run of characters, `\*` a literal asterisk, `\\` a backslash. */
export function wildcardRegex(pattern: string): RegExp {
  let re = wildcardCache.get(pattern);
  if (re) return re;
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\" && i + 1 < pattern.length) {
      src += escapeRegex(pattern[++i]);
    } else if (ch === "*") src += "[\\s\\S]*";
    else src += escapeRegex(ch);
  }
  re = new RegExp(`^${src}$`);
  if (wildcardCache.size > 1000) wildcardCache.clear();
  wildcardCache.set(pattern, re);
  return re;
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp (date, time, required offset) to nanoseconds
 * since the epoch as a bigint, or undefined when it is not one. AWS rejects
 * timestamps without an offset and out-of-range fields (month 13, hour 25).
 */
export function parseTimestamp(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  let offsetMinutes = 0;
  const off = m[8];
  if (off !== "Z" && off !== "z") {
    const sign = off[0] === "-" ? -1 : 1;
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const nanos = BigInt((m[7] ?? "").padEnd(9, "0") || "0");
  return BigInt(ms) * 1_000_000n + nanos;
}
