/**
 * Compares two ASL definitions state by state (keyed by state path, so a state
 * inside a Parallel branch or Map processor is compared with its counterpart),
 * instead of diffing two long JSON strings.
 */

import { type JsonObject, allStates, isObject } from "../asl/graph";
import { sortKeys } from "../json";

export interface StateChange {
  /** e.g. `States.ProcessItems.ItemProcessor.States.ProcessItem` */
  readonly path: string;
  readonly type: string;
  /** Top-level fields of the state whose value changed, e.g. `Retry`, `Parameters`, `Next`. */
  readonly fields: readonly string[];
}

export interface StateDiff {
  readonly added: readonly StateChange[];
  readonly removed: readonly StateChange[];
  readonly changed: readonly StateChange[];
  /** Machine-level fields that changed (StartAt, TimeoutSeconds, QueryLanguage, Comment...). */
  readonly machine: readonly string[];
}

const NESTED = new Set(["Branches", "ItemProcessor", "Iterator"]);

/** A state's own fields; nested scopes keep only their own settings (StartAt, ProcessorConfig), not their states. */
function ownFields(state: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(state)) {
    if (NESTED.has(key)) {
      const shallow = (scope: unknown) => (isObject(scope) ? { ...scope, States: Object.keys(isObject(scope.States) ? scope.States : {}).sort() } : scope);
      out[key] = JSON.stringify(sortKeys(Array.isArray(value) ? value.map(shallow) : shallow(value)));
    } else {
      out[key] = JSON.stringify(sortKeys(value));
    }
  }
  return out;
}

function changedKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

function index(definition: JsonObject): Map<string, { type: string; fields: Record<string, string> }> {
  return new Map(allStates(definition).map((s) => [s.path, { type: String(s.state.Type ?? "?"), fields: ownFields(s.state) }]));
}

export function diffStates(before: JsonObject, after: JsonObject): StateDiff {
  const a = index(before);
  const b = index(after);
  const added = [...b].filter(([path]) => !a.has(path)).map(([path, s]) => ({ path, type: s.type, fields: [] }));
  const removed = [...a].filter(([path]) => !b.has(path)).map(([path, s]) => ({ path, type: s.type, fields: [] }));
  const changed = [...b]
    .filter(([path]) => a.has(path))
    .map(([path, s]) => ({ path, type: s.type, fields: changedKeys(a.get(path)?.fields ?? {}, s.fields) }))
    .filter((c) => c.fields.length > 0);
  const machineFields = (d: JsonObject) => {
    const { States: _s, ...rest } = d;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, JSON.stringify(sortKeys(v))]));
  };
  return { added, removed, changed, machine: changedKeys(machineFields(before), machineFields(after)) };
}

export function isEmptyStateDiff(d: StateDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length + d.machine.length === 0;
}
