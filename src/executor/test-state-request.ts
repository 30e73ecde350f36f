/**
 * A TestState request, read and checked as the API checks it: JSON string
 * fields parsed, the state found (in Parallel branches and Map processors
 * too) and compiled alone, the mock and the state configuration validated.
 * What AWS would refuse is a TestStateValidationError (one line).
 */
import { ProjectError } from "../errors";
import { compileDefinition, CompiledState } from "./compile";
import { InvalidDefinitionError, StatesError } from "./errors";

type Json = any;

export type InspectionLevel = "INFO" | "DEBUG" | "TRACE";

export interface TestStateRequest {
  /** The state's ASL definition (one state), or a full state machine definition with `stateName`. */
  readonly definition: string | Record<string, Json>;
  /** Accepted for API compatibility; shown as `$$.Execution.RoleArn`. */
  readonly roleArn?: string;
  /** The state's input, a JSON string as the API takes it (or a value). @default "{}" */
  readonly input?: Json;
  /** @default "INFO" */
  readonly inspectionLevel?: InspectionLevel;
  /** Accepted for API compatibility (it only reveals HTTP Task secrets, which the local executor has none of). */
  readonly revealSecrets?: boolean;
  /** The variables in scope before the state, a JSON object string (or an object). */
  readonly variables?: Json;
  /** With a full definition: the state to test (searched in Parallel branches and Map processors too). */
  readonly stateName?: string;
  /** A mocked result (a JSON string) or error for the state's Task, Map or Parallel. */
  readonly mock?: {
    readonly result?: string;
    readonly errorOutput?: { readonly error?: string; readonly cause?: string };
    readonly fieldValidationMode?: "STRICT" | "PRESENT" | "NONE";
  };
  /** Context object fields, a JSON object string (or an object), merged over the defaults. */
  readonly context?: Json;
  readonly stateConfiguration?: {
    /** Retries already made by the Retry rule that matches the (mocked) error. */
    readonly retrierRetryCount?: number;
    /** Map/Parallel with a mocked error: the inner state the error came from (must exist). */
    readonly errorCausedByState?: string;
    /** Map with a mocked result: how many iterations failed (checked against the tolerated failure thresholds). */
    readonly mapIterationFailureCount?: number;
    /** Map with an ItemReader: the data as the reader finds it (a JSON array string). */
    readonly mapItemReaderData?: string;
  };
}

/** A TestState request AWS would refuse (ValidationException / InvalidDefinition), as one line. */
export class TestStateValidationError extends ProjectError {}

/** A Task's mocked resource result or error; for Map and Parallel, the whole state's. */
export type MockValue = { result: Json } | { error: StatesError };

/** The request, parsed and checked. */
export interface ParsedRequest {
  readonly level: InspectionLevel;
  readonly input: Json;
  readonly variables: Record<string, Json>;
  readonly contextOverride?: Record<string, Json>;
  readonly config: NonNullable<TestStateRequest["stateConfiguration"]>;
  readonly name: string;
  readonly def: Record<string, Json>;
  readonly ql: "JSONPath" | "JSONata";
  readonly compiledState: CompiledState;
  readonly mockValue?: MockValue;
  /** A Map with a mocked ItemReader: the items it would find. */
  readonly readerData?: Json[];
}

