/**
 * The two query languages of Amazon States Language behind one interface:
 * how a state reads its input, its parameters, its numeric fields and its
 * Choice rules, and how its result becomes its output. A state's language is
 * chosen once, at compile time (compile.ts); state handlers call the
 * interface and never ask which language they run in.
 */
import type { EvalContext } from "./eval-context";
import type { Catcher } from "./retry";
import { JsonPathLanguage } from "./query-jsonpath";
import { JsonataLanguage } from "./query-jsonata";

type Json = any;

/** A field's value and where it came from (AWS words its errors after the source). */
export interface FieldValue {
  readonly value: Json;
  /** `literal` (the field itself), `path` (its `...Path` twin) or `expression` (a JSONata `{% %}`). */
  readonly from: "literal" | "path" | "expression";
  /** The path or expression text, for messages. */
  readonly text: string;
}

export interface FailFields {
  readonly error: Json;
  readonly cause: Json;
}

export interface QueryLanguage {
  readonly name: "JSONPath" | "JSONata";
  /** The field holding parameters: `Parameters` (JSONPath) or `Arguments` (JSONata). */
  readonly parametersField: "Parameters" | "Arguments";
  /** What a Task without parameters sends: its effective input (JSONPath) or nothing (JSONata). */
  readonly taskSendsInputByDefault: boolean;
  /** The value a state's fields read from: InputPath applied (JSONPath), or the input (JSONata). */
  effectiveInput(ec: EvalContext): Json;
  /** A payload field (Parameters, Arguments, ItemSelector, BatchInput) resolved against `effective` (and `context`, for Map items). */
  payload(ec: EvalContext, value: Json, effective: Json, field: string, context?: Json): Json | Promise<Json>;
  /** A field given literally, through its `...Path` twin (JSONPath) or as `{% %}` (JSONata); undefined when absent. */
  field(ec: EvalContext, holder: Record<string, Json>, field: string, effective: Json): FieldValue | undefined | Promise<FieldValue | undefined>;
  /** Task, Parallel, Map and Pass: the result through ResultSelector/Assign/ResultPath/OutputPath, or Assign/Output. */
  output(ec: EvalContext, result: Json, hasResult: boolean): Json | Promise<Json>;
  /** Choice, Wait, Succeed: Assign and the output of a state without a result. */
  passThrough(ec: EvalContext, effective: Json, source: { Assign?: Json; Output?: Json }): Json | Promise<Json>;
  /** A Catch: its Assign and ResultPath (JSONPath) or Output (JSONata) on the error output. */
  catchOutput(ec: EvalContext, catcher: Catcher, errorOutput: Record<string, Json>): Json | Promise<Json>;
  /** Choice: the first rule that matches, or undefined. */
  matchChoice(ec: EvalContext, effective: Json): Record<string, Json> | undefined | Promise<Record<string, Json> | undefined>;
  /** Fail: its Error and Cause (literal, ErrorPath/CausePath or expressions). */
  failFields(ec: EvalContext): FailFields | Promise<FailFields>;
  /** Map: the items to iterate over. */
  mapItems(ec: EvalContext, effective: Json): Json[] | Promise<Json[]>;
  /** Wait: the time to wait until, in ms since the epoch. */
  waitUntil(ec: EvalContext, effective: Json): number | Promise<number>;
}

const languages = { JSONPath: new JsonPathLanguage(), JSONata: new JsonataLanguage() };

export function queryLanguage(name: "JSONPath" | "JSONata"): QueryLanguage {
  return languages[name];
}
