/**
 * JSONata mode: `Arguments`, `Output`, `Assign`, `Condition`, `Items` and
 * numeric fields as `{% %}` expressions over `$states.input/result/
 * errorOutput/context` and the variables.
 */
import { StatesError } from "./errors";
import type { EvalContext } from "./eval-context";
import type { FailFields, FieldValue, QueryLanguage } from "./query";
import type { Catcher } from "./retry";
import { exprText, isJsonataExpr, jsonType, parseAwsTimestamp } from "./fields";

type Json = any;

/** AWS's wording when a field's expression returns the wrong type (recorded). */
export function unexpectedType(field: string, expression: Json, expected: string, value: Json): StatesError {
  const shown = typeof value === "function" ? "function" : jsonType(value);
  const text = typeof value === "function" ? "function" : JSON.stringify(value);
  return new StatesError(
    "States.QueryEvaluationError",
    `The JSONata expression '${exprText(expression)}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${shown}' for value: ${text}`,
  );
}

export class JsonataLanguage implements QueryLanguage {
  readonly name = "JSONata" as const;
  readonly parametersField = "Arguments" as const;
  readonly taskSendsInputByDefault = false;

  effectiveInput(ec: EvalContext): Json {
    return ec.input;
  }

  payload(ec: EvalContext, value: Json, _effective: Json, field: string, context?: Json): Promise<Json> {
    return ec.jsonata(value, field, ec.bindings(undefined, context));
  }

  async field(ec: EvalContext, holder: Record<string, Json>, field: string): Promise<FieldValue | undefined> {
    const raw = holder[field];
    if (raw === undefined) return undefined;
    if (typeof raw === "string" && isJsonataExpr(raw)) return { value: await ec.jsonata(raw, field), from: "expression", text: exprText(raw) };
    return { value: raw, from: "literal", text: JSON.stringify(raw) };
  }

  async output(ec: EvalContext, result: Json, hasResult: boolean): Promise<Json> {
    const d = ec.def;
    const bindings = hasResult ? ec.bindings({ result }) : ec.bindings();
    const assigned = d.Assign !== undefined ? await ec.jsonataAssign(d.Assign, bindings) : undefined;
    const output = d.Output !== undefined ? await ec.jsonata(d.Output, "Output", bindings) : hasResult ? result : ec.input;
    ec.assign(assigned);
    return output;
  }

  async passThrough(ec: EvalContext, _effective: Json, source: { Assign?: Json; Output?: Json }): Promise<Json> {
    const bindings = ec.bindings();
    const assigned = source.Assign !== undefined ? await ec.jsonataAssign(source.Assign, bindings) : undefined;
    const output = source.Output !== undefined ? await ec.jsonata(source.Output, "Output", bindings) : ec.input;
    ec.assign(assigned);
    return output;
  }

  async catchOutput(ec: EvalContext, catcher: Catcher, errorOutput: Record<string, Json>): Promise<Json> {
    const bindings = ec.bindings({ errorOutput });
    const assigned = catcher.Assign !== undefined ? await ec.jsonataAssign(catcher.Assign, bindings, "Catch/Assign") : undefined;
    const output = catcher.Output === undefined ? errorOutput : await ec.jsonata(catcher.Output, "Output", bindings);
    ec.assign(assigned);
    return output;
  }

  async matchChoice(ec: EvalContext): Promise<Record<string, Json> | undefined> {
    const choices: Record<string, Json>[] = ec.def.Choices;
    const bindings = ec.bindings();
    for (let i = 0; i < choices.length; i++) {
      const rule = choices[i];
      if (rule.Condition === undefined) throw new StatesError("States.QueryEvaluationError", `Choices[${i}] of a JSONata Choice state needs a Condition.`);
      const v = await ec.jsonata(rule.Condition, "Condition", bindings);
      if (typeof v !== "boolean") throw unexpectedType("Condition", rule.Condition, "boolean", v);
      if (v) return rule;
    }
    return undefined;
  }

  async failFields(ec: EvalContext): Promise<FailFields> {
    const d = ec.def;
    return {
      error: typeof d.Error === "string" ? await ec.jsonata(d.Error, "Error") : d.Error,
      cause: typeof d.Cause === "string" ? await ec.jsonata(d.Cause, "Cause") : d.Cause,
    };
  }

  async mapItems(ec: EvalContext): Promise<Json[]> {
    const d = ec.def;
    if (d.Items === undefined) {
      if (!Array.isArray(ec.input)) throw new StatesError("States.QueryEvaluationError", `Map state input must be an array but was: ${JSON.stringify(ec.input)}`);
      return ec.input;
    }
    const items = await ec.jsonata(d.Items, "Items", ec.bindings(), true);
    if (!Array.isArray(items)) throw unexpectedType("Items", d.Items, "array", items);
    return items;
  }

  async waitUntil(ec: EvalContext): Promise<number> {
    const d = ec.def;
    if (d.Seconds !== undefined) {
      const s = typeof d.Seconds === "string" ? await ec.jsonata(d.Seconds, "Seconds") : d.Seconds;
      if (typeof s !== "number" || !Number.isInteger(s) || s < 0) throw unexpectedType("Seconds", d.Seconds, "integer", s);
      return ec.frame.time.now() + s * 1000;
    }
    if (d.Timestamp !== undefined) {
      const t = isJsonataExpr(d.Timestamp) ? await ec.jsonata(d.Timestamp, "Timestamp") : d.Timestamp;
      const ms = typeof t === "string" ? parseAwsTimestamp(t) : undefined;
      if (ms === undefined) {
        throw new StatesError("States.QueryEvaluationError", `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof t === "string" ? t : JSON.stringify(t)}`);
      }
      return ms;
    }
    throw new StatesError("States.Runtime", `not supported by the local executor: a Wait state without Seconds or Timestamp at ${ec.state.path}`);
  }
}
