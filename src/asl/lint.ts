/**
 * The ASL lint: asl-validator's schema checks plus our own rules for what it
 * misses or reports badly (scoped reachability, the seed's defects, Express limits,
 * things AWS rejects at create time). Synchronous so the renderer can call it on
 * every render; its only I/O is reading the project's sfn-lint.json once per process
 * (pass `rules` to avoid even that).
 */
import { sortFindings, type Finding } from './findings';
import { isObject, joinPath, walkDefinition, type JsonObject, type StateRef } from './graph';
import { effectiveSeverity, loadLintConfig, type RuleSettings } from './lint-config';
import { RULES, type RuleCode } from './rules/catalogue';
import { integrationParamsRule, integrationPatternRule, taskTokenRule } from './rules/integration-params';
import { MAX_DEPTH, scanJsonText, valueDepth } from './rules/json-text';
import { mapNumbersRule, NUMERIC_FIELDS, retryNumbersRule, timeoutNumbersRule, waitSecondsRule } from './rules/limits';
import { createContext, type Rule, type WorkflowType } from './rules/context';
import { expressRule } from './rules/express';
import { unknownFieldRule } from './rules/fields';
import { jsonataSyntaxRule } from './rules/jsonata';
import { iteratorRule } from './rules/map';
import { dollarValueRule, passResultDollarRule } from './rules/payload';
import { queryLanguageFieldsRule } from './rules/query-language';
import { statesAllRule } from './rules/retry-catch';
import { choiceRule, duplicateStateNamesRule, queryLanguageDowngradeRule, reachabilityRule, startAtRule, terminalStateRule, transitionTargetRule } from './rules/structure';
import { credentialsRule, dynamicTargetRule, heartbeatRule, lambdaFunctionNameRule, lambdaRetryRule, taskTimeoutRule } from './rules/tasks';
import { substitutionPlaceholderRule } from './rules/substitution';
import { runAslValidator } from './rules/validator';
import { waitFieldsRule, waitTimestampRule } from './rules/wait';

export type { Finding, Severity } from './findings';
export { formatFinding, hasErrors, sortFindings } from './findings';
export { RULES } from './rules/catalogue';
export { LINT_CONFIG_FILE, loadLintConfig, parseLintConfig, type RuleSetting, type RuleSettings } from './lint-config';

/** AWS's limit on a CreateStateMachine/UpdateStateMachine request: the definition must fit in 1 MB. */
export const MAX_DEFINITION_BYTES = 1_048_576;

export interface LintOptions {
  /** Workflow file the definition came from; printed in every finding. */
  file: string;
  /** Catalogue name, when the definition is a catalogued workflow. */
  workflow?: string;
  /** @default 'STANDARD' (what CreateStateMachine assumes when no type is given) */
  type?: WorkflowType;
  /**
   * Rule severities over the catalogue's defaults.
   * @default the project's sfn-lint.json (pass `{}` for the catalogue's defaults alone)
   */
  rules?: RuleSettings;
  /**
   * The JSON text the definition was parsed from (e.g. a rendered template), so that
   * duplicate keys, which parsing merges, can be reported (SFN009). lintText passes it.
   */
  source?: string;
}

export const LINT_RULES: readonly Rule[] = [
  startAtRule,
  duplicateStateNamesRule,
  reachabilityRule,
  transitionTargetRule,
  terminalStateRule,
  choiceRule,
  unknownFieldRule,
  queryLanguageDowngradeRule,
  passResultDollarRule,
  dollarValueRule,
  lambdaFunctionNameRule,
  lambdaRetryRule,
  taskTimeoutRule,
  credentialsRule,
  heartbeatRule,
  dynamicTargetRule,
  statesAllRule,
  retryNumbersRule,
  timeoutNumbersRule,
  waitFieldsRule,
  waitTimestampRule,
  waitSecondsRule,
  iteratorRule,
  mapNumbersRule,
  expressRule,
  queryLanguageFieldsRule,
  substitutionPlaceholderRule,
  jsonataSyntaxRule,
  integrationPatternRule,
  integrationParamsRule,
  taskTokenRule,
];

/** The innermost state whose path prefixes `path` ('' when the path is outside every state). */
function owningState(path: string, states: readonly StateRef[]): string {
  let best = '';
  for (const s of states) {
    if ((path === s.path || path.startsWith(`${s.path}.`)) && s.path.length > best.length) best = s.path;
  }
  return best;
}

