import { isObject, joinPath, machineQueryLanguage, reachableStates, transitions, type Scope } from '../graph';
import { show, type Rule } from './context';

function scopeLabel(scope: Scope): string {
  if (scope.kind === 'machine') return 'the state machine';
  return scope.kind === 'branch' ? `Parallel branch ${scope.path}` : `Map processor ${scope.path}`;
}

/** SFN100: each scope needs States and a StartAt naming one of its own states. */
export const startAtRule: Rule = (ctx) => {
  const scopeOfState = new Map<string, string>();
  for (const s of ctx.graph.states) scopeOfState.set(s.name, s.scope.path);
  for (const scope of ctx.graph.scopes) {
    const where = scopeLabel(scope);
    const states = scope.node.States;
    const start = scope.node.StartAt;
    if (!isObject(states) || Object.keys(states).length === 0) {
      ctx.report('SFN100', joinPath(scope.path, 'States'), `${where} has no States (received ${show(states)})`, 'add a "States" object with at least one state');
    }
    if (typeof start !== 'string') {
      ctx.report('SFN100', joinPath(scope.path, 'StartAt'), `${where} has no StartAt (received ${show(start)})`, 'set "StartAt" to the name of the first state');
      continue;
    }
    if (isObject(states) && !Object.hasOwn(states, start)) {
      const elsewhere = scopeOfState.get(start);
      const known = Object.keys(states).join(', ') || 'none';
      ctx.report(
        'SFN100',
        joinPath(scope.path, 'StartAt'),
        `StartAt "${start}" names no state of ${where}${elsewhere !== undefined ? ` (it is declared in ${elsewhere === '' ? 'the top-level States' : elsewhere}, another scope)` : ''}; states here: ${known}`,
        'point StartAt at a state declared in the same States object',
      );
    }
  }
};

/**
 * SFN101: reachability is a walk from each scope's StartAt over that scope's transitions,
 * so a cycle nobody enters is unreachable even though every state in it is named by a Next.
 */
export const reachabilityRule: Rule = (ctx) => {
  for (const scope of ctx.graph.scopes) {
    const states = scope.node.States;
    const start = scope.node.StartAt;
    if (!isObject(states) || typeof start !== 'string' || !Object.hasOwn(states, start)) continue;
    const reachable = reachableStates(scope);
    for (const name of Object.keys(states)) {
      if (reachable.has(name)) continue;
      ctx.report(
        'SFN101',
        joinPath(joinPath(scope.path, 'States'), name),
        `State "${name}" is not reachable from StartAt "${start}" of ${scopeLabel(scope)}; AWS rejects unreachable states`,
        `delete the state, or name it in the Next, Default, Choices[].Next or Catch[].Next of a reachable state in the same scope`,
      );
    }
  }
};

/** SFN102 (target missing everywhere) and SFN103 (target lives in another scope). */
export const transitionTargetRule: Rule = (ctx) => {
  const scopeOfState = new Map<string, string>();
  for (const s of ctx.graph.states) if (!scopeOfState.has(s.name)) scopeOfState.set(s.name, s.scope.path);
  for (const ref of ctx.graph.states) {
    const siblings = isObject(ref.scope.node.States) ? ref.scope.node.States : {};
    for (const t of transitions(ref.state)) {
      if (Object.hasOwn(siblings, t.target)) continue;
      const path = `${ref.path}.${t.field}`;
      const elsewhere = scopeOfState.get(t.target);
      if (elsewhere === undefined) {
        const known = Object.keys(siblings).join(', ');
        ctx.report('SFN102', path, `${t.field} "${t.target}" names no state; states in this scope: ${known}`, `declare a state "${t.target}" in the same States object or fix the name`);
      } else if (ref.scope.kind !== 'machine') {
        const kind = ref.scope.kind === 'branch' ? 'Parallel branch' : 'Map processor';
        ctx.report(
          'SFN103',
          path,
          `${t.field} "${t.target}" leaves the ${kind} ${ref.scope.path}: "${t.target}" is declared in ${elsewhere === '' ? 'the top-level States' : elsewhere}`,
          `end the ${kind === 'Parallel branch' ? 'branch' : 'processor'} with "End": true and put the transition on the ${ref.scope.owner ? `"${ref.scope.owner.name}" state's` : 'owning state\'s'} Next or Catch`,
        );
      } else {
        ctx.report('SFN103', path, `${t.field} "${t.target}" jumps into ${elsewhere}, which only its own StartAt can enter`, `transition to the Parallel/Map state that owns ${elsewhere}, or move "${t.target}" to the top-level States`);
      }
    }
  }
};

/** SFN104: a Choice needs at least one rule, even when it has a Default. */
export const choiceRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Choice') continue;
    const choices = ref.state.Choices;
    if (!Array.isArray(choices) || choices.length === 0) {
      ctx.report('SFN104', `${ref.path}.Choices`, `Choice state "${ref.name}" has no Choices (received ${show(choices)})`, 'add at least one rule to "Choices", or replace the Choice with a Pass whose Next is the Default');
    }
  }
};

/** SFN172: AWS rejects a state that downgrades to JSONPath under a JSONata machine. */
export const queryLanguageDowngradeRule: Rule = (ctx) => {
  if (machineQueryLanguage(ctx.definition) !== 'JSONata') return;
  for (const ref of ctx.graph.states) {
    if (ref.state.QueryLanguage === 'JSONPath') {
      ctx.report('SFN172', `${ref.path}.QueryLanguage`, `State "${ref.name}" sets QueryLanguage "JSONPath" but the state machine is JSONata; AWS only allows JSONPath states under a JSONPath machine`, 'rewrite the state in JSONata and drop its QueryLanguage, or make the machine JSONPath and opt single states into JSONata');
    }
  }
};

/**
 * SFN003: every scope needs a way out. Skipped where a transition already dangles
 * (SFN102/SFN103 report it), because the missing target is usually the terminal state.
 */
export const terminalStateRule: Rule = (ctx) => {
  for (const scope of ctx.graph.scopes) {
    const states = scope.node.States;
    if (!isObject(states) || Object.keys(states).length === 0) continue;
    const values = Object.values(states).filter(isObject);
    const dangling = values.some((s) => transitions(s).some((t) => !Object.hasOwn(states, t.target)));
    const terminal = values.some((s) => s.End === true || s.Type === 'Succeed' || s.Type === 'Fail');
    if (terminal || dangling) continue;
    ctx.report('SFN003', joinPath(scope.path, 'States'), `${scopeLabel(scope)} has no terminal state: every state has a Next, so no execution can finish`, 'end one state with "End": true, or add a Succeed or Fail state and transition to it');
  }
};

/**
 * SFN002: state names are unique across the whole definition, branches and processors
 * included. Names both places. (Two states of one name in the same States object are
 * a duplicate JSON key, which JSON.parse merges; SFN009 reports that from the text.)
 */
export const duplicateStateNamesRule: Rule = (ctx) => {
  const first = new Map<string, string>();
  for (const ref of ctx.graph.states) {
    const earlier = first.get(ref.name);
    if (earlier === undefined) {
      first.set(ref.name, ref.path);
      continue;
    }
    ctx.report('SFN002', ref.path, `State name "${ref.name}" is used twice: at ${earlier} and at ${ref.path}; AWS requires state names unique across the whole definition, including branches and processors`, `rename one of them (and the Next/Default/StartAt that names it)`);
  }
};
