import type { Finding } from '../findings';
import type { DefinitionGraph, JsonObject } from '../graph';
import { RULES, type RuleCode } from './catalogue';

export type WorkflowType = 'STANDARD' | 'EXPRESS';

/** What every rule gets: the parsed definition, its graph, the workflow type and a reporter. */
export interface RuleContext {
  readonly definition: JsonObject;
  readonly graph: DefinitionGraph;
  readonly type: WorkflowType;
  /** `what` says what is wrong (with the received value), `fix` how to fix it. */
  report(code: RuleCode, path: string, what: string, fix: string): void;
}

export type Rule = (ctx: RuleContext) => void;

export function createContext(definition: JsonObject, graph: DefinitionGraph, type: WorkflowType, file: string, sink: Finding[]): RuleContext {
  return {
    definition,
    graph,
    type,
    report(code, path, what, fix) {
      sink.push({ code, severity: RULES[code].severity, file, path, message: `${what} (fix: ${fix})` });
    },
  };
}

/** JSON.stringify that stays short in a one-line message. */
export function show(value: unknown, max = 80): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
