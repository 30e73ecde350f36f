/**
 * What AWS rejects, or what silently does nothing, in an optimized integration's
 * call: an unknown or misspelled parameter (SFN180), a missing required one
 * (SFN181), an integration pattern the integration does not have (SFN182), and a
 * callback task that never hands out its token (SFN183). The data is in
 * service-integrations.ts.
 */
import { isObject, type StateRef } from '../graph';
import { show, type Rule } from './context';
import { AWS_SDK_PATTERNS, closestName, COMPLETE_SERVICES, parseIntegrationResource, SERVICE_INTEGRATIONS, type ServiceIntegration } from './service-integrations';

interface TaskCall {
  ref: StateRef;
  resource: string;
  id: string;
  suffix: string;
  integration?: ServiceIntegration;
}

function calls(states: readonly StateRef[]): TaskCall[] {
  const out: TaskCall[] = [];
  for (const ref of states) {
    if (ref.state.Type !== 'Task' || typeof ref.state.Resource !== 'string') continue;
    const parsed = parseIntegrationResource(ref.state.Resource);
    if (!parsed) continue;
    out.push({ ref, resource: ref.state.Resource, ...parsed, integration: SERVICE_INTEGRATIONS[parsed.id] });
  }
  return out;
}

const patternName = (p: string): string => (p === '' ? 'request-response (no suffix)' : p);

/** SFN182: `lambda:invoke.sync` and friends do not exist; AWS rejects the resource. */
export const integrationPatternRule: Rule = (ctx) => {
  for (const call of calls(ctx.graph.states)) {
    const { ref, id, suffix, resource } = call;
    const base = resource.slice(0, resource.length - suffix.length);
    if (id.startsWith('aws-sdk:')) {
      if (!(AWS_SDK_PATTERNS as readonly string[]).includes(suffix)) {
        ctx.report('SFN182', `${ref.path}.Resource`, `Task "${ref.name}" uses ${resource}, but AWS SDK integrations support only request-response and .waitForTaskToken, not "${suffix}"`, `use ${base} (or ${base}.waitForTaskToken), or the optimized integration of that service if it has a .sync form`);
      }
      continue;
    }
    const integration = call.integration;
    if (integration === undefined) {
      const service = id.split(':')[0];
      if (!COMPLETE_SERVICES.includes(service)) continue;
      const known = Object.keys(SERVICE_INTEGRATIONS).filter((k) => k.startsWith(`${service}:`));
      const near = closestName(id, known);
      ctx.report('SFN182', `${ref.path}.Resource`, `Task "${ref.name}" uses ${resource}, but "${id}" is not an optimized integration of ${service} (it has ${known.join(', ')})`, near ? `did you mean arn:aws:states:::${near}${suffix}? For any other action use arn:aws:states:::aws-sdk:${service}:<action>` : `use arn:aws:states:::aws-sdk:${service}:<action> for other actions`);
      continue;
    }
    if ((integration.patterns as readonly string[]).includes(suffix)) continue;
    ctx.report(
      'SFN182',
      `${ref.path}.Resource`,
      `Task "${ref.name}" uses ${resource}, but ${id} has no "${suffix}" form; it supports ${integration.patterns.map(patternName).join(', ')}, and AWS rejects the resource`,
      `use ${integration.patterns.map((p) => `arn:aws:states:::${id}${p}`).join(' or ')} (see ${integration.doc})`,
    );
  }
};

/** The parameter object of a Task (Parameters for JSONPath, Arguments for JSONata); undefined when computed at run time. */
function parameters(ref: StateRef): { field: 'Parameters' | 'Arguments'; value: Record<string, unknown> | undefined; dynamic: boolean } {
  const field = ref.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  const value = ref.state[field];
  return { field, value: isObject(value) ? value : undefined, dynamic: value !== undefined && !isObject(value) };
}

