/**
 * The numeric limits AWS enforces at create time, field by field, from the
 * Amazon States Language reference and the Step Functions developer guide
 * (error handling, Task, Wait and Map pages). asl-validator 4's schema is both
 * too loose here (MaxAttempts 2.5, IntervalSeconds 10^12 pass) and too strict
 * (a non-integer ToleratedFailurePercentage, which AWS accepts, fails), so these
 * fields are checked here and its schema errors on them are dropped (lint.ts).
 */
import { isObject, type StateRef } from '../graph';
import type { RuleCode } from './catalogue';
import { show, type Rule, type RuleContext } from './context';

/** The largest value AWS accepts in TimeoutSeconds, HeartbeatSeconds, IntervalSeconds, MaxAttempts and Wait Seconds. */
export const MAX_SECONDS = 99_999_999;
/** Retry MaxDelaySeconds: "greater than 0 and less than 31622402" (a year and a day). */
export const MAX_DELAY_SECONDS = 31_622_401;

/** Numeric fields whose value this file checks; lint.ts drops asl-validator's schema errors on them. */
export const NUMERIC_FIELDS = [
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'Seconds',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
] as const;

function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.trim().startsWith('{%') && value.trim().endsWith('%}');
}

interface Bounds {
  min: number;
  max?: number;
  integer: boolean;
}

function describe(b: Bounds): string {
  const kind = b.integer ? 'an integer' : 'a number';
  return b.max === undefined ? `${kind} of at least ${b.min}` : `${kind} from ${b.min} to ${b.max}`;
}

/**
 * Reports `value` unless it is within `bounds`. A JSONata `{% %}` expression in a JSONata
 * state is evaluated at run time and skipped (SFN173 checks its syntax).
 */
function checkNumber(ctx: RuleContext, ref: StateRef | undefined, code: RuleCode, path: string, field: string, value: unknown, bounds: Bounds, where: string, fix: string): void {
  if (value === undefined) return;
  if ((ref?.queryLanguage ?? (ctx.definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath')) === 'JSONata' && isExpression(value)) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && (bounds.max === undefined || value <= bounds.max) && (!bounds.integer || Number.isInteger(value));
  if (ok) return;
  const why = typeof value !== 'number' ? `a ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}` : bounds.integer && !Number.isInteger(value) ? 'not an integer' : 'out of range';
  ctx.report(code, path, `${where} ${field} must be ${describe(bounds)}; received ${show(value)} (${why})`, fix);
}

/** SFN126: Task TimeoutSeconds and HeartbeatSeconds, and the state machine's own TimeoutSeconds. */
export const timeoutNumbersRule: Rule = (ctx) => {
  const top = ctx.definition.TimeoutSeconds;
  checkNumber(ctx, undefined, 'SFN126', 'TimeoutSeconds', 'TimeoutSeconds', top, { min: 0, max: MAX_SECONDS, integer: true }, 'the state machine', `set a whole number of seconds from 0 to ${MAX_SECONDS}, or remove it (no limit besides the workflow type's)`);
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Task') continue;
    for (const field of ['TimeoutSeconds', 'HeartbeatSeconds'] as const) {
      checkNumber(ctx, ref, 'SFN126', `${ref.path}.${field}`, field, ref.state[field], { min: 1, max: MAX_SECONDS, integer: true }, `Task "${ref.name}"`, `set a whole number of seconds from 1 to ${MAX_SECONDS}${field === 'TimeoutSeconds' ? ', or use TimeoutSecondsPath for a value from the input' : ''}`);
    }
  }
};

/** SFN132-SFN136: every retrier's numbers, and an ErrorEquals that names no error. */
export const retryNumbersRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    for (const field of ['Retry', 'Catch'] as const) {
      const list = ref.state[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        if (!isObject(entry)) return;
        const base = `${ref.path}.${field}[${i}]`;
        const kind = field === 'Retry' ? 'retrier' : 'catcher';
        if (Array.isArray(entry.ErrorEquals) && entry.ErrorEquals.length === 0) {
          ctx.report('SFN136', `${base}.ErrorEquals`, `State "${ref.name}" ${field}[${i}] has an empty ErrorEquals; AWS rejects a ${kind} that names no error`, `name at least one error, e.g. "ErrorEquals": ["States.ALL"], or delete the ${kind}`);
        }
        if (field !== 'Retry') return;
        const where = `State "${ref.name}" Retry[${i}]`;
        checkNumber(ctx, ref, 'SFN132', `${base}.IntervalSeconds`, 'IntervalSeconds', entry.IntervalSeconds, { min: 1, max: MAX_SECONDS, integer: true }, where, `set IntervalSeconds to a whole number of seconds from 1 to ${MAX_SECONDS} (the default is 1)`);
        checkNumber(ctx, ref, 'SFN133', `${base}.BackoffRate`, 'BackoffRate', entry.BackoffRate, { min: 1, integer: false }, where, 'set BackoffRate to 1.0 (constant interval) or more (the default is 2.0)');
        checkNumber(ctx, ref, 'SFN134', `${base}.MaxAttempts`, 'MaxAttempts', entry.MaxAttempts, { min: 0, max: MAX_SECONDS, integer: true }, where, `set MaxAttempts to 0 (never retry) or a whole count up to ${MAX_SECONDS} (the default is 3)`);
        if ('JitterStrategy' in entry && entry.JitterStrategy !== 'FULL' && entry.JitterStrategy !== 'NONE') {
          ctx.report('SFN137', `${base}.JitterStrategy`, `${where} JitterStrategy must be "FULL" or "NONE"; received ${show(entry.JitterStrategy)}`, 'set "JitterStrategy": "FULL" (randomised intervals) or "NONE" (the default), or remove it');
        }
        checkNumber(ctx, ref, 'SFN135', `${base}.MaxDelaySeconds`, 'MaxDelaySeconds', entry.MaxDelaySeconds, { min: 1, max: MAX_DELAY_SECONDS, integer: true }, where, `set MaxDelaySeconds to a whole number of seconds from 1 to ${MAX_DELAY_SECONDS}, or remove it`);
      });
    }
  }
};

