/**
 * Compilation: checks what AWS checks at CreateStateMachine and precomputes
 * what each state needs, once per definition: its handler (one module per
 * state type, under states/) and its query language (one of two
 * implementations, chosen here, never tested again at run time).
 */
import { InvalidDefinitionError } from "./errors";
import type { TaskFailure } from "./errors";
import type { Catcher, Retrier } from "./retry";
import type { EvalContext } from "./eval-context";
import { QueryLanguage, queryLanguage } from "./query";
import { STATE_HANDLERS } from "./states";

type Json = any;

export interface StateOutcome {
  output: Json;
  next?: string;
}

/**
 * A state type's work: its outcome, or (Task) the resource's failure returned
 * instead of thrown; on a retried task a throw through each async layer cost
 * more than the rest of the attempt. Anything thrown is a failure too.
 */
export type StateHandler = (ec: EvalContext) => Promise<StateOutcome | TaskFailure> | StateOutcome | TaskFailure;

export interface CompiledState {
  readonly name: string;
  readonly type: string;
  readonly def: Record<string, Json>;
  readonly ql: QueryLanguage;
  /** Where the state sits, for messages: `MapState/ItemProcessor/Inner`. */
  readonly path: string;
  readonly next?: string;
  readonly end: boolean;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
  /** Task, Parallel and Map: the only states Retry and Catch apply to. */
  readonly recovers: boolean;
  readonly branches?: readonly CompiledMachine[];
  readonly processor?: CompiledMachine;
  /** `TaskStateEntered` etc., built once. */
  readonly enteredType: string;
  readonly exitedType: string;
  readonly run: StateHandler;
  /** A JSONPath Task whose output processing reads only its result's `Payload` (OutputPath "$.Payload" and nothing else). */
  readonly observesPayloadOnly: boolean;
}

export interface CompiledMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
}

export interface CompiledDefinition {
  readonly root: CompiledMachine;
  readonly timeoutSeconds?: number;
}

const STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

export function compileDefinition(definition: Record<string, Json>): CompiledDefinition {
  if (!definition || typeof definition !== "object" || Array.isArray(definition)) {
    throw new InvalidDefinitionError(`Definition: expected a JSON object with StartAt and States. Received: ${JSON.stringify(definition)?.slice(0, 80)}`);
  }
  const topQl = definition.QueryLanguage ?? "JSONPath";
  if (topQl !== "JSONPath" && topQl !== "JSONata") {
    throw new InvalidDefinitionError(`Definition: QueryLanguage must be "JSONPath" or "JSONata". Received: ${JSON.stringify(topQl)}`);
  }
  const root = compileMachine(definition, topQl, "");
  const timeoutSeconds = definition.TimeoutSeconds;
  if (timeoutSeconds !== undefined && (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0)) {
    throw new InvalidDefinitionError(`Definition: TimeoutSeconds must be a positive integer. Received: ${JSON.stringify(timeoutSeconds)}`);
  }
  return { root, timeoutSeconds };
}

