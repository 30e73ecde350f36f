/**
 * SFN105: a field the state type (or the state machine) does not have. asl-validator
 * rejects these too, but as "must match exactly one schema in oneOf", because it tries
 * the state against every state type; this names the field and the closest real one.
 * The lists are the ASL reference's, for both query languages (a field of the other
 * language is SFN170/SFN171, not this).
 */
import type { Rule } from './context';
import { closestName } from './service-integrations';

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath', 'Output'];
const RESULT = ['Parameters', 'ResultPath', 'ResultSelector', 'Arguments'];
const TRANSITION = ['Next', 'End'];
const ERRORS = ['Retry', 'Catch'];

export const STATE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Pass: [...COMMON, ...IO, ...TRANSITION, 'Parameters', 'ResultPath', 'Result', 'Assign'],
  Task: [...COMMON, ...IO, ...TRANSITION, ...RESULT, ...ERRORS, 'Resource', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials', 'Assign'],
  Choice: [...COMMON, ...IO, 'Choices', 'Default', 'Assign'],
  Wait: [...COMMON, ...IO, ...TRANSITION, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign'],
  Succeed: [...COMMON, ...IO],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...COMMON, ...IO, ...TRANSITION, ...RESULT, ...ERRORS, 'Branches', 'Assign'],
  Map: [
    ...COMMON, ...IO, ...TRANSITION, ...ERRORS, 'Parameters', 'ResultPath', 'ResultSelector', 'Assign',
    'Iterator', 'ItemProcessor', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'Label',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount', 'ToleratedFailureCountPath',
  ],
};

const MACHINE_FIELDS = ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'];

export const unknownFieldRule: Rule = (ctx) => {
  // The machine's own fields (skipped for a fragment, which is wrapped by lint.ts).
  for (const key of Object.keys(ctx.definition)) {
    if (MACHINE_FIELDS.includes(key)) continue;
    const near = closestName(key, MACHINE_FIELDS);
    ctx.report('SFN105', key, `the state machine has the field "${key}", which AWS does not accept at the top level (it takes ${MACHINE_FIELDS.join(', ')})`, near ? `rename it to "${near}"` : 'remove it, or move it into the state it belongs to');
  }
  for (const ref of ctx.graph.states) {
    const type = ref.state.Type;
    if (typeof type !== 'string') continue;
    const allowed = STATE_FIELDS[type];
    if (!allowed) {
      const near = closestName(type, Object.keys(STATE_FIELDS));
      ctx.report('SFN105', `${ref.path}.Type`, `State "${ref.name}" has Type ${JSON.stringify(type)}, which is not a state type (${Object.keys(STATE_FIELDS).join(', ')})`, near ? `set "Type": "${near}"` : 'use one of the state types');
      continue;
    }
    for (const key of Object.keys(ref.state)) {
      if (allowed.includes(key)) continue;
      const near = closestName(key, allowed);
      const owners = Object.entries(STATE_FIELDS).filter(([, fields]) => fields.includes(key)).map(([t]) => t);
      const belongs = owners.length > 0 ? `; it belongs to ${owners.join(', ')} states` : '';
      ctx.report(
        'SFN105',
        `${ref.path}.${key}`,
        `State "${ref.name}" (${type}) has the field "${key}", which ${type} states do not have${belongs}`,
        near && near !== key ? `rename it to "${near}"` : owners.length > 0 ? `remove it, or make the state a ${owners[0]} state` : `remove it; ${type} states accept ${allowed.join(', ')}`,
      );
    }
  }
};