/** SFN142: Wait Seconds. */
export const waitSecondsRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Wait') continue;
    checkNumber(ctx, ref, 'SFN142', `${ref.path}.Seconds`, 'Seconds', ref.state.Seconds, { min: 0, max: MAX_SECONDS, integer: true }, `Wait state "${ref.name}"`, `wait a whole number of seconds from 0 to ${MAX_SECONDS}, or use SecondsPath/TimestampPath for a value from the input`);
  }
};

/** SFN151-SFN154: Map numbers and its processor mode. */
export const mapNumbersRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Map') continue;
    const where = `Map state "${ref.name}"`;
    checkNumber(ctx, ref, 'SFN151', `${ref.path}.MaxConcurrency`, 'MaxConcurrency', ref.state.MaxConcurrency, { min: 0, integer: true }, where, 'set MaxConcurrency to 0 (no limit) or a whole positive limit');
    // AWS accepts a fraction here (a conformance case AWS ran uses one): a number, not an integer.
    checkNumber(ctx, ref, 'SFN152', `${ref.path}.ToleratedFailurePercentage`, 'ToleratedFailurePercentage', ref.state.ToleratedFailurePercentage, { min: 0, max: 100, integer: false }, where, 'use a percentage from 0 to 100');
    checkNumber(ctx, ref, 'SFN153', `${ref.path}.ToleratedFailureCount`, 'ToleratedFailureCount', ref.state.ToleratedFailureCount, { min: 0, integer: true }, where, 'use a whole number of failed items, 0 or more');
    const processor = ref.state.ItemProcessor;
    if (!isObject(processor) || !('ProcessorConfig' in processor)) continue;
    const config = processor.ProcessorConfig;
    const path = `${ref.path}.ItemProcessor.ProcessorConfig`;
    if (!isObject(config)) {
      ctx.report('SFN154', path, `${where} ItemProcessor.ProcessorConfig must be an object; received ${show(config)}`, 'write "ProcessorConfig": {"Mode": "INLINE"} or {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}');
      continue;
    }
    const mode = config.Mode;
    if (mode !== undefined && mode !== 'INLINE' && mode !== 'DISTRIBUTED') {
      ctx.report('SFN154', `${path}.Mode`, `${where} ProcessorConfig.Mode must be "INLINE" or "DISTRIBUTED"; received ${show(mode)}`, 'set "Mode": "INLINE" (the default) or "DISTRIBUTED" (child executions; then also "ExecutionType")');
    } else if (mode === 'DISTRIBUTED' && !('ExecutionType' in config)) {
      ctx.report('SFN154', `${path}.ExecutionType`, `${where} has "Mode": "DISTRIBUTED" without "ExecutionType"; a distributed Map must say whether its child executions are STANDARD or EXPRESS`, 'add "ExecutionType": "STANDARD" (up to a year, exactly once) or "EXPRESS" (up to five minutes, at least once) beside "Mode"');
    } else if ('ExecutionType' in config && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
      ctx.report('SFN154', `${path}.ExecutionType`, `${where} ProcessorConfig.ExecutionType must be "STANDARD" or "EXPRESS"; received ${show(config.ExecutionType)}`, 'set "ExecutionType": "STANDARD" or "EXPRESS"');
    }
  }
};