export function parseRequest(request: TestStateRequest): ParsedRequest {
  if (!request || typeof request !== "object")
    throw new TestStateValidationError(`testState: expected a request object with "definition". Received: ${JSON.stringify(request)}`);
  const level = request.inspectionLevel ?? "INFO";
  if (!["INFO", "DEBUG", "TRACE"].includes(level)) {
    throw new TestStateValidationError(`testState: inspectionLevel must be INFO, DEBUG or TRACE. Received: ${JSON.stringify(level)}`);
  }
  const definition = parseJsonField(request.definition, "definition", typeof request.definition === "string");
  if (!definition || typeof definition !== "object" || Array.isArray(definition)) {
    throw new TestStateValidationError(
      `testState: definition must be a JSON object (one state, or a state machine with stateName). Received: ${short(definition)}`
    );
  }
  const input = request.input === undefined ? {} : parseJsonField(request.input, "input", typeof request.input === "string");
  const variables = request.variables === undefined ? {} : parseJsonField(request.variables, "variables", typeof request.variables === "string");
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) {
    throw new TestStateValidationError(`testState: variables must be a JSON object of variable names. Received: ${short(variables)}`);
  }
  const contextOverride = request.context === undefined ? undefined : parseJsonField(request.context, "context", typeof request.context === "string");
  if (contextOverride !== undefined && (!contextOverride || typeof contextOverride !== "object" || Array.isArray(contextOverride))) {
    throw new TestStateValidationError(`testState: context must be a JSON object (context object fields). Received: ${short(contextOverride)}`);
  }
  const config = request.stateConfiguration ?? {};
  for (const k of ["retrierRetryCount", "mapIterationFailureCount"] as const) {
    const v = config[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw new TestStateValidationError(`testState: stateConfiguration.${k} must be an integer >= 0. Received: ${JSON.stringify(v)}`);
  }

  // The state under test, with its query language.
  const { name, def, ql } = pickState(definition, request.stateName);
  const compiledState = compileAlone(name, def, ql);

  // The mock: a Task's resource, or a Map's/Parallel's whole result.
  const mock = request.mock;
  let mockValue: MockValue | undefined;
  if (mock !== undefined) {
    if (compiledState.type !== "Task" && compiledState.type !== "Map" && compiledState.type !== "Parallel") {
      throw new TestStateValidationError(
        `testState: a mock applies to Task, Map and Parallel states; state "${name}" is a ${compiledState.type}. Remove "mock".`
      );
    }
    if ((mock.result === undefined) === (mock.errorOutput === undefined)) {
      throw new TestStateValidationError(
        `testState: mock needs exactly one of "result" (a JSON string) or "errorOutput" ({error, cause}) for state "${name}".`
      );
    }
    if (mock.fieldValidationMode !== undefined && !["STRICT", "PRESENT", "NONE"].includes(mock.fieldValidationMode)) {
      throw new TestStateValidationError(
        `testState: mock.fieldValidationMode must be STRICT, PRESENT or NONE. Received: ${JSON.stringify(mock.fieldValidationMode)}`
      );
    }
    if (mock.result !== undefined) {
      if (typeof mock.result !== "string")
        throw new TestStateValidationError(`testState: mock.result must be a JSON string (the API's type). Received: ${short(mock.result)}`);
      mockValue = { result: parseJsonField(mock.result, "mock.result", true) };
    } else {
      const e = mock.errorOutput!;
      mockValue = {
        error: new StatesError(e.error ?? "States.TaskFailed", e.cause),
      };
    }
  } else if (compiledState.type === "Task" && /\.(waitForTaskToken|sync(:2)?)$/.test(String(def.Resource))) {
    throw new TestStateValidationError(
      `testState: state "${name}" uses ${def.Resource}; TestState runs .sync and .waitForTaskToken tasks only with a mock. Add "mock": {"result": "..."}.`
    );
  } else if (compiledState.type === "Task" && typeof def.Resource === "string" && def.Resource.startsWith("arn:aws:states:::activity")) {
    throw new TestStateValidationError(`testState: state "${name}" is an activity task; TestState runs activities only with a mock.`);
  }
  if (config.errorCausedByState !== undefined) {
    if (compiledState.type !== "Map" && compiledState.type !== "Parallel") {
      throw new TestStateValidationError(
        `testState: stateConfiguration.errorCausedByState applies to Map and Parallel states; "${name}" is a ${compiledState.type}.`
      );
    }
    if (!innerStateNames(def).includes(config.errorCausedByState)) {
      throw new TestStateValidationError(
        `testState: stateConfiguration.errorCausedByState "${config.errorCausedByState}" names no state inside "${name}". Inner states: ${innerStateNames(
          def
        ).join(", ")}.`
      );
    }
  }

  let readerData: Json[] | undefined;
  if (config.mapItemReaderData !== undefined) {
    if (compiledState.type !== "Map" || def.ItemReader === undefined) {
      throw new TestStateValidationError(`testState: stateConfiguration.mapItemReaderData applies to a Map state with an ItemReader; "${name}" has none.`);
    }
    readerData = parseJsonField(config.mapItemReaderData, "stateConfiguration.mapItemReaderData", true);
    if (!Array.isArray(readerData))
      throw new TestStateValidationError(
        `testState: stateConfiguration.mapItemReaderData must be a JSON array of the items the reader finds. Received: ${short(readerData)}`
      );
  }

  return { level, input, variables, contextOverride, config, name, def, ql, compiledState, mockValue, readerData };
}

