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

/** SFN132-SFN134: numeric Retry limits AWS rejects at create time. */
export const retryNumbersRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    const list = ref.state.Retry;
    if (!Array.isArray(list)) continue;
    list.forEach((retrier, i) => {
      if (!isObject(retrier)) return;
      const base = `${ref.path}.Retry[${i}]`;
      const { IntervalSeconds: interval, BackoffRate: backoff, MaxAttempts: attempts } = retrier;
      if (typeof interval === 'number' && interval < 1) {
        ctx.report('SFN132', `${base}.IntervalSeconds`, `Retry IntervalSeconds must be an integer of at least 1; received ${interval}`, 'set IntervalSeconds to 1 or more (the default is 1)');
      }
      if (typeof backoff === 'number' && backoff < 1) {
        ctx.report('SFN133', `${base}.BackoffRate`, `Retry BackoffRate must be at least 1.0; received ${backoff}`, 'set BackoffRate to 1.0 (constant interval) or more (the default is 2.0)');
      }
      if (typeof attempts === 'number' && attempts < 0) {
        ctx.report('SFN134', `${base}.MaxAttempts`, `Retry MaxAttempts must be 0 or more; received ${attempts}`, 'set MaxAttempts to 0 (never retry) or a positive count (the default is 3)');
      }
    });
  }
};
