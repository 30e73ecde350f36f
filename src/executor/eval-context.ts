/**
 * One attempt of one state: the state, its input, its frame (variables,
 * history cursor, clock), its context object and the id of its `...Entered`
 * event, with the operations every state type needs (paths, payload
 * templates, JSONata, Assign, size checks, error wording). State handlers
 * receive one of these instead of threading five arguments through.
 */
import { StatesError } from "./errors";
import { EvalScope, evaluatePath } from "./jsonpath";
import { resolvePayloadTemplate } from "./payload";
import { evaluateJsonataValue, JsonataBindings } from "./jsonata";
import { checkPayload, cloneChecked, cloneJson, lastVerdict, setKey } from "./json";
import type { Catcher } from "./retry";
import type { CompiledState, StateOutcome } from "./compile";
import { Execution, Frame, toStatesError } from "./execution";

type Json = any;

export class EvalContext {
  #context: Json = undefined;
  /** The scope of paths read from the state's input, made on first use. */
  #inputScope: Scope | undefined = undefined;
  /** One `where` for synchronous evaluations, its field set per call (messages are built when thrown, so reuse is safe). */
  #where: { field: string; state: string; enteredEventId: number } | undefined = undefined;

  constructor(
    readonly exec: Execution,
    readonly state: CompiledState,
    readonly input: Json,
    readonly frame: Frame,
    readonly enteredMs: number,
    readonly retryCount: number,
    readonly enteredId: number,
  ) {}

  /** The context object (`$$` / `$states.context`), built on first use: most states never read it. */
  get context(): Json {
    return (this.#context ??= this.exec.contextObject(this.state, this.frame, this.enteredMs, this.retryCount));
  }

  set context(value: Json) {
    this.#context = value;
  }

  get def(): Record<string, Json> {
    return this.state.def;
  }

  get ql() {
    return this.state.ql;
  }

  where(field: string): { field: string; state: string; enteredEventId: number } {
    return { field, state: this.state.name, enteredEventId: this.enteredId };
  }

  scope(input: Json, context?: Json): EvalScope {
    if (input === this.input && context === undefined) return (this.#inputScope ??= new Scope(this, input, undefined));
    return new Scope(this, input, context);
  }

  /** `where(field)` for an evaluation that finishes before the next one starts (JSONPath: synchronous). */
  private syncWhere(field: string): { field: string; state: string; enteredEventId: number } {
    const w = (this.#where ??= this.where(field));
    w.field = field;
    return w;
  }

  /** A JSONPath (`$.x`, `$$.x`, `$var`) read from `input`. */
  path(path: string, input: Json, field: string): Json {
    return evaluatePath(path, this.scope(input), this.syncWhere(field));
  }

  /** InputPath / OutputPath: null gives `{}`, absent or `$` gives the value itself. */
  filterPath(value: Json, path: string | null | undefined, field: string): Json {
    if (path === undefined || path === "$") return value;
    if (path === null) return {};
    return this.path(path, value, field);
  }

  /** A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign). */
  template(template: Json, input: Json, field: string, context?: Json): Json {
    return resolvePayloadTemplate(template, this.scope(input, context), this.syncWhere(field));
  }

  /** `$states` and the variables, as JSONata expressions see them. */
  bindings(extra?: { result?: Json; errorOutput?: Json }, context: Json = this.context): JsonataBindings {
    const states: JsonataBindings["states"] = { input: this.input, context };
    if (extra?.result !== undefined) states.result = extra.result;
    if (extra?.errorOutput !== undefined) states.errorOutput = extra.errorOutput;
    return { states, variables: this.frame.variables };
  }

  /** Resolves every `{% %}` in value. */
  jsonata(value: Json, field: string, bindings: JsonataBindings = this.bindings(), functionAllowed = false): Promise<Json> {
    return evaluateJsonataValue(value, bindings, this.where(field), functionAllowed);
  }

  /** JSONata Assign: every variable evaluated against the variables as they were before the state. */
  async jsonataAssign(assign: Json, bindings: JsonataBindings, field = "Assign"): Promise<Record<string, Json>> {
    if (!assign || typeof assign !== "object" || Array.isArray(assign)) {
      throw new StatesError("States.QueryEvaluationError", `The field '${field}' must be an object of variable names. Received: ${JSON.stringify(assign)}`);
    }
    const out: Record<string, Json> = {};
    for (const name of Object.keys(assign)) {
      setKey(out, name, await this.jsonata(assign[name], `${field}/${name}`, bindings));
    }
    return out;
  }

  /** Applies assignments after the state (they never see each other). */
  assign(vars: Record<string, Json> | undefined): void {
    if (!vars) return;
    for (const name of Object.keys(vars)) setKey(this.frame.variables, name, vars[name]);
  }

  /** The outcome that continues with the state's Next (or ends its scope). */
  done(output: Json): StateOutcome {
    return { output, next: this.state.end ? undefined : this.state.next };
  }

  /** A Catch: the error output through the catcher's Assign and ResultPath/Output. */
  caught(catcher: Catcher, err: StatesError): Promise<Json> | Json {
    const errorOutput: Record<string, Json> = { Error: err.error };
    if (err.causeText !== undefined) errorOutput.Cause = err.causeText;
    return this.ql.catchOutput(this, catcher, errorOutput);
  }

  /** A value this attempt already measured (a Lambda result): its size need not be walked again. */
  measured: Json = undefined;

  /** 256 KiB on a state's input, output and each evaluated result (States.DataLimitExceeded). */
  checkSize(value: Json): void {
    // The state's own input was checked as the previous state's output (or as the execution input).
    if (value === this.input || (value === this.measured && value !== undefined)) return;
    const verdict = checkPayload(value);
    if (verdict !== "ok") throw this.sizeError(verdict);
  }

  /** checkSize and a private JSON copy of the value in one pass: a Lambda function's event is both checked and copied. */
  checkedCopy(value: Json): Json {
    if (value === this.input || (value === this.measured && value !== undefined)) return cloneJson(value);
    const copy = cloneChecked(value);
    if (lastVerdict.verdict !== "ok") throw this.sizeError(lastVerdict.verdict);
    return copy;
  }

  private sizeError(verdict: "too-large" | "too-deep"): StatesError {
    if (verdict === "too-deep") {
      return new StatesError("States.Runtime", `The data is nested more than 1000 levels deep, more than the local executor supports; flatten it.`);
    }
    return dataLimitExceeded(this.state.name);
  }

  asStatesError(raw: unknown): StatesError {
    return toStatesError(raw, this.state, this.enteredId);
  }
}

/** Paths' view of a state: `$` is `input`; `$$`, the context object, is built only if a path reads it. */
class Scope implements EvalScope {
  constructor(
    private readonly ec: EvalContext,
    readonly input: Json,
    private readonly contextOverride: Json,
  ) {}
  get context(): Json {
    return this.contextOverride ?? this.ec.context;
  }
  get variables(): Record<string, Json> {
    return this.ec.frame.variables;
  }
}


/** `f(value)`, after `value` settles if it is a promise: JSONPath states stay synchronous (no microtask per step), JSONata ones await. */
export function then<T, R>(value: T | Promise<T>, f: (v: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** AWS's wording (recorded) when a state's result is over 256 KiB. */
export function dataLimitExceeded(name: string): StatesError {
  return new StatesError("States.DataLimitExceeded", `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
}