/**
 * Fields AWS accepts any JSON value in (JSONata Output/Arguments/Assign/Items, a constant
 * Condition, JSONPath Assign constants), where asl-validator 4's schema is narrower than AWS:
 * it rejected 18 definitions AWS ran in the conformance cases. Their expressions are checked by SFN173.
 */
const FREE_FORM = /\.(Output|Arguments|Assign|Items|Condition)(\.|\[|$)/;
/** Numeric fields rules/limits.ts checks against AWS's bounds; asl-validator's schema is wrong on some (see there). */
const NUMERIC = new RegExp(`\\.(${NUMERIC_FIELDS.join('|')})$`);
const OWN_FIELD = (path: string): boolean => FREE_FORM.test(path) || NUMERIC.test(path);

/** Codes whose checks need the whole machine; a fragment's top-level states are not judged by them. */
const WHOLE_MACHINE_CODES = new Set(['SFN100', 'SFN101', 'SFN102', 'SFN103', 'SFN003']);
const TRANSITION_FIELD = /^(Next|Default|Choices\[\d+\]\.Next|Catch\[\d+\]\.Next)$/;

/**
 * A pasted fragment: no StartAt, and either a States object or a bare map of states.
 * Returns the states object and whether the states were bare (their paths then drop `States.`).
 */
function fragmentStates(definition: JsonObject): { states: JsonObject; bare: boolean } | undefined {
  if ('StartAt' in definition) return undefined;
  if (isObject(definition.States) && Object.keys(definition.States).length > 0) return { states: definition.States, bare: false };
  const values = Object.values(definition);
  if (values.length > 0 && !('States' in definition) && values.every((v) => isObject(v) && typeof v.Type === 'string')) return { states: definition, bare: true };
  return undefined;
}

function finding(code: RuleCode, file: string, path: string, message: string): Finding {
  return { code, severity: RULES[code].severity, file, path, message };
}

/** Applies the project's (or the caller's) rule settings: a new severity, or dropped when off. */
function applySettings(findings: Finding[], settings: RuleSettings): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const severity = effectiveSeverity(f.code as RuleCode, settings);
    if (severity !== undefined) out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out;
}

/**
 * Lints a parsed definition. Never throws on any JSON value: too deep, too large and
 * not-an-object inputs are findings. A fragment without StartAt is linted state by state.
 */
export function lintDefinition(definition: unknown, options: LintOptions): Finding[] {
  const settings = options.rules ?? loadLintConfig();
  return sortFindings(applySettings(lintUnconfigured(definition, options), settings));
}

function lintUnconfigured(definition: unknown, options: LintOptions): Finding[] {
  const { file } = options;
  if (!isObject(definition)) {
    const received = Array.isArray(definition) ? 'an array' : definition === null ? 'null' : typeof definition;
    return [finding('SFN000', file, '', `the definition must be a JSON object with StartAt and States; received ${received} (fix: render or write a JSON object such as {"StartAt": "First", "States": {...}})`)];
  }
  const found: Finding[] = [];
  if (options.source !== undefined) {
    const scan = scanJsonText(options.source);
    if (scan.depth > MAX_DEPTH) return [tooDeep(file)];
    for (const d of scan.duplicates) {
      const where = d.objectPath === '' ? 'the definition root' : d.objectPath;
      const isState = /(^|\.)States$/.test(d.objectPath);
      found.push(finding('SFN009', file, joinPath(d.objectPath, d.key), `${isState ? `state "${d.key}" is declared` : `key "${d.key}" appears`} twice in ${where}: at line ${d.first.line} column ${d.first.column} and at line ${d.second.line} column ${d.second.column}; JSON parsers keep only the last one, so the first is silently lost (fix: ${isState ? 'rename one of the two states' : 'keep one of the two, merging what each meant'})`));
    }
  } else {
    const depth = valueDepth(definition);
    if (depth > MAX_DEPTH) return [tooDeep(file)];
  }
  const bytes = Buffer.byteLength(JSON.stringify(definition), 'utf8');
  if (bytes > MAX_DEFINITION_BYTES) {
    return [...found, finding('SFN007', file, '', `the definition is ${bytes} bytes as compact JSON, above the ${MAX_DEFINITION_BYTES}-byte (1 MB) limit of a CreateStateMachine request; AWS rejects it (fix: move large constants out of the definition, e.g. into S3 or the execution input, or split the workflow into child state machines)`)];
  }
  const fragment = fragmentStates(definition);
  if (fragment === undefined) return [...found, ...lintMachine(definition, options)];
  const names = Object.keys(fragment.states);
  const wrapped: JsonObject = { StartAt: names[0], States: fragment.states };
  if (!fragment.bare && 'QueryLanguage' in definition) wrapped.QueryLanguage = definition.QueryLanguage;
  const top = new Set(names.map((n) => joinPath('States', n)));
  const machineLevel = (f: Finding): boolean => {
    if (f.path === 'States' || f.path === 'StartAt' || top.has(f.path)) return true;
    const dot = [...top].find((p) => f.path.startsWith(`${p}.`));
    return dot !== undefined && TRANSITION_FIELD.test(f.path.slice(dot.length + 1));
  };
  const inner = lintMachine(wrapped, options).filter((f) => !(WHOLE_MACHINE_CODES.has(f.code) && machineLevel(f)));
  const shown = fragment.bare ? inner.map((f) => ({ ...f, path: f.path.startsWith('States.') ? f.path.slice(7) : f.path })) : inner;
  return [
    ...found,
    finding('SFN100', file, fragment.bare ? '' : 'StartAt', `the definition has no StartAt, so AWS rejects it as a state machine; linted as a fragment of ${names.length} state(s) (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}) state by state, without checking reachability or transitions to states outside it (fix: ${fragment.bare ? `wrap the states as {"StartAt": "${names[0]}", "States": {...}}` : `add "StartAt": "${names[0]}" (or the first state)`} to lint a whole state machine)`),
    ...shown,
  ];
}

