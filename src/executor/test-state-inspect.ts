/**
 * TestState's inspection data: the state's query language wrapped so that it
 * notes each intermediate value (after InputPath, Parameters, the result,
 * ResultSelector, ResultPath; a Map's items and fields) as the API reports
 * them, and the mocked Map or Parallel whose branches do not run.
 */
import { StatesError } from "./errors";
import type { EvalContext } from "./eval-context";
import type { CompiledState } from "./compile";
import type { Frame } from "./execution";
import { applyResultPath } from "./jsonpath";
import type { FieldValue, QueryLanguage } from "./query";
import type { Catcher } from "./retry";
import type { MockValue } from "./test-state-request";

type Json = any;

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

/** A mocked Map or Parallel: its branches do not run; the mock is its result (or its error). */
export function mockedComposite(mock: MockValue, failureCount: number | undefined, readerData: Json[] | undefined) {
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

export interface Recorded {
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
export class RecordingLanguage implements QueryLanguage {
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

/** The inspection data (DEBUG and TRACE) of one run: what the recording language noted, the variables after the state, the error details. */
export function inspectionData(
  rec: Recorded,
  inputText: string,
  ql: "JSONPath" | "JSONata",
  compiledState: CompiledState,
  frame: Frame,
  errorDetails: InspectionErrorDetails | undefined,
): InspectionData {
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
  if (errorDetails) data.errorDetails = errorDetails;
  return data;
}
