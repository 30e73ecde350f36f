/**
 * `testState`: the Step Functions TestState API, offline. Runs one state once
 * (no Next, no Retry wait) through the same state handlers as a full run, and
 * answers with TestState's response: status SUCCEEDED | FAILED | RETRIABLE |
 * CAUGHT_ERROR, output, error, cause, nextState and, at DEBUG/TRACE,
 * inspectionData (the input after each processing step).
 *
 * Request and response follow the API reference (API_TestState,
 * API_InspectionData, API_InspectionErrorDetails, API_TestStateConfiguration,
 * API_MockInput): payloads are JSON *strings*, as the API sends them. Locally,
 * `input`, `variables` and `context` may also be given as values.
 */
import { randomUUID } from "node:crypto";
import { ProjectError } from "../errors";
import { compileDefinition, CompiledState } from "./compile";
import { Execution, Frame } from "./execution";
import { EvalContext } from "./eval-context";
import { ExecutionStop, InvalidDefinitionError, StatesError, TaskFailure } from "./errors";
import { HistoryRecorder } from "./history";
import { VirtualTimeline, isoTime } from "./clock";
import { LambdaHandler, parseFunctionRef } from "./lambda";
import { StateMock } from "./mocks";
import { errorMatches, retryDelayMs, seededRandom } from "./retry";
import { applyResultPath } from "./jsonpath";
import type { FieldValue, QueryLanguage } from "./query";
import type { Catcher } from "./retry";

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

export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