/** SFN180 and SFN181: parameters the service API does not have, and required ones that are missing. */
export const integrationParamsRule: Rule = (ctx) => {
  for (const call of calls(ctx.graph.states)) {
    const { ref, id, integration } = call;
    if (!integration) continue;
    const { field, value, dynamic } = parameters(ref);
    if (dynamic) continue;
    const given = new Map<string, string>();
    for (const key of Object.keys(value ?? {})) given.set(ref.queryLanguage === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key, key);
    if (integration.params) {
      for (const [name, key] of given) {
        if (integration.params.includes(name)) continue;
        const near = closestName(name, integration.params);
        ctx.report(
          'SFN180',
          `${ref.path}.${field}.${key}`,
          `Task "${ref.name}" passes "${key}" to ${id}, which has no parameter "${name}"; AWS rejects the definition, and a misspelled target is never granted`,
          near ? `rename "${key}" to "${key.replace(name, near)}"` : `remove it; ${id} accepts ${integration.params.join(', ')} (see ${integration.doc})`,
        );
      }
    }
    for (const group of integration.required ?? []) {
      if (group.some((name) => given.has(name))) continue;
      // A misspelling of a required name is already SFN180 with the rename as its fix.
      if ([...given.keys()].some((name) => group.includes(closestName(name, integration.params ?? group) ?? ''))) continue;
      // SFN120 already reports a lambda:invoke without FunctionName, with the template helper as the fix.
      if (id === 'lambda:invoke' && group[0] === 'FunctionName') continue;
      const missing = group.length === 1 ? `"${group[0]}"` : `one of ${group.map((n) => `"${n}"`).join(', ')}`;
      const example = integration.examples?.[group[0]] ?? (ref.queryLanguage === 'JSONata' ? `"${group[0]}": "<value>"` : `"${group[0]}": "<value>" (or "${group[0]}.$": "$.path")`);
      ctx.report('SFN181', `${ref.path}.${field}`, `Task "${ref.name}" calls ${id} without ${missing} in ${field}${value === undefined ? ' (it has no ' + field + ')' : ''}; the call cannot succeed and no permission can be derived for it`, `add ${example} to ${field} (see ${integration.doc})`);
    }
    for (const [name, inner] of Object.entries(integration.requiredInside ?? {})) {
      const object = value?.[name];
      // Computed at run time (`Name.$`, a `{% %}` string): what it holds is not known here.
      if (!isObject(object)) continue;
      const keys = Object.keys(object).map((k) => (ref.queryLanguage === 'JSONPath' && k.endsWith('.$') ? k.slice(0, -2) : k));
      if (keys.includes(inner)) continue;
      const near = keys.find((k) => closestName(k, [inner]) === inner);
      ctx.report(
        'SFN181',
        `${ref.path}.${field}.${name}`,
        `Task "${ref.name}" calls ${id} with ${name} but no "${inner}" in it (received ${show(object)}); the call cannot succeed and no permission can be derived for it`,
        near ? `rename "${near}" to "${inner}"` : `add "${inner}": "<value>" to ${name} (see ${integration.doc})`,
      );
    }
  }
};

/** True when the value (any depth) hands the task token to the callee. */
function passesToken(value: unknown, jsonata: boolean, underDollarKey = false): boolean {
  if (typeof value === 'string') {
    if (jsonata) return value.includes('$states.context');
    return underDollarKey && /\$\$(\.Task(\.Token)?)?(?![.\w])/.test(value);
  }
  if (Array.isArray(value)) return value.some((v) => passesToken(v, jsonata, underDollarKey));
  if (isObject(value)) return Object.entries(value).some(([k, v]) => passesToken(v, jsonata, k.endsWith('.$')));
  return false;
}

/** SFN183: a callback task whose payload never carries the token waits until its timeout (or a year). */
export const taskTokenRule: Rule = (ctx) => {
  for (const call of calls(ctx.graph.states)) {
    if (call.suffix !== '.waitForTaskToken') continue;
    const { ref } = call;
    const jsonata = ref.queryLanguage === 'JSONata';
    const field = jsonata ? 'Arguments' : 'Parameters';
    if (passesToken(ref.state[field], jsonata)) continue;
    const example = jsonata ? '"taskToken": "{% $states.context.Task.Token %}"' : '"TaskToken.$": "$$.Task.Token"';
    ctx.report('SFN183', `${ref.path}.${field}`, `Task "${ref.name}" waits for a task token (${call.resource}) but its ${field} never pass ${jsonata ? '$states.context.Task.Token' : '$$.Task.Token'}; nobody can call SendTaskSuccess, so it waits until its timeout. Received ${show(ref.state[field])}`, `put the token in the payload, e.g. ${example} inside the message or payload`);
  }
};
