/**
 * The team's own stage variables (workflows/stage-variables.ts) as module
 * variables: `var.<snake_name>` of type string, the declared default, and
 * `validation` blocks with the project's own rule and message
 * (src/config/stage.ts, stageVariableProblem):
 * - a list of values becomes `contains([...], var.x)`;
 * - a pattern becomes `regex(...)` in RE2 syntax (Terraform's), when the
 *   JavaScript pattern has an RE2 equivalent (rule2Re2); one that has none
 *   (lookaround, back-references, the sticky or v flags, ...) is not checked by
 *   Terraform: the variable says so in its description and `npm run module`
 *   prints a warning naming the construct;
 * - whatever the rule, no quote, backslash or control character.
 *
 * Where the value goes in the stack is found by synthesizing with two valid
 * values (teamSentinelValues) and aligning the two results (align.ts).
 */
import { STAGE_VARIABLE_FORBIDDEN, STAGE_VARIABLE_TEXT_RULE, stageVariableProblem, stageVariableRuleText } from "../config/stage";
import type { StageVariable } from "../../workflows/stage-variables";
import { hclMessage, hclString } from "./hcl-text";
import { ModuleError } from "./transform";

export interface TeamInput {
  readonly decl: StageVariable;
  /** The module variable: the name in snake case (`PAYMENT_MODE` -> `payment_mode`). */
  readonly variable: string;
  /** The value each sentinel stage gets: two values that pass the rule. */
  readonly sentinels: readonly [string, string];
}

export const teamVariableName = (name: string) => name.toLowerCase();