/** The state to test: the definition itself (one state) or `stateName` inside a full definition. */
function pickState(definition: Record<string, Json>, stateName: string | undefined): { name: string; def: Record<string, Json>; ql: "JSONPath" | "JSONata" } {
  const topQl = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  if (stateName === undefined) {
    if (definition.States !== undefined) {
      throw new TestStateValidationError(
        `testState: the definition is a state machine; pass stateName to choose the state to test (states: ${Object.keys(definition.States).join(", ")}).`
      );
    }
    if (typeof definition.Type !== "string")
      throw new TestStateValidationError(`testState: the definition must be one state with a "Type" (or a state machine with stateName).`);
    return {
      name: "TestState",
      def: definition,
      ql: definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath",
    };
  }
  if (!definition.States || typeof definition.States !== "object") {
    throw new TestStateValidationError(`testState: stateName "${stateName}" needs a full state machine definition (with "States").`);
  }
  const found = findState(definition, stateName, topQl);
  if (!found) {
    throw new TestStateValidationError(
      `testState: stateName "${stateName}" names no state in the definition. States: ${allStateNames(definition).join(", ")}.`
    );
  }
  return { name: stateName, ...found };
}

function findState(
  machine: Record<string, Json>,
  name: string,
  ql: "JSONPath" | "JSONata"
): { def: Record<string, Json>; ql: "JSONPath" | "JSONata" } | undefined {
  const states = machine.States ?? {};
  if (Object.prototype.hasOwnProperty.call(states, name)) {
    const def = states[name];
    return {
      def,
      ql: def?.QueryLanguage === "JSONata" || (def?.QueryLanguage === undefined && ql === "JSONata") ? "JSONata" : "JSONPath",
    };
  }
  for (const def of Object.values(states) as Record<string, Json>[]) {
    const inner = def?.QueryLanguage ?? ql;
    for (const sub of subMachines(def)) {
      const hit = findState(sub, name, inner);
      if (hit) return hit;
    }
  }
  return undefined;
}

function subMachines(def: Record<string, Json>): Record<string, Json>[] {
  if (!def || typeof def !== "object") return [];
  if (Array.isArray(def.Branches)) return def.Branches;
  const p = def.ItemProcessor ?? def.Iterator;
  return p ? [p] : [];
}

function allStateNames(machine: Record<string, Json>): string[] {
  const out: string[] = [];
  for (const [n, def] of Object.entries(machine.States ?? {}) as [string, Record<string, Json>][]) {
    out.push(n);
    for (const sub of subMachines(def)) out.push(...allStateNames(sub));
  }
  return out;
}

function innerStateNames(def: Record<string, Json>): string[] {
  return subMachines(def).flatMap(allStateNames);
}

/** Compiles one state alone: its Next/Default/Catch targets become placeholders (TestState does not go there). */
function compileAlone(name: string, def: Record<string, Json>, ql: "JSONPath" | "JSONata"): CompiledState {
  const states: Record<string, Json> = { [name]: def };
  const targets = [
    def.Next,
    def.Default,
    ...(Array.isArray(def.Choices) ? def.Choices.map((c: Json) => c?.Next) : []),
    ...(Array.isArray(def.Catch) ? def.Catch.map((c: Json) => c?.Next) : []),
  ];
  for (const t of targets) if (typeof t === "string" && !(t in states)) states[t] = { Type: "Succeed" };
  try {
    return compileDefinition({
      QueryLanguage: ql,
      StartAt: name,
      States: states,
    }).root.states.get(name)!;
  } catch (err) {
    if (err instanceof InvalidDefinitionError) throw new TestStateValidationError(`testState: invalid definition: ${err.message}`);
    throw err;
  }
}

function parseJsonField(value: Json, field: string, isText: boolean): Json {
  if (!isText) return value;
  if (typeof value !== "string") throw new TestStateValidationError(`testState: ${field} must be a JSON string. Received: ${short(value)}`);
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new TestStateValidationError(`testState: ${field} is not valid JSON (${(err as Error).message}). Received: ${short(value)}`);
  }
}

export function short(v: Json): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