export interface InspectionData {
  input?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterArguments?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  afterItemsPath?: string;
  afterItemSelector?: string;
  variables?: string;
  errorDetails?: InspectionErrorDetails;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export interface TestStateResponse {
  status: "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: InspectionData;
}

/** Local options (what the API gets from the account): handlers, region, clock. */
export interface TestStateOptions {
  readonly lambdas?: Readonly<Record<string, LambdaHandler>>;
  readonly resolveHandler?: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
  readonly region?: string;
  readonly accountId?: string;
  readonly stateMachineName?: string;
  readonly executionName?: string;
  /** Start of the virtual clock. @default now */
  readonly startTime?: Date | string | number;
  /** Seed for FULL jitter (retryBackoffIntervalSeconds). @default random */
  readonly jitterSeed?: number;
}

/** A TestState request AWS would refuse (ValidationException / InvalidDefinition), as one line. */
export class TestStateValidationError extends ProjectError {}

export async function testState(request: TestStateRequest, options: TestStateOptions = {}): Promise<TestStateResponse> {
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
  let mockValue: { result: Json } | { error: StatesError } | undefined;
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

  // One execution's worth of setup, with a history that only counts ids.
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const smName = options.stateMachineName ?? "local-test-state";
  const execName = options.executionName ?? randomUUID();
  const startMs = options.startTime === undefined ? Date.now() : new Date(options.startTime).getTime();
  if (Number.isNaN(startMs)) throw new TestStateValidationError(`testState: startTime ${JSON.stringify(options.startTime)} is not a date.`);
  const timeline = new VirtualTimeline(startMs);
  const lambdas = options.lambdas ?? {};
  const findLambda = (ref: string) => {
    if (Object.prototype.hasOwnProperty.call(lambdas, ref)) return lambdas[ref];
    const { name: fn, arn } = parseFunctionRef(ref, region, accountId);
    if (Object.prototype.hasOwnProperty.call(lambdas, fn)) return lambdas[fn];
    if (Object.prototype.hasOwnProperty.call(lambdas, arn)) return lambdas[arn];
    return options.resolveHandler?.(fn);
  };
  const mocks: Record<string, StateMock> = {};
  if (mockValue && compiledState.type === "Task") {
    const mv = mockValue;
    mocks[name] = () => {
      if ("error" in mv) throw mv.error;
      return mv.result;
    };
  }
  const exec = new Execution({
    compiled: {
      root: { startAt: name, states: new Map([[name, compiledState]]) },
    },
    input,
    history: new HistoryRecorder(false),
    timeline,
    executionContext: {
      Execution: {
        Id: `arn:aws:states:${region}:${accountId}:execution:${smName}:${execName}`,
        Input: input,
        Name: execName,
        RoleArn: request.roleArn ?? `arn:aws:iam::${accountId}:role/${smName}-role`,
        StartTime: isoTime(startMs),
        RedriveCount: 0,
      },
      StateMachine: {
        Id: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`,
        Name: smName,
      },
    },
    region,
    accountId,
    findLambda,
    mocks,
    lambdaRuntime: "nodejs",
    random: options.jitterSeed !== undefined ? seededRandom(options.jitterSeed) : Math.random,
    taskTokenFactory: randomUUID,
    realTime: false,
    // A Wait moves the virtual clock only (no real time passes): it never hits TestState's five minutes of real time.
    maxDurationMs: 365 * 24 * 3600 * 1000,
  });

  const rec: Recorded = { mapFields: {} };
  const state: CompiledState = {
    ...compiledState,
    ql: new RecordingLanguage(compiledState.ql, rec),
    run: mockValue && compiledState.type !== "Task" ? mockedComposite(mockValue, config.mapIterationFailureCount, readerData) : compiledState.run,
  };
  const frame: Frame = {
    variables: { ...variables },
    cursor: { lastEventId: 0 },
    time: timeline,
  };
  const retryCount = config.retrierRetryCount ?? 0;
  const enteredId = exec.setup.history.addState(frame.cursor, startMs, state.enteredType, name, input);
  const ec = new EvalContext(exec, state, input, frame, startMs, retryCount, enteredId);
  if (contextOverride) ec.context = mergeContext(ec.context, contextOverride);

  // AWS echoes the input text as sent: as `inspectionData.input`, and as the output of a state that passes its input through.
  const inputText = typeof request.input === "string" ? request.input : JSON.stringify(input);
  const response = await runOnce(ec, state, retryCount, exec, input, inputText);
  if (level !== "INFO") {
    const data: InspectionData = { input: inputText };
    if (rec.afterInputPath !== undefined) data.afterInputPath = rec.afterInputPath;
    // JSONPath: each step is shown even when its field is absent (then it passes its input through).
    const afterParameters = rec.afterParameters ?? (ql === "JSONPath" && rec.result !== undefined ? rec.afterInputPath : undefined);
    if (afterParameters !== undefined) data[ql === "JSONata" ? "afterArguments" : "afterParameters"] = afterParameters;
    // AWS shows the raw result for a Task only (its documented Pass example has none).
    if (rec.result !== undefined && compiledState.type === "Task") data.result = rec.result;
    if (rec.afterResultSelector !== undefined) data.afterResultSelector = rec.afterResultSelector;
    if (rec.afterResultPath !== undefined) data.afterResultPath = rec.afterResultPath;
    if (rec.afterItemsPath !== undefined) data.afterItemsPath = rec.afterItemsPath;
    if (rec.itemSelector !== undefined) data.afterItemSelector = JSON.stringify(rec.itemSelector);
    if (compiledState.type === "Map") data.maxConcurrency = rec.mapFields.MaxConcurrency ?? 0;
    if (rec.mapFields.ToleratedFailureCount !== undefined) data.toleratedFailureCount = rec.mapFields.ToleratedFailureCount;
    if (rec.mapFields.ToleratedFailurePercentage !== undefined) data.toleratedFailurePercentage = rec.mapFields.ToleratedFailurePercentage;
    if (Object.keys(frame.variables).length > 0) data.variables = JSON.stringify(frame.variables);
    if (response.errorDetails) data.errorDetails = response.errorDetails;
    response.out.inspectionData = data;
  }
  return response.out;
}

async function runOnce(
  ec: EvalContext,
  state: CompiledState,
  retryCount: number,
  exec: Execution,
  input: Json,
  inputText: string
): Promise<{ out: TestStateResponse; errorDetails?: InspectionErrorDetails }> {
  let err: StatesError;
  try {
    const outcome = await state.run(ec);
    if (outcome instanceof TaskFailure) throw outcome;
    ec.checkSize(outcome.output);
    const out: TestStateResponse = {
      status: "SUCCEEDED",
      output: outcome.output === input ? inputText : JSON.stringify(outcome.output),
    };
    if (outcome.next !== undefined) out.nextState = outcome.next;
    return { out };
  } catch (raw) {
    if (raw instanceof ExecutionStop) {
      return {
        out: {
          status: "FAILED",
          error: "States.Timeout",
          cause: "The state did not finish within TestState's five minutes.",
        },
      };
    }
    err = ec.asStatesError(raw);
  }
  const failed = {
    error: err.error,
    ...(err.causeText !== undefined ? { cause: err.causeText } : {}),
  };
  if (state.recovers) {
    const ri = state.retry.findIndex((r) => errorMatches(r.ErrorEquals, err.error));
    if (ri >= 0 && retryCount < (state.retry[ri].MaxAttempts ?? 3)) {
      const seconds = Math.round(retryDelayMs(state.retry[ri], retryCount, exec.setup.random) / 1000);
      return {
        out: { status: "RETRIABLE", ...failed },
        errorDetails: { retryIndex: ri, retryBackoffIntervalSeconds: seconds },
      };
    }
    const ci = state.catch.findIndex((c) => errorMatches(c.ErrorEquals, err.error));
    // Retries spent and nothing catches: FAILED, naming the retrier (as AWS records it).
    if (ri >= 0 && ci < 0)
      return {
        out: { status: "FAILED", ...failed },
        errorDetails: { retryIndex: ri },
      };
    if (ci >= 0) {
      const catcher: Catcher = state.catch[ci];
      try {
        const output = await ec.caught(catcher, err);
        ec.checkSize(output);
        return {
          out: {
            status: "CAUGHT_ERROR",
            output: JSON.stringify(output),
            ...failed,
            nextState: catcher.Next,
          },
          errorDetails: { catchIndex: ci },
        };
      } catch (raw) {
        if (raw instanceof ExecutionStop) throw raw;
        const e2 = ec.asStatesError(raw);
        return {
          out: {
            status: "FAILED",
            error: e2.error,
            ...(e2.causeText !== undefined ? { cause: e2.causeText } : {}),
          },
        };
      }
    }
  }
  return { out: { status: "FAILED", ...failed } };
}

/** A mocked Map or Parallel: its branches do not run; the mock is its result (or its error). */
function mockedComposite(mock: { result: Json } | { error: StatesError }, failureCount: number | undefined, readerData: Json[] | undefined) {
  return async (ec: EvalContext) => {
    const ql = ec.ql;
    const effective = ql.effectiveInput(ec);
    if (ec.state.type === "Parallel") {
      const params = ec.def[ql.parametersField];
      if (params !== undefined) await ql.payload(ec, params, effective, ql.parametersField);
    }
    if (ec.state.type === "Map") {
      const d = ec.def;
      // What the Map would hand its iterations (shown at DEBUG), though the mock replaces them.
      const items = d.ItemReader === undefined ? await ql.mapItems(ec, effective) : readerData;
      const selectorField =
        d.ItemSelector !== undefined ? "ItemSelector" : ql.parametersField === "Parameters" && d.Parameters !== undefined ? "Parameters" : undefined;
      if (selectorField !== undefined && items !== undefined) {
        const base = ec.context;
        for (let i = 0; i < items.length; i++) {
          await ql.payload(ec, d[selectorField], effective, selectorField, {
            Execution: base.Execution,
            StateMachine: base.StateMachine,
            State: base.State,
            Map: { Item: { Index: i, Value: items[i] } },
          });
        }
      }
      await ql.field(ec, d, "MaxConcurrency", effective);
      const count = (await ql.field(ec, d, "ToleratedFailureCount", effective))?.value;
      const percentage = (await ql.field(ec, d, "ToleratedFailurePercentage", effective))?.value;
      // A mocked error wins; without a tolerance the count is not checked (both as AWS records them).
      if (failureCount !== undefined && failureCount > 0 && !("error" in mock)) {
        const overCount = count !== undefined && failureCount > count;
        const overPercentage = percentage !== undefined && items !== undefined && items.length > 0 && (failureCount * 100) / items.length > percentage;
        if (overCount || overPercentage) {
          throw new StatesError("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
        }
      }
    }
    if ("error" in mock) throw mock.error;
    const output = ql.output(ec, mock.result, true);
    return ec.done(output instanceof Promise ? await output : output);
  };
}

const MAP_FIELDS = ["MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage"];

interface Recorded {
  itemSelector?: Json[];
  mapFields: Record<string, number>;
  afterInputPath?: string;
  afterParameters?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  afterItemsPath?: string;
}

/** The state's query language, noting each intermediate value as TestState's inspectionData reports it. */
class RecordingLanguage implements QueryLanguage {
  readonly name: QueryLanguage["name"];
  readonly parametersField: QueryLanguage["parametersField"];
  readonly taskSendsInputByDefault: boolean;
  constructor(private readonly inner: QueryLanguage, private readonly rec: Recorded) {
    this.name = inner.name;
    this.parametersField = inner.parametersField;
    this.taskSendsInputByDefault = inner.taskSendsInputByDefault;
  }
  effectiveInput(ec: EvalContext): Json {
    const v = this.inner.effectiveInput(ec);
    if (this.name === "JSONPath" && this.rec.afterInputPath === undefined) this.rec.afterInputPath = JSON.stringify(v);
    return v;
  }
  payload(ec: EvalContext, value: Json, effective: Json, field: string, context?: Json): Json {
    const v = this.inner.payload(ec, value, effective, field, context);
    if (ec.state.type === "Map" && context !== undefined) {
      // ItemSelector (or a JSONPath Map's Parameters): one input per item.
      const items = (this.rec.itemSelector ??= []);
      return v instanceof Promise ? v.then((x) => (items.push(x), x)) : (items.push(v), v);
    }
    if (field === this.parametersField && context === undefined) {
      return v instanceof Promise ? v.then((x) => ((this.rec.afterParameters = JSON.stringify(x)), x)) : ((this.rec.afterParameters = JSON.stringify(v)), v);
    }
    return v;
  }
  field(ec: EvalContext, holder: Record<string, Json>, field: string, effective: Json): FieldValue | undefined | Promise<FieldValue | undefined> {
    const v = this.inner.field(ec, holder, field, effective);
    if (ec.state.type === "Map" && MAP_FIELDS.includes(field)) {
      const note = (f: FieldValue | undefined): FieldValue | undefined => {
        if (f !== undefined && typeof f.value === "number") this.rec.mapFields[field] = f.value;
        return f;
      };
      return v instanceof Promise ? v.then(note) : note(v);
    }
    return v;
  }
  output(ec: EvalContext, result: Json, hasResult: boolean): Json {
    if (hasResult) this.rec.result = JSON.stringify(result);
    if (this.name === "JSONPath" && hasResult) {
      const d = ec.def;
      // Side-effect free: the same evaluations the state's own output processing makes next.
      try {
        const selected = d.ResultSelector !== undefined ? ec.template(d.ResultSelector, JSON.parse(this.rec.result ?? "null"), "ResultSelector") : undefined;
        this.rec.afterResultSelector = selected !== undefined ? JSON.stringify(selected) : this.rec.result;
        const base = selected !== undefined ? selected : JSON.parse(this.rec.result ?? "null");
        this.rec.afterResultPath = JSON.stringify(
          applyResultPath(ec.input, d.ResultPath, base, {
            state: ec.state.name,
            enteredEventId: ec.enteredId,
          })
        );
      } catch {
        // The state's own processing raises the error below, with AWS's wording.
      }
    }
    return this.inner.output(ec, result, hasResult);
  }
  passThrough(ec: EvalContext, effective: Json, source: { Assign?: Json; Output?: Json }): Json {
    return this.inner.passThrough(ec, effective, source);
  }
  catchOutput(ec: EvalContext, catcher: Catcher, errorOutput: Record<string, Json>): Json {
    return this.inner.catchOutput(ec, catcher, errorOutput);
  }
  matchChoice(ec: EvalContext, effective: Json) {
    return this.inner.matchChoice(ec, effective);
  }
  failFields(ec: EvalContext) {
    return this.inner.failFields(ec);
  }
  mapItems(ec: EvalContext, effective: Json): Json {
    const v = this.inner.mapItems(ec, effective);
    if (this.name === "JSONPath" && ec.def.ItemsPath !== undefined) {
      return v instanceof Promise ? v.then((x) => ((this.rec.afterItemsPath = JSON.stringify(x)), x)) : ((this.rec.afterItemsPath = JSON.stringify(v)), v);
    }
    return v;
  }
  waitUntil(ec: EvalContext, effective: Json) {
    return this.inner.waitUntil(ec, effective);
  }
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

function mergeContext(base: Record<string, Json>, override: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...base };
  for (const k of Object.keys(override)) {
    const b = base[k];
    const o = override[k];
    out[k] = b && o && typeof b === "object" && typeof o === "object" && !Array.isArray(b) && !Array.isArray(o) ? { ...b, ...o } : o;
  }
  return out;
}

function short(v: Json): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ---------------------------------------------------------------------------
// `sfn-workflows test-state` (src/cli/commands/test-state.ts parses the flags and reads the files).

export interface WorkflowTestStateArgs {
  readonly workflow: string;
  readonly state: string;
  readonly input: Json;
  readonly mock?: Json;
  readonly variables?: Json;
  readonly context?: Json;
  readonly stateConfiguration?: Json;
  readonly inspectionLevel?: InspectionLevel;
  readonly stage?: string;
  readonly cwd?: string;
}

/** One state of a catalogued workflow, rendered for a stage, with its real handlers. */
export async function testWorkflowState(args: WorkflowTestStateArgs): Promise<TestStateResponse> {
  const { prepareWorkflow } = await import("./index");
  const prepared = await prepareWorkflow(args.workflow, { stage: args.stage, cwd: args.cwd });
  let mock = args.mock;
  // The API's mock.result is a JSON string; on the command line a JSON value is accepted too.
  if (mock && typeof mock === "object" && mock.result !== undefined && typeof mock.result !== "string") mock = { ...mock, result: JSON.stringify(mock.result) };
  return testState(
    {
      definition: prepared.definition,
      stateName: args.state,
      input: JSON.stringify(args.input),
      mock,
      variables: args.variables === undefined ? undefined : JSON.stringify(args.variables),
      context: args.context === undefined ? undefined : JSON.stringify(args.context),
      stateConfiguration: args.stateConfiguration,
      inspectionLevel: args.inspectionLevel,
    },
    { resolveHandler: prepared.resolveHandler, region: prepared.region, stateMachineName: prepared.stateMachineName }
  );
}

/** The response for people: status, next state, output or error, and the inspection data one step per line. */
export function formatTestState(r: TestStateResponse): string {
  const lines = [`Status:     ${r.status}`];
  if (r.nextState !== undefined) lines.push(`Next state: ${r.nextState}`);
  if (r.error !== undefined) lines.push(`Error:      ${r.error}`);
  if (r.cause !== undefined) lines.push(`Cause:      ${r.cause}`);
  if (r.output !== undefined) lines.push(`Output:     ${r.output}`);
  const d = r.inspectionData;
  if (d) {
    lines.push("", "Inspection data:");
    for (const [k, v] of Object.entries(d)) lines.push(`  ${k.padEnd(20)} ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return lines.join("\n");
}
