/**
 * JSONPath mode: InputPath -> Parameters -> (work) -> ResultSelector ->
 * ResultPath -> OutputPath, `.$` templates, `...Path` fields and Choice rules.
 * Assign is evaluated on the result (after ResultSelector; the error output in
 * a Catch) with the variables as they were before the state.
 */
import { StatesError } from "./errors";
import type { EvalContext } from "./eval-context";
import type { FailFields, FieldValue, QueryLanguage } from "./query";
import type { Catcher } from "./retry";
import { applyResultPath } from "./jsonpath";
import { evaluateChoiceRule } from "./choice";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { parseAwsTimestamp } from "./fields";

type Json = any;

const pathFields = new Map<string, string>();
/** `TimeoutSeconds` -> `TimeoutSecondsPath`, built once per name (a string built per call must be hashed per lookup). */
function pathFieldOf(field: string): string {
  let name = pathFields.get(field);
  if (name === undefined) pathFields.set(field, (name = `${field}Path`));
  return name;
}

/** A field given literally; its text (for messages) is written only if a message needs it. */
class LiteralField implements FieldValue {
  readonly from = "literal" as const;
  constructor(readonly value: Json) {}
  get text(): string {
    return JSON.stringify(this.value);
  }
}

export class JsonPathLanguage implements QueryLanguage {
  readonly name = "JSONPath" as const;
  readonly parametersField = "Parameters" as const;
  readonly taskSendsInputByDefault = true;

  effectiveInput(ec: EvalContext): Json {
    return ec.filterPath(ec.input, ec.def.InputPath, "InputPath");
  }

  payload(ec: EvalContext, value: Json, effective: Json, field: string, context?: Json): Json {
    return ec.template(value, effective, field, context);
  }

  field(ec: EvalContext, holder: Record<string, Json>, field: string, effective: Json): FieldValue | undefined {
    const pathField = pathFieldOf(field);
    const path = holder[pathField];
    if (path !== undefined) return { value: ec.path(path, effective, pathField), from: "path", text: path };
    const value = holder[field];
    return value === undefined ? undefined : new LiteralField(value);
  }

  output(ec: EvalContext, result: Json): Json {
    const d = ec.def;
    if (d.ResultSelector !== undefined) result = ec.template(d.ResultSelector, result, "ResultSelector");
    const assigned = d.Assign !== undefined ? ec.template(d.Assign, result, "Assign") : undefined;
    let output = applyResultPath(ec.input, d.ResultPath, result, { state: ec.state.name, enteredEventId: ec.enteredId });
    output = ec.filterPath(output, d.OutputPath, "OutputPath");
    ec.assign(assigned);
    return output;
  }

  passThrough(ec: EvalContext, effective: Json, source: { Assign?: Json }): Json {
    const assigned = source.Assign !== undefined ? ec.template(source.Assign, effective, "Assign") : undefined;
    const output = ec.filterPath(effective, ec.def.OutputPath, "OutputPath");
    ec.assign(assigned);
    return output;
  }

  catchOutput(ec: EvalContext, catcher: Catcher, errorOutput: Record<string, Json>): Json {
    const assigned = catcher.Assign !== undefined ? ec.template(catcher.Assign, errorOutput, "Assign") : undefined;
    const output = applyResultPath(ec.input, catcher.ResultPath, errorOutput, { state: ec.state.name, enteredEventId: ec.enteredId });
    ec.assign(assigned);
    return output;
  }

  matchChoice(ec: EvalContext, effective: Json): Record<string, Json> | undefined {
    const scope = ec.scope(effective);
    const where = { state: ec.state.name, enteredEventId: ec.enteredId };
    for (const rule of ec.def.Choices) if (evaluateChoiceRule(rule, scope, where)) return rule;
    return undefined;
  }

  failFields(ec: EvalContext): FailFields {
    const d = ec.def;
    // ErrorPath / CausePath take a path or an intrinsic function (e.g. States.Format).
    const read = (text: string, field: string) =>
      isIntrinsic(text) ? evaluateIntrinsic(text, ec.scope(ec.input), ec.where(field)) : ec.path(text, ec.input, field);
    return {
      error: d.ErrorPath !== undefined ? read(d.ErrorPath, "ErrorPath") : d.Error,
      cause: d.CausePath !== undefined ? read(d.CausePath, "CausePath") : d.Cause,
    };
  }

  mapItems(ec: EvalContext, effective: Json): Json[] {
    const d = ec.def;
    const items = d.ItemsPath !== undefined ? ec.path(d.ItemsPath, effective, "ItemsPath") : effective;
    if (!Array.isArray(items)) {
      throw new StatesError("States.Runtime", `Map state input must be an array but was: ${JSON.stringify(items)}${d.ItemsPath !== undefined ? ` (ItemsPath ${d.ItemsPath})` : ""}`);
    }
    return items;
  }

  waitUntil(ec: EvalContext, effective: Json): number {
    const d = ec.def;
    const now = ec.frame.time.now();
    if (d.Seconds !== undefined) return now + d.Seconds * 1000;
    if (d.Timestamp !== undefined) {
      const ms = parseAwsTimestamp(d.Timestamp);
      if (ms === undefined) throw new StatesError("States.Runtime", `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${d.Timestamp}`);
      return ms;
    }
    if (d.SecondsPath !== undefined) {
      const s = ec.path(d.SecondsPath, effective, "SecondsPath");
      if (typeof s !== "number" || !Number.isInteger(s)) {
        throw new StatesError("States.Runtime", `The SecondsPath parameter cannot be parsed as a long value: ${d.SecondsPath} == ${JSON.stringify(s)}`);
      }
      if (s < 0) throw new StatesError("States.Runtime", `The SecondsPath parameter references a negative value: ${d.SecondsPath} == ${s}`);
      return now + s * 1000;
    }
    if (d.TimestampPath !== undefined) {
      const t = ec.path(d.TimestampPath, effective, "TimestampPath");
      const ms = typeof t === "string" ? parseAwsTimestamp(t) : undefined;
      if (ms === undefined) {
        throw new StatesError(
          "States.Runtime",
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${d.TimestampPath} == ${typeof t === "string" ? t : JSON.stringify(t)}`,
        );
      }
      return ms;
    }
    throw new StatesError("States.Runtime", `not supported by the local executor: a Wait state without Seconds, Timestamp, SecondsPath or TimestampPath at ${ec.state.path}`);
  }
}
