import { isObject } from '../graph';
import type { Rule } from './context';

/** SFN130/SFN131: AWS rejects States.ALL next to other names or before another retrier/catcher. */
export const statesAllRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    for (const [field, code] of [['Retry', 'SFN130'], ['Catch', 'SFN131']] as const) {
      const list = ref.state[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        if (!isObject(entry) || !Array.isArray(entry.ErrorEquals) || !entry.ErrorEquals.includes('States.ALL')) return;
        const path = `${ref.path}.${field}[${i}].ErrorEquals`;
        if (entry.ErrorEquals.length > 1) {
          const others = entry.ErrorEquals.filter((e) => e !== 'States.ALL');
          ctx.report(code, path, `States.ALL must appear alone in ErrorEquals; received ${JSON.stringify(entry.ErrorEquals)}`, `move ${JSON.stringify(others)} into an earlier ${field === 'Retry' ? 'retrier' : 'catcher'} and keep ["States.ALL"] on its own`);
        }
        if (i !== list.length - 1) {
          ctx.report(code, path, `the ${field} entry with States.ALL is number ${i + 1} of ${list.length}; it must be the last, since it matches everything after it`, `move this ${field === 'Retry' ? 'retrier' : 'catcher'} to the end of ${field}`);
        }
      });
    }
  }
};
