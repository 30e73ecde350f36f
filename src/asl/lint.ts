/**
 * The ASL lint: asl-validator's schema checks plus our own rules for what it
 * misses or reports badly (scoped reachability, the seed's defects, Express limits,
 * things AWS rejects at create time). Synchronous and free of I/O so the renderer
 * can call it on every render.
 */
import { parseJsonWithPosition } from '../json';
import { sortFindings, type Finding } from './findings';
import { isObject, walkDefinition, type StateRef } from './graph';
import { RULES } from './rules/catalogue';
import { createContext, type Rule, type WorkflowType } from './rules/context';
import { expressRule } from './rules/express';
import { jsonataSyntaxRule } from './rules/jsonata';
import { iteratorRule, mapNumbersRule } from './rules/map';
import { dollarValueRule, passResultDollarRule } from './rules/payload';
import { queryLanguageFieldsRule } from './rules/query-language';
import { retryNumbersRule, statesAllRule } from './rules/retry-catch';
import { choiceRule, queryLanguageDowngradeRule, reachabilityRule, startAtRule, terminalStateRule, transitionTargetRule } from './rules/structure';
import { credentialsRule, dynamicTargetRule, heartbeatRule, lambdaFunctionNameRule, lambdaRetryRule, taskTimeoutRule } from './rules/tasks';
import { runAslValidator } from './rules/validator';
import { waitFieldsRule, waitTimestampRule } from './rules/wait';

export type { Finding, Severity } from './findings';
export { formatFinding, hasErrors, sortFindings } from './findings';
export { RULES } from './rules/catalogue';

export interface LintOptions {
  /** Workflow file the definition came from; printed in every finding. */
  file: string;
  /** Catalogue name, when the definition is a catalogued workflow. */
  workflow?: string;
  /** @default 'STANDARD' (what CreateStateMachine assumes when no type is given) */
  type?: WorkflowType;
}

export const LINT_RULES: readonly Rule[] = [
  startAtRule,
  reachabilityRule,
  transitionTargetRule,
  terminalStateRule,
  choiceRule,
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
  waitFieldsRule,
  waitTimestampRule,
  iteratorRule,
  mapNumbersRule,
  expressRule,
  queryLanguageFieldsRule,
  jsonataSyntaxRule,
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

export function lintDefinition(definition: unknown, options: LintOptions): Finding[] {
  const { file } = options;
  if (!isObject(definition)) {
    const received = Array.isArray(definition) ? 'an array' : definition === null ? 'null' : typeof definition;
    return [{ code: 'SFN000', severity: RULES.SFN000.severity, file, path: '', message: `the definition must be a JSON object with StartAt and States; received ${received} (fix: render or write a JSON object such as {"StartAt": "First", "States": {...}})` }];
  }
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
  const freeFormStates = new Set(validatorFindings.filter((v) => v.code === 'SFN001' && FREE_FORM.test(v.path)).map((v) => owningState(v.path, graph.states)));
  for (const v of validatorFindings) {
    if (v.code === 'SFN001') {
      if (FREE_FORM.test(v.path)) continue;
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
  return sortFindings([...ours, ...fromValidator]);
}

/**
 * Parses ASL text (a .json file, or a definition stored as a string) and lints it.
 * A syntax error is one SFN000 finding naming the line, the column and the offending line.
 */
export function lintText(text: string, options: LintOptions): Finding[] {
  const parsed = parseJsonWithPosition(text);
  if (parsed.ok) return lintDefinition(parsed.value, options);
  const lineText = text.split('\n')[parsed.line - 1] ?? '';
  const shown = lineText.length > 120 ? `${lineText.slice(0, 117)}...` : lineText;
  return [{
    code: 'SFN000',
    severity: RULES.SFN000.severity,
    file: options.file,
    path: '',
    message: `not valid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.detail}; line ${parsed.line} reads ${JSON.stringify(shown.trim())} (fix: correct the JSON syntax there: a trailing comma, a missing comma or quote, or an unclosed bracket is the usual cause)`,
  }];
}
