/**
 * Walks an ASL definition as a graph of scopes: the state machine itself, every
 * Parallel branch and every Map processor (ItemProcessor or the legacy Iterator)
 * is its own scope with its own StartAt, and transitions never cross scopes.
 * Used by the lint rules and reusable by anyone who needs "every state with its path"
 * (IAM derivation, review, executor diagnostics).
 */

export type JsonObject = Record<string, unknown>;
export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface Scope {
  /** Dotted path of the scope object: '' for the machine, `States.P.Branches[0]`, `States.M.ItemProcessor`. */
  path: string;
  kind: 'machine' | 'branch' | 'processor';
  /** The object that holds StartAt and States. */
  node: JsonObject;
  /** The Parallel or Map state that owns this scope (undefined for the machine). */
  owner?: StateRef;
}

export interface StateRef {
  name: string;
  state: JsonObject;
  /** e.g. `States.ProcessItems.ItemProcessor.States.ProcessItem`. */
  path: string;
  scope: Scope;
  /** Effective query language: the state's own, else the machine's, else JSONPath. */
  queryLanguage: QueryLanguage;
}

export interface Transition {
  /** The field that names the target, relative to the state, e.g. `Next`, `Choices[1].Next`, `Catch[0].Next`. */
  field: string;
  target: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return base === '' ? segment : `${base}.${segment}`;
}

export function machineQueryLanguage(definition: JsonObject): QueryLanguage {
  return definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
}

/** Child scopes a state owns: Parallel branches and the Map processor. */
export function childScopes(ref: StateRef): Scope[] {
  const out: Scope[] = [];
  const { state, path } = ref;
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
    state.Branches.forEach((branch, i) => {
      if (isObject(branch)) out.push({ path: joinPath(joinPath(path, 'Branches'), i), kind: 'branch', node: branch, owner: ref });
    });
  }
  if (state.Type === 'Map') {
    for (const field of ['ItemProcessor', 'Iterator']) {
      const processor = state[field];
      if (isObject(processor)) out.push({ path: joinPath(path, field), kind: 'processor', node: processor, owner: ref });
    }
  }
  return out;
}

/** States declared directly in one scope (not in nested scopes), in declaration order. */
export function scopeStates(scope: Scope, machineLanguage: QueryLanguage): StateRef[] {
  const states = scope.node.States;
  if (!isObject(states)) return [];
  return Object.entries(states).flatMap(([name, state]) => {
    if (!isObject(state)) return [];
    const own = state.QueryLanguage;
    const queryLanguage: QueryLanguage = own === 'JSONata' || own === 'JSONPath' ? own : machineLanguage;
    return [{ name, state, path: joinPath(joinPath(scope.path, 'States'), name), scope, queryLanguage }];
  });
}

export interface DefinitionGraph {
  scopes: Scope[];
  states: StateRef[];
}

/** Every scope and every state, depth first, in declaration order. */
export function walkDefinition(definition: JsonObject): DefinitionGraph {
  const language = machineQueryLanguage(definition);
  const scopes: Scope[] = [];
  const states: StateRef[] = [];
  const visit = (scope: Scope): void => {
    scopes.push(scope);
    for (const ref of scopeStates(scope, language)) {
      states.push(ref);
      childScopes(ref).forEach(visit);
    }
  };
  visit({ path: '', kind: 'machine', node: definition });
  return { scopes, states };
}

/** Convenience: every state with its path, including Parallel branches and Map processors. */
export function allStates(definition: JsonObject): StateRef[] {
  return walkDefinition(definition).states;
}

/** Outgoing transitions of one state: Next, Default, each Choice rule's Next and each Catch's Next. */
export function transitions(state: JsonObject): Transition[] {
  const out: Transition[] = [];
  if (typeof state.Next === 'string') out.push({ field: 'Next', target: state.Next });
  if (typeof state.Default === 'string') out.push({ field: 'Default', target: state.Default });
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      if (isObject(rule) && typeof rule.Next === 'string') out.push({ field: `Choices[${i}].Next`, target: rule.Next });
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (isObject(catcher) && typeof catcher.Next === 'string') out.push({ field: `Catch[${i}].Next`, target: catcher.Next });
    });
  }
  return out;
}

/**
 * Names of the states reachable from the scope's StartAt by following transitions
 * inside the scope. A real walk, so a cycle of states that nothing outside the cycle
 * enters stays unreachable (a name merely appearing in some Next is not enough).
 */
export function reachableStates(scope: Scope): Set<string> {
  const states = isObject(scope.node.States) ? scope.node.States : {};
  const seen = new Set<string>();
  const start = scope.node.StartAt;
  const queue: string[] = typeof start === 'string' && Object.hasOwn(states, start) ? [start] : [];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = states[name];
    if (!isObject(state)) continue;
    for (const t of transitions(state)) {
      if (Object.hasOwn(states, t.target) && !seen.has(t.target)) queue.push(t.target);
    }
  }
  return seen;
}
