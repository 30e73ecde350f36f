import type { Rule } from './context';
import { show } from './context';

const WAIT_FIELDS = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'];

/** SFN140: a Wait needs exactly one way to say how long. */
export const waitFieldsRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Wait') continue;
    const present = WAIT_FIELDS.filter((f) => f in ref.state);
    if (present.length === 1) continue;
    const allowed = ref.queryLanguage === 'JSONata' ? 'Seconds or Timestamp' : 'Seconds, Timestamp, SecondsPath or TimestampPath';
    ctx.report(
      'SFN140',
      ref.path,
      `Wait state "${ref.name}" must have exactly one of ${allowed}; ${present.length === 0 ? 'it has none' : `it has ${present.join(', ')}`}`,
      present.length === 0 ? `add e.g. "Seconds": 30` : `keep one of ${present.join(', ')} and delete the others`,
    );
  }
};

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * AWS wants RFC 3339 with an uppercase T and a zone (Z or an offset), and a real
 * calendar date: "2016-12-05T21:29:29" (no zone) and month 13 are both rejected.
 */
export function isAwsTimestamp(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth || hour > 23 || minute > 59 || second > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

/** SFN141: a literal Timestamp AWS would reject; a JSONata expression is only evaluated in a JSONata state. */
export const waitTimestampRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Wait' || !('Timestamp' in ref.state)) continue;
    const value = ref.state.Timestamp;
    if (typeof value === 'string') {
      const expression = value.trim().startsWith('{%') && value.trim().endsWith('%}');
      if (expression && ref.queryLanguage === 'JSONata') continue;
      if (!expression && isAwsTimestamp(value)) continue;
      if (expression) {
        ctx.report('SFN141', `${ref.path}.Timestamp`, `Wait state "${ref.name}" has the JSONata expression ${show(value)} as Timestamp, but the state is JSONPath, so it is taken literally and is not a timestamp`, `set "QueryLanguage": "JSONata" on the state (or the machine), or use a literal timestamp or TimestampPath`);
        continue;
      }
    }
    ctx.report(
      'SFN141',
      `${ref.path}.Timestamp`,
      `Wait state "${ref.name}" Timestamp ${show(value)} is not an RFC 3339 date-time with a zone and a valid calendar date`,
      `write it like "2026-03-14T01:59:00Z" (uppercase T, Z or +hh:mm), or use TimestampPath for a value from the input`,
    );
  }
};
