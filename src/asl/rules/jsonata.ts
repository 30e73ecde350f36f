import jsonata from 'jsonata';
import { isObject, joinPath } from '../graph';
import { show, type Rule } from './context';

/** Fields that hold nested scopes; their states are checked on their own. */
const NESTED = new Set(['Branches', 'ItemProcessor', 'Iterator']);

function expressionOf(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed.startsWith('{%') && trimmed.endsWith('%}') ? trimmed.slice(2, -2) : undefined;
}

/**
 * SFN173: a `{% ... %}` string in a JSONata state must parse as JSONata (2.0.6, the
 * version Step Functions implements). Parsing is cheap and catches typos before AWS does.
 */
export const jsonataSyntaxRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.queryLanguage !== 'JSONata') continue;
    const visit = (value: unknown, path: string): void => {
      if (typeof value === 'string') {
        const expression = expressionOf(value);
        if (expression === undefined) return;
        try {
          jsonata(expression);
        } catch (error) {
          const detail = (error as { message?: string }).message ?? String(error);
          ctx.report('SFN173', path, `JSONata expression ${show(value)} does not parse: ${detail}`, 'fix the expression (try it at https://try.jsonata.org with version 2.0.6)');
        }
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, joinPath(path, i)));
      } else if (isObject(value)) {
        for (const [key, child] of Object.entries(value)) visit(child, joinPath(path, key));
      }
    };
    for (const [key, value] of Object.entries(ref.state)) if (!NESTED.has(key)) visit(value, joinPath(ref.path, key));
  }
};