function tooDeep(file: string): Finding {
  return finding('SFN008', file, '', `the definition is nested more than ${MAX_DEPTH} levels deep; the lint checks at most ${MAX_DEPTH} levels and stopped there (fix: flatten the data: a state machine definition needs a handful of levels, deep data belongs in the execution input)`);
}

function lintMachine(definition: JsonObject, options: LintOptions): Finding[] {
  const { file } = options;
  const graph = walkDefinition(definition);
  const ours: Finding[] = [];
  const ctx = createContext(definition, graph, options.type ?? 'STANDARD', file, ours);
  for (const rule of LINT_RULES) rule(ctx);

  // Where our rule already explains a state, asl-validator's generic schema error for it is noise.
  const explained = new Set(ours.filter((f) => f.severity === 'error' && f.code !== 'SFN101').map((f) => owningState(f.path, graph.states)));
  const fromValidator: Finding[] = [];
  const validatorFindings = runAslValidator(definition, graph);
  // A state whose only schema complaint is a free-form field also gets a spurious "Type must be equal
  // to one of the allowed values" from the oneOf over state types; drop it with the field error.
  const freeFormStates = new Set(validatorFindings.filter((v) => v.code === 'SFN001' && OWN_FIELD(v.path)).map((v) => owningState(v.path, graph.states)));
  for (const v of validatorFindings) {
    if (v.code === 'SFN001') {
      if (OWN_FIELD(v.path)) continue;
      if (v.path.endsWith('.Type') && freeFormStates.has(owningState(v.path, graph.states))) continue;
      if (explained.has(owningState(v.path, graph.states))) continue;
      // asl-validator writes QueryLanguage into each state before validating; an error there is its artefact unless the author set it.
      if (v.path.endsWith('.QueryLanguage')) {
        const owner = graph.states.find((s) => `${s.path}.QueryLanguage` === v.path);
        if (owner && !('QueryLanguage' in owner.state)) continue;
      }
    }
    fromValidator.push({ code: v.code, severity: RULES[v.code].severity, file, path: v.path, message: `${v.what} (fix: ${v.fix})` });
  }
  return [...ours, ...fromValidator];
}

/**
 * Parses ASL text (a .json file, or a definition stored as a string) and lints it.
 * A syntax error is one SFN000 finding naming the line, the column and the offending line.
 */
export function lintText(text: string, options: LintOptions): Finding[] {
  const settings = options.rules ?? loadLintConfig();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return applySettings([syntaxError(text, (error as Error).message, options.file)], settings);
  }
  return lintDefinition(value, { ...options, rules: settings, source: text });
}

function syntaxError(text: string, detail: string, file: string): Finding {
  const match = /at position (\d+)/.exec(detail);
  const position = match ? Number(match[1]) : text.length;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const lineText = text.split('\n')[line - 1] ?? '';
  const shown = lineText.length > 120 ? `${lineText.slice(0, 117)}...` : lineText;
  const reason = detail.replace(/ in JSON at position \d+.*$/s, '');
  return finding('SFN000', file, '', `not valid JSON at line ${line}, column ${column}: ${reason}; line ${line} reads ${JSON.stringify(shown.trim())} (fix: correct the JSON syntax there: a trailing comma, a missing comma or quote, or an unclosed bracket is the usual cause)`);
}