function compileMachine(machine: Record<string, Json>, ql: string, prefix: string): CompiledMachine {
  const where = prefix ? `"${prefix}"` : "the top level";
  if (typeof machine.StartAt !== "string") {
    throw new InvalidDefinitionError(`Definition: StartAt is missing at ${where}. Add "StartAt": "<first state name>".`);
  }
  if (!machine.States || typeof machine.States !== "object" || Array.isArray(machine.States)) {
    throw new InvalidDefinitionError(`Definition: States is missing at ${where}. Add a "States" object.`);
  }
  const names = new Set(Object.keys(machine.States));
  if (!names.has(machine.StartAt)) {
    throw new InvalidDefinitionError(`Definition: StartAt "${machine.StartAt}" at ${where} names no state. Known states: ${[...names].join(", ") || "none"}.`);
  }
  const states = new Map<string, CompiledState>();
  for (const name of names) {
    const def = machine.States[name] as Record<string, Json>;
    const path = prefix ? `${prefix}/${name}` : name;
    if (!def || typeof def !== "object") throw new InvalidDefinitionError(`Definition: state "${path}" must be an object.`);
    if (!STATE_TYPES.includes(def.Type)) {
      throw new InvalidDefinitionError(`Definition: state "${path}" has Type ${JSON.stringify(def.Type)}; expected one of ${STATE_TYPES.join(", ")}.`);
    }
    const stateQl = def.QueryLanguage ?? ql;
    if (stateQl !== "JSONPath" && stateQl !== "JSONata") {
      throw new InvalidDefinitionError(`Definition: state "${path}" has QueryLanguage ${JSON.stringify(stateQl)}; expected "JSONPath" or "JSONata".`);
    }
    const checkTarget = (target: unknown, field: string) => {
      if (typeof target !== "string" || !names.has(target)) {
        throw new InvalidDefinitionError(`Definition: state "${path}" ${field} ${JSON.stringify(target)} names no state in the same scope. Known states: ${[...names].join(", ")}.`);
      }
    };
    const terminal = def.Type === "Choice" || def.Type === "Succeed" || def.Type === "Fail";
    if (!terminal) {
      if (def.End === true && def.Next !== undefined) throw new InvalidDefinitionError(`Definition: state "${path}" has both Next and End; keep one.`);
      if (def.End !== true) checkTarget(def.Next, "Next");
    }
    if (def.Type === "Choice") {
      if (!Array.isArray(def.Choices) || def.Choices.length === 0) {
        throw new InvalidDefinitionError(`Definition: Choice state "${path}" needs a non-empty Choices array.`);
      }
      def.Choices.forEach((rule: Record<string, Json>, i: number) => checkTarget(rule?.Next, `Choices[${i}].Next`));
      if (def.Default !== undefined) checkTarget(def.Default, "Default");
    }
    const catchers: Catcher[] = Array.isArray(def.Catch) ? def.Catch : [];
    catchers.forEach((c, i) => checkTarget(c?.Next, `Catch[${i}].Next`));
    let branches: CompiledMachine[] | undefined;
    let processor: CompiledMachine | undefined;
    if (def.Type === "Parallel") {
      if (!Array.isArray(def.Branches) || def.Branches.length === 0) {
        throw new InvalidDefinitionError(`Definition: Parallel state "${path}" needs a non-empty Branches array.`);
      }
      branches = def.Branches.map((b: Record<string, Json>, i: number) => compileMachine(b, stateQl, `${path}/Branches[${i}]`));
    }
    if (def.Type === "Map") {
      const proc = def.ItemProcessor ?? def.Iterator;
      if (!proc) throw new InvalidDefinitionError(`Definition: Map state "${path}" needs an ItemProcessor.`);
      processor = compileMachine(proc, stateQl, `${path}/${def.ItemProcessor ? "ItemProcessor" : "Iterator"}`);
    }
    states.set(name, {
      name,
      type: def.Type,
      def,
      ql: queryLanguage(stateQl),
      path,
      next: def.Next,
      end: def.End === true,
      retry: Array.isArray(def.Retry) ? def.Retry : [],
      catch: catchers,
      recovers: def.Type === "Task" || def.Type === "Parallel" || def.Type === "Map",
      branches,
      processor,
      enteredType: `${def.Type}StateEntered`,
      exitedType: `${def.Type}StateExited`,
      run: STATE_HANDLERS[def.Type as keyof typeof STATE_HANDLERS],
      observesPayloadOnly:
        def.Type === "Task" &&
        stateQl === "JSONPath" &&
        def.OutputPath === "$.Payload" &&
        def.ResultSelector === undefined &&
        (def.ResultPath === undefined || def.ResultPath === "$") &&
        def.Assign === undefined,
    });
  }
  return { startAt: machine.StartAt, states };
}