/** What a JavaScript pattern uses that RE2 (Terraform's regex) has no equivalent for, or undefined when it translates. */
export function re2Obstacle(rule: RegExp): string | undefined {
  const flags = rule.flags.replace(/[gimsud]/g, "");
  if (flags) return `the ${flags} flag`;
  const src = rule.source;
  const checks: Array<[RegExp, string]> = [
    [/\(\?<?[=!]/, "a lookaround ((?=, (?!, (?<=, (?<!)"],
    [/\\[1-9]|\\k</, "a back-reference"],
    [/\\c[A-Za-z]/, "a control escape (\\cX)"],
    [/\[\^?\]/, "an empty class ([] or [^])"],
    [/\\[aeghijlmoqyzACEFGHIJKLMNOQRTUVXYZ]/, "an escape RE2 reads differently or lacks"],
  ];
  for (const [pattern, what] of checks) if (pattern.test(src)) return what;
  return undefined;
}

/** The pattern in RE2 syntax: flags as `(?ims)`, `\uXXXX` as `\x{XXXX}`, named groups unnamed (the condition wraps the whole in one group). */
export function rule2Re2(rule: RegExp): string | undefined {
  if (re2Obstacle(rule)) return undefined;
  const flags = rule.flags.replace(/[gud]/g, "");
  const src = rule.source
    .replace(/\\u\{([0-9A-Fa-f]+)\}/g, "\\x{$1}")
    .replace(/\\u([0-9A-Fa-f]{4})/g, "\\x{$1}")
    .replace(/\\0(?![0-9])/g, "\\x00")
    .replace(/\(\?<([A-Za-z_$][\w$]*)>/g, "(?:");
  return `${flags ? `(?${flags})` : ""}${src}`;
}

/** The variable's validations: [condition, error_message] in HCL, the rule first, then the characters, as the project checks them. */
export function teamValidations(t: Pick<TeamInput, "decl" | "variable">): Array<readonly [string, string]> {
  const v = `var.${t.variable}`;
  const received = "jsonencode(" + v + ")";
  const forbidden = `!can(regex(${hclString('["\\\\\\x00-\\x1f]')}, ${v}))`;
  let rule: string | undefined;
  if (Array.isArray(t.decl.rule)) rule = `contains([${t.decl.rule.map(hclString).join(", ")}], ${v})`;
  else {
    const re2 = rule2Re2(t.decl.rule as RegExp);
    // JavaScript's check: the first match is the whole value (not the same as anchoring for every pattern).
    if (re2 !== undefined) rule = `try(regex(${hclString(`(${re2})`)}, ${v})[0] == ${v}, false)`;
  }
  const out: Array<readonly [string, string]> = [];
  if (rule) out.push([rule, hclMessage(`${t.decl.name} ${stageVariableRuleText(t.decl)}. Received: @@0@@`, [received])]);
  // A list of values none of which holds such a character needs no second check.
  const safeList = Array.isArray(t.decl.rule) && t.decl.rule.every((x) => !STAGE_VARIABLE_FORBIDDEN.test(x));
  if (!safeList) out.push([rule ? `!(${rule}) || ${forbidden}` : forbidden, hclMessage(`${t.decl.name} ${STAGE_VARIABLE_TEXT_RULE}. Received: @@0@@`, [received])]);
  return out;
}

/** Candidates for a second valid value of a pattern rule, most distinct from the first first. */
function candidates(first: string): string[] {
  const words = ["qzx", "zq7", "x9", "q", "z", "7", "9", "11", "a1", "zz", "x-9", "x_9", "X9", "QZX"];
  const out = [
    ...words,
    ...words.map((w) => `${first}${w}`),
    ...words.map((w) => `${w}${first}`),
    ...words.flatMap((w) => (first.length > w.length ? [`${first.slice(0, -w.length)}${w}`, `${w}${first.slice(w.length)}`] : [])),
    first.split("").reverse().join(""),
    first.toUpperCase(),
    first.toLowerCase(),
    `${first}${first}`,
  ];
  const unrelated = out.filter((c) => c && !c.includes(first) && !first.includes(c));
  return [...unrelated, ...out.filter((c) => !unrelated.includes(c))];
}

/**
 * The two values the sentinel stages get: the default (or the first valid
 * value) and another valid one, neither holding the other where possible; `$`
 * and `%` are avoided (Terraform templates escape them).
 */
export function teamSentinelValues(decl: StageVariable): readonly [string, string] {
  const valid = (value: string) => value !== "" && !/[$%]/.test(value) && stageVariableProblem(decl, value) === undefined;
  const pool = Array.isArray(decl.rule) ? [decl.default, ...decl.rule] : [decl.default, ...candidates(decl.default)];
  const first = pool.find(valid);
  if (first === undefined) throw new ModuleError(`module: workflows/stage-variables.ts: stage variable ${decl.name} has no non-empty valid default without "$" or "%" to build the module with. Received default: ${JSON.stringify(decl.default)}`);
  const others = (Array.isArray(decl.rule) ? decl.rule : candidates(first)).filter((x) => x !== first && valid(x));
  const second = others.find((x) => !x.includes(first) && !first.includes(x)) ?? others[0];
  if (second === undefined) {
    if (Array.isArray(decl.rule)) return [first, first];
    throw new ModuleError(
      `module: workflows/stage-variables.ts: stage variable ${decl.name} has one valid value the module build could find (${JSON.stringify(first)}); it needs a second one that passes ${String(decl.rule)} to tell where the value goes in the stack. Loosen the rule, or make the value a list of allowed values.`,
    );
  }
  return [first, second];
}

export function teamInputs(declared: readonly StageVariable[]): TeamInput[] {
  return declared.map((decl) => ({ decl, variable: teamVariableName(decl.name), sentinels: teamSentinelValues(decl) }));
}

/** Declared variables whose rule Terraform cannot check, each with why (npm run module prints them). */
export function uncheckedRules(declared: readonly StageVariable[]): string[] {
  return declared.flatMap((d) => {
    if (Array.isArray(d.rule)) return [];
    const why = re2Obstacle(d.rule as RegExp);
    return why ? [`${d.name}: ${String(d.rule)} uses ${why}, which Terraform's regex (RE2) lacks; the module checks only that the value holds no quote, backslash or control character`] : [];
  });
}
