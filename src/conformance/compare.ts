/**
 * The suite's comparison rule (README "Comparison"): status equal; outputs
 * deep-equal (key order ignored, array order kept, numbers by value);
 * error/cause equal, as parsed JSON when the recording kept them as JSON, and
 * absent where AWS reported none. Cases with `placeholders: true` had
 * non-deterministic parts replaced when recorded, so their whole-value
 * placeholders match anything and `<token>`s inside strings match any text.
 */
import type { ConformanceCase } from "./cases";

export interface ActualOutcome {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface Verdict {
  pass: boolean;
  /** Why it failed, naming the first difference. */
  reason?: string;
}

/** Whole values the README lists as matching anything. */
const README_WHOLE_VALUES = ["date", "datetime", "timestamp", "RequestId", "sfn_role_arn", "snf_role_arn", "json-input"];

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

interface Rules {
  wholeValues: Set<string>;
  tokens: string[];
  replacements: Array<{ regex: RegExp; placeholder: string }>;
}

function rulesFor(c: ConformanceCase): Rules | undefined {
  if (!c.placeholders) return undefined;
  const wholeValues = new Set(README_WHOLE_VALUES);
  const regexPlaceholders = new Set<string>();
  const replacements: Rules["replacements"] = [];
  for (const r of c.snapshotReplacements ?? []) {
    if (r.wholeValue) wholeValues.add(r.placeholder);
    if (r.regex !== undefined) {
      regexPlaceholders.add(r.placeholder);
      replacements.push({ regex: new RegExp(r.regex, "g"), placeholder: r.placeholder });
    }
  }
  const tokens: string[] = [];
  for (const t of c.placeholderTokens ?? []) {
    if (t.startsWith("<")) tokens.push(t);
    // A bare-word token that no regex replacement produces (X-Amzn-Trace-Id, RandomNumberGenerated, ...) stood for a whole value when recorded.
    else if (t !== "111111111111" && !regexPlaceholders.has(t)) wholeValues.add(t);
  }
  return { wholeValues, tokens, replacements };
}

export function compareOutcome(c: ConformanceCase, actual: ActualOutcome): Verdict {
  const rules = rulesFor(c);
  const exp = c.expected;
  if (actual.status !== exp.status) {
    const detail = actual.status === "SUCCEEDED" ? `output ${short(actual.output)}` : `error ${short(actual.error)}, cause ${short(actual.cause)}`;
    return { pass: false, reason: `status ${actual.status} (expected ${exp.status}); ${detail}` };
  }
  if (exp.status === "SUCCEEDED") {
    const diff = firstDifference(exp.output, actual.output, "$", rules);
    return diff ? { pass: false, reason: `output differs at ${diff}` } : { pass: true };
  }
  const e = exp as { error?: string; cause?: string; errorJson?: unknown; causeJson?: unknown };
  const errDiff = compareText("error", e.error, e.errorJson, actual.error, rules);
  if (errDiff) return { pass: false, reason: errDiff };
  const causeDiff = compareText("cause", e.cause, e.causeJson, actual.cause, rules);
  if (causeDiff) return { pass: false, reason: causeDiff };
  return { pass: true };
}

function compareText(field: string, expected: string | undefined, expectedJson: unknown, actual: string | undefined, rules: Rules | undefined): string | undefined {
  if (expectedJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = actual === undefined ? undefined : JSON.parse(actual);
    } catch {
      return `${field} is not JSON: ${short(actual)} (expected JSON ${short(expectedJson)})`;
    }
    const diff = firstDifference(expectedJson, parsed, field, rules);
    return diff ? `${field} JSON differs at ${diff}` : undefined;
  }
  if (expected === undefined) {
    return actual === undefined ? undefined : `${field} ${short(actual)} (expected none)`;
  }
  if (actual === undefined) return `${field} missing (expected ${short(expected)})`;
  return stringMatches(expected, actual, rules) ? undefined : `${field} ${short(actual)} (expected ${short(expected)})`;
}

/** The path and values of the first difference, or undefined when they match. */
export function firstDifference(expected: unknown, actual: unknown, at: string, rules: Rules | undefined): string | undefined {
  if (typeof expected === "string") {
    if (rules && rules.wholeValues.has(expected) && actual !== undefined) return undefined;
    if (typeof actual === "string" && stringMatches(expected, actual, rules)) return undefined;
    return `${at}: ${short(actual)} (expected ${short(expected)})`;
  }
  if (expected === null || typeof expected !== "object") {
    return expected === actual ? undefined : `${at}: ${short(actual)} (expected ${short(expected)})`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: ${short(actual)} (expected an array)`;
    if (actual.length !== expected.length) return `${at}: array of ${actual.length} items (expected ${expected.length}): ${short(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], `${at}[${i}]`, rules);
      if (d) return d;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${at}: ${short(actual)} (expected an object)`;
  const eo = expected as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  for (const k of Object.keys(eo)) {
    if (!Object.prototype.hasOwnProperty.call(ao, k)) return `${at}.${k}: missing (expected ${short(eo[k])})`;
    const d = firstDifference(eo[k], ao[k], `${at}.${k}`, rules);
    if (d) return d;
  }
  for (const k of Object.keys(ao)) {
    if (!Object.prototype.hasOwnProperty.call(eo, k)) return `${at}.${k}: unexpected key with ${short(ao[k])}`;
  }
  return undefined;
}

function stringMatches(expected: string, actual: string, rules: Rules | undefined): boolean {
  if (expected === actual) return true;
  if (!rules) return false;
  if (rules.wholeValues.has(expected)) return true;
  let normalised = actual.replace(ISO_TIMESTAMP, "date");
  for (const r of rules.replacements) normalised = normalised.replace(r.regex, r.placeholder);
  if (normalised === expected) return true;
  return templateRegex(expected, rules.tokens).test(normalised);
}

const templateCache = new Map<string, RegExp>();

function templateRegex(expected: string, tokens: string[]): RegExp {
  const key = `${tokens.join("\u0000")}\u0001${expected}`;
  let re = templateCache.get(key);
  if (re) return re;
  // Longest tokens first so `<uuid:10>` is not read as `<uuid:1>` + "0>".
  const sorted = [...tokens].sort((a, b) => b.length - a.length);
  let src = "";
  let i = 0;
  outer: while (i < expected.length) {
    for (const t of sorted) {
      if (expected.startsWith(t, i)) {
        src += "[\\s\\S]*?";
        i += t.length;
        continue outer;
      }
    }
    if (expected.startsWith("111111111111", i)) {
      src += "\\d{12}";
      i += 12;
      continue;
    }
    src += expected[i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    i++;
  }
  re = new RegExp(`^${src}$`);
  templateCache.set(key, re);
  return re;
}

function short(v: unknown): string {
  const text = v === undefined ? "undefined" : JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
