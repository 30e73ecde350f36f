/**
 * The interpreter: drives states the way Step Functions does (processing
 * order, Retry/Catch, Parallel/Map scopes, variables, context object,
 * history). Expressions (JSONPath, payload templates, Choice rules, JSONata)
 * are delegated to the expression layer; this file decides when and with
 * what they are evaluated.
 *
 * Speed matters (tests run thousands of executions): a definition is compiled
 * once (state lookups, per-state query language, validation) and cached per
 * definition object; payloads are passed by reference and only copied where
 * AWS's semantics copy them (ResultPath merges, Lambda's JSON boundary).
 */
import { StatesError, NotSupportedError } from "./errors";
import { ExpressionError, prefixStateCause } from "./expr-errors";
import { EvalScope, evaluatePath, applyResultPath } from "./jsonpath";
import { resolvePayloadTemplate } from "./payload";
import { evaluateChoiceRule } from "./choice";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { evaluateJsonataValue } from "./jsonata";
import { HistoryRecorder, EventCursor, LazyJson, enteredDetails, exitedDetails, payloadDetails } from "./history";
import { Timeline, isoTime } from "./clock";
import { Catcher, Retrier, errorMatches, retryDelayMs } from "./retry";
import {
  LambdaHandler,
  LambdaRuntimeStyle,
  MAX_PAYLOAD_BYTES,
  dataLimitExceeded,
  functionNotFound,
  invokeHandler,
  invokeResponse,
  parseFunctionRef,
} from "./lambda";
import { StateMock } from "./mocks";

type QueryLanguage = "JSONPath" | "JSONata";
type Json = any;

/** A definition that AWS would reject at CreateStateMachine: raised before any execution starts. */
export class InvalidDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidDefinitionError";
  }
}

/** The execution hit its own TimeoutSeconds. */
class ExecutionTimeout extends Error {}

interface CompiledState {
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
  readonly branches?: readonly CompiledMachine[];
  readonly processor?: CompiledMachine;
  /** `TaskStateEntered` etc., built once. */
  readonly enteredType: string;
  readonly exitedType: string;
}

interface CompiledMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
}

export interface CompiledDefinition {
  readonly root: CompiledMachine;
  readonly timeoutSeconds?: number;
}

const STATE_TYPES = new Set(["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);

/** Checks the basics AWS checks at create time and precomputes what each state needs. */
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

function compileMachine(machine: Record<string, Json>, ql: QueryLanguage, prefix: string): CompiledMachine {
  const where = prefix ? `"${prefix}"` : "the top level";
  if (typeof machine.StartAt !== "string") {
    throw new InvalidDefinitionError(`Definition: StartAt is missing at ${where}. Add "StartAt": "<first state name>".`);
  }
  if (!machine.States || typeof machine.States !== "object" || Array.isArray(machine.States)) {
    throw new InvalidDefinitionError(`Definition: States is missing at ${where}. Add a "States" object.`);
  }
  const names = new Set(Object.keys(machine.States));
  if (!names.has(machine.StartAt)) {
    throw new InvalidDefinitionError(
      `Definition: StartAt "${machine.StartAt}" at ${where} names no state. Known states: ${[...names].join(", ") || "none"}.`,
    );
  }
  const states = new Map<string, CompiledState>();
  for (const [name, def] of Object.entries(machine.States as Record<string, Record<string, Json>>)) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (!def || typeof def !== "object") throw new InvalidDefinitionError(`Definition: state "${path}" must be an object.`);
    if (!STATE_TYPES.has(def.Type)) {
      throw new InvalidDefinitionError(`Definition: state "${path}" has Type ${JSON.stringify(def.Type)}; expected one of ${[...STATE_TYPES].join(", ")}.`);
    }
    const stateQl: QueryLanguage = def.QueryLanguage ?? ql;
    if (stateQl !== "JSONPath" && stateQl !== "JSONata") {
      throw new InvalidDefinitionError(`Definition: state "${path}" has QueryLanguage ${JSON.stringify(stateQl)}; expected "JSONPath" or "JSONata".`);
    }
    const checkTarget = (target: unknown, field: string) => {
      if (typeof target !== "string" || !names.has(target)) {
        throw new InvalidDefinitionError(
          `Definition: state "${path}" ${field} ${JSON.stringify(target)} names no state in the same scope. Known states: ${[...names].join(", ")}.`,
        );
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
      ql: stateQl,
      path,
      next: def.Next,
      end: def.End === true,
      retry: Array.isArray(def.Retry) ? def.Retry : [],
      catch: catchers,
      branches,
      processor,
      enteredType: `${def.Type}StateEntered`,
      exitedType: `${def.Type}StateExited`,
    });
  }
  return { startAt: machine.StartAt, states };
}

/** Everything fixed for one execution. */
export interface ExecutionSetup {
  readonly compiled: CompiledDefinition;
  readonly input: Json;
  readonly history: HistoryRecorder;
  readonly timeline: Timeline;
  readonly executionContext: { Execution: Record<string, Json>; StateMachine: Record<string, Json> };
  readonly region: string;
  readonly accountId: string;
  readonly findLambda: (nameOrArn: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
  readonly mocks: Readonly<Record<string, StateMock>>;
  readonly lambdaRuntime: LambdaRuntimeStyle;
  readonly random: () => number;
  readonly taskTokenFactory: () => string;
  /** Whether `timeline` is the real clock. */
  readonly realTime: boolean;
}

/** One thread of control: the top level, a Parallel branch or a Map iteration. */
interface Frame {
  readonly variables: Record<string, Json>;
  readonly cursor: EventCursor;
  readonly time: Timeline;
  readonly mapItem?: { Index: number; Value: Json };
  /** Set when a sibling branch/iteration failed: this one stops at its next state, as AWS aborts it. */
  readonly abort?: AbortToken;
}

interface AbortToken {
  aborted: boolean;
  readonly parent?: AbortToken;
}

function isAborted(token: AbortToken | undefined): boolean {
  for (let t = token; t; t = t.parent) if (t.aborted) return true;
  return false;
}

/** A branch or iteration stopped because a sibling failed; never surfaces as the execution's error. */
class BranchAborted extends Error {}

interface StateOutcome {
  output: Json;
  next?: string;
}

export interface RawOutcome {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  output?: Json;
  error?: string;
  cause?: string;
}

/** Errors raised by a task or a Fail state keep their cause as is; evaluation errors get AWS's "while executing the state" prefix. */
const TASK_ERRORS = new WeakSet<object>();

export class Execution {
  private readonly deadline?: number;
  private readonly mockCalls = new Map<string, number>();

  constructor(private readonly setup: ExecutionSetup) {
    const t = setup.compiled.timeoutSeconds;
    if (t !== undefined) this.deadline = setup.timeline.now() + t * 1000;
  }

  async run(): Promise<RawOutcome> {
    const { history, timeline, input } = this.setup;
    const frame: Frame = { variables: {}, cursor: { lastEventId: 0 }, time: timeline };
    history.add(frame.cursor, timeline.now(), "ExecutionStarted", {
      ...payloadDetails("input", input),
      roleArn: this.setup.executionContext.Execution.RoleArn,
    });
    try {
      const output = await this.withExecutionDeadline(this.runMachine(this.setup.compiled.root, input, frame));
      history.add(frame.cursor, frame.time.now(), "ExecutionSucceeded", payloadDetails("output", output));
      history.close();
      return { status: "SUCCEEDED", output };
    } catch (err) {
      if (err instanceof ExecutionTimeout) {
        history.add(frame.cursor, frame.time.now(), "ExecutionTimedOut", {});
        history.close();
        return { status: "TIMED_OUT" };
      }
      if (err instanceof StatesError) {
        const details: Record<string, Json> = {};
        if (err.error !== undefined) details.error = err.error;
        if (err.causeText !== undefined) details.cause = err.causeText;
        history.add(frame.cursor, frame.time.now(), "ExecutionFailed", details);
        history.close();
        return { status: "FAILED", error: err.error, cause: err.causeText };
      }
      throw err;
    }
  }

  /**
   * On a real clock, the execution's TimeoutSeconds must also interrupt a
   * handler that hangs; on the virtual clock the deadline is checked at state
   * boundaries and in sleeps, where virtual time moves.
   */
  private withExecutionDeadline<T>(work: Promise<T>): Promise<T> {
    if (this.deadline === undefined || !this.setup.realTime) return work;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ExecutionTimeout()), Math.max(0, this.deadline! - Date.now()));
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  }

  private async runMachine(machine: CompiledMachine, input: Json, frame: Frame): Promise<Json> {
    let state = machine.states.get(machine.startAt)!;
    let current = input;
    for (;;) {
      this.checkDeadline(frame);
      if (frame.abort && isAborted(frame.abort)) throw new BranchAborted();
      const outcome = await this.runState(state, current, frame);
      current = outcome.output;
      if (outcome.next === undefined) return current;
      state = machine.states.get(outcome.next)!;
    }
  }

  private checkDeadline(frame: Frame): void {
    if (this.deadline !== undefined && frame.time.now() >= this.deadline) throw new ExecutionTimeout();
  }

  /** Sleeps on the frame's timeline, stopping at the execution deadline. */
  private async sleep(frame: Frame, ms: number): Promise<void> {
    if (this.deadline !== undefined && frame.time.now() + ms >= this.deadline) {
      await frame.time.sleep(this.deadline - frame.time.now());
      throw new ExecutionTimeout();
    }
    await frame.time.sleep(ms);
  }

  private context(state: CompiledState, frame: Frame, enteredTime: string, retryCount: number, extra?: Record<string, Json>): Json {
    const st: Record<string, Json> = state.type === "Task" ? { Name: state.name, EnteredTime: enteredTime, RetryCount: retryCount } : { Name: state.name, EnteredTime: enteredTime };
    const ec = this.setup.executionContext;
    const ctx: Record<string, Json> = { Execution: ec.Execution, StateMachine: ec.StateMachine, State: st };
    if (frame.mapItem) ctx.Map = { Item: frame.mapItem };
    if (extra) Object.assign(ctx, extra);
    return ctx;
  }

  private async runState(state: CompiledState, input: Json, frame: Frame): Promise<StateOutcome> {
    const { history } = this.setup;
    const enteredMs = frame.time.now();
    const enteredId = history.add(frame.cursor, enteredMs, state.enteredType, history.keep ? enteredDetails(state.name, input) : undefined);
    const enteredTime = isoTime(enteredMs);
    let retryCount = 0;
    let retrierAttempts: number[] | undefined;
    for (;;) {
      const ctx = this.context(state, frame, enteredTime, retryCount);
      try {
        const outcome = await this.executeState(state, input, frame, ctx, enteredId);
        history.add(frame.cursor, frame.time.now(), state.exitedType, history.keep ? exitedDetails(state.name, outcome.output) : undefined);
        return outcome;
      } catch (raw) {
        if (raw instanceof ExecutionTimeout) throw raw;
        const err = this.asStatesError(raw, state, enteredId);
        if (state.type !== "Task" && state.type !== "Parallel" && state.type !== "Map") throw err;
        // Retry first: the first retrier whose ErrorEquals matches decides.
        const ri = state.retry.findIndex((r) => errorMatches(r.ErrorEquals, err.error));
        if (ri >= 0) {
          const retrier = state.retry[ri];
          const max = retrier.MaxAttempts ?? 3;
          retrierAttempts ??= new Array<number>(state.retry.length).fill(0);
          if (retrierAttempts[ri] < max) {
            const delay = retryDelayMs(retrier, retrierAttempts[ri], this.setup.random);
            retrierAttempts[ri]++;
            retryCount++;
            await this.sleep(frame, delay);
            continue;
          }
        }
        const catcher = state.catch.find((c) => errorMatches(c.ErrorEquals, err.error));
        if (!catcher) throw err;
        return this.applyCatcher(state, catcher, err, input, frame, ctx, enteredId);
      }
    }
  }

  private asStatesError(raw: unknown, state: CompiledState, enteredId: number): StatesError {
    if (raw instanceof ExpressionError) {
      return raw.causeText?.startsWith("An error occurred while executing the state") ? raw : raw.withEnteredEventId(enteredId);
    }
    if (raw instanceof StatesError) {
      if (TASK_ERRORS.has(raw)) return raw;
      if ((raw.error === "States.Runtime" || raw.error === "States.QueryEvaluationError") && !raw.causeText?.startsWith("An error occurred while executing the state")) {
        return new StatesError(raw.error, prefixStateCause(state.name, enteredId, raw.causeText ?? ""));
      }
      return raw;
    }
    // A bug in the executor or the expression layer: fail the execution loudly, naming the state.
    const message = raw instanceof Error ? raw.message : String(raw);
    return new StatesError("States.Runtime", prefixStateCause(state.name, enteredId, `Internal error in the local executor: ${message}`));
  }

  private async applyCatcher(
    state: CompiledState,
    catcher: Catcher,
    err: StatesError,
    input: Json,
    frame: Frame,
    ctx: Json,
    enteredId: number,
  ): Promise<StateOutcome> {
    const errorOutput: Record<string, Json> = { Error: err.error };
    if (err.causeText !== undefined) errorOutput.Cause = err.causeText;
    let output: Json;
    let assigned: Record<string, Json> | undefined;
    try {
      if (state.ql === "JSONata") {
        const bindings = { states: { input, context: ctx, errorOutput }, variables: frame.variables };
        if (catcher.Assign !== undefined) assigned = await this.jsonataAssign(catcher.Assign, bindings, state, enteredId, "Catch/Assign");
        output = catcher.Output === undefined ? errorOutput : await this.jsonata(catcher.Output, bindings, state, enteredId, "Output");
      } else {
        if (catcher.Assign !== undefined) assigned = this.jsonPathAssign(catcher.Assign, errorOutput, ctx, frame, state, enteredId);
        output = applyResultPath(input, catcher.ResultPath, errorOutput, { state: state.name, enteredEventId: enteredId });
      }
    } catch (raw) {
      throw this.asStatesError(raw, state, enteredId);
    }
    if (assigned) Object.assign(frame.variables, assigned);
    this.setup.history.add(frame.cursor, frame.time.now(), state.exitedType, exitedDetails(state.name, output));
    return { output, next: catcher.Next };
  }

  // ---- expression helpers ---------------------------------------------------

  private scope(input: Json, ctx: Json, frame: Frame): EvalScope {
    return { input, context: ctx, variables: frame.variables };
  }

  private path(path: string, input: Json, ctx: Json, frame: Frame, field: string, state: CompiledState, enteredId: number): Json {
    return evaluatePath(path, this.scope(input, ctx, frame), { field, state: state.name, enteredEventId: enteredId });
  }

  /** InputPath / OutputPath: null gives `{}`, absent gives the value itself. */
  private filterPath(value: Json, path: string | null | undefined, field: string, ctx: Json, frame: Frame, state: CompiledState, enteredId: number): Json {
    if (path === undefined || path === "$") return value;
    if (path === null) return {};
    return this.path(path, value, ctx, frame, field, state, enteredId);
  }

  private template(template: Json, input: Json, ctx: Json, frame: Frame, field: string, state: CompiledState, enteredId: number): Json {
    return resolvePayloadTemplate(template, this.scope(input, ctx, frame), { field, state: state.name, enteredEventId: enteredId });
  }

  private jsonPathAssign(assign: Record<string, Json>, value: Json, ctx: Json, frame: Frame, state: CompiledState, enteredId: number): Record<string, Json> {
    return this.template(assign, value, ctx, frame, "Assign", state, enteredId) as Record<string, Json>;
  }

  private jsonata(value: Json, bindings: Json, state: CompiledState, enteredId: number, field: string): Promise<Json> {
    return evaluateJsonataValue(value, bindings, { field, state: state.name, enteredEventId: enteredId } as { field: string; state: string });
  }

  private async jsonataAssign(assign: Json, bindings: Json, state: CompiledState, enteredId: number, field = "Assign"): Promise<Record<string, Json>> {
    if (!assign || typeof assign !== "object" || Array.isArray(assign)) {
      throw new StatesError("States.QueryEvaluationError", `The field '${field}' must be an object of variable names. Received: ${JSON.stringify(assign)}`);
    }
    const out: Record<string, Json> = {};
    for (const [name, expr] of Object.entries(assign as Record<string, Json>)) {
      out[name] = await this.jsonata(expr, bindings, state, enteredId, `${field}/${name}`);
    }
    return out;
  }

  /** A number field that may be a JSONata expression (JSONata mode) or a literal. */
  private async numberField(state: CompiledState, field: string, input: Json, ctx: Json, frame: Frame, enteredId: number): Promise<number | undefined> {
    const raw = state.def[field];
    if (raw === undefined) return undefined;
    if (state.ql === "JSONata" && typeof raw === "string") {
      const v = await this.jsonata(raw, { states: { input, context: ctx }, variables: frame.variables }, state, enteredId, field);
      return v as number;
    }
    return raw as number;
  }

  // ---- states ---------------------------------------------------------------

  private executeState(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> | StateOutcome {
    switch (state.type) {
      case "Pass":
        return state.ql === "JSONata" ? this.passJsonata(state, input, frame, ctx, enteredId) : this.passJsonPath(state, input, frame, ctx, enteredId);
      case "Task":
        return this.task(state, input, frame, ctx, enteredId);
      case "Choice":
        return this.choice(state, input, frame, ctx, enteredId);
      case "Wait":
        return this.wait(state, input, frame, ctx, enteredId);
      case "Succeed":
        return this.succeed(state, input, frame, ctx, enteredId);
      case "Fail":
        return this.fail(state, input, frame, ctx, enteredId);
      case "Parallel":
        return this.parallel(state, input, frame, ctx, enteredId);
      case "Map":
        return this.map(state, input, frame, ctx, enteredId);
    }
    throw new NotSupportedError(`state type ${state.type}`, state.path);
  }

  private passJsonPath(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): StateOutcome {
    const d = state.def;
    let effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
    if (d.Parameters !== undefined) effective = this.template(d.Parameters, effective, ctx, frame, "Parameters", state, enteredId);
    const result = "Result" in d ? d.Result : effective;
    const assigned = d.Assign !== undefined ? this.jsonPathAssign(d.Assign, result, ctx, frame, state, enteredId) : undefined;
    let output = applyResultPath(input, d.ResultPath, result, { state: state.name, enteredEventId: enteredId });
    output = this.filterPath(output, d.OutputPath, "OutputPath", ctx, frame, state, enteredId);
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next: state.end ? undefined : state.next };
  }

  private async passJsonata(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    const bindings = { states: { input, context: ctx }, variables: frame.variables };
    const assigned = d.Assign !== undefined ? await this.jsonataAssign(d.Assign, bindings, state, enteredId) : undefined;
    const output = d.Output !== undefined ? await this.jsonata(d.Output, bindings, state, enteredId, "Output") : input;
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next: state.end ? undefined : state.next };
  }

  /** The JSONPath-mode tail shared by Task, Parallel and Map: ResultSelector, Assign, ResultPath, OutputPath. */
  private finishJsonPath(state: CompiledState, input: Json, raw: Json, frame: Frame, ctx: Json, enteredId: number): StateOutcome {
    const d = state.def;
    const result = d.ResultSelector !== undefined ? this.template(d.ResultSelector, raw, ctx, frame, "ResultSelector", state, enteredId) : raw;
    const assigned = d.Assign !== undefined ? this.jsonPathAssign(d.Assign, result, ctx, frame, state, enteredId) : undefined;
    let output = applyResultPath(input, d.ResultPath, result, { state: state.name, enteredEventId: enteredId });
    output = this.filterPath(output, d.OutputPath, "OutputPath", ctx, frame, state, enteredId);
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next: state.end ? undefined : state.next };
  }

  /** The JSONata-mode tail shared by Task, Parallel and Map: Assign and Output see `$states.result`. */
  private async finishJsonata(state: CompiledState, input: Json, result: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    const bindings = { states: { input, context: ctx, result }, variables: frame.variables };
    const assigned = d.Assign !== undefined ? await this.jsonataAssign(d.Assign, bindings, state, enteredId) : undefined;
    const output = d.Output !== undefined ? await this.jsonata(d.Output, bindings, state, enteredId, "Output") : result;
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next: state.end ? undefined : state.next };
  }

  private async choice(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    if (state.ql === "JSONata") {
      const bindings = { states: { input, context: ctx }, variables: frame.variables };
      let matched: Record<string, Json> | undefined;
      for (let i = 0; i < d.Choices.length; i++) {
        const rule = d.Choices[i];
        if (rule.Condition === undefined) {
          throw new StatesError("States.QueryEvaluationError", `Choices[${i}] of a JSONata Choice state needs a Condition.`);
        }
        const v = await this.jsonata(rule.Condition, bindings, state, enteredId, `Condition`);
        if (typeof v !== "boolean") {
          throw new StatesError(
            "States.QueryEvaluationError",
            `The JSONata expression '${exprText(rule.Condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
          );
        }
        if (v) {
          matched = rule;
          break;
        }
      }
      const next = matched ? matched.Next : d.Default;
      if (next === undefined) throw noChoiceMatched(state);
      const assignSrc = matched?.Assign ?? (matched ? undefined : d.Assign);
      const outputSrc = matched?.Output ?? (matched ? undefined : d.Output);
      const assigned = assignSrc !== undefined ? await this.jsonataAssign(assignSrc, bindings, state, enteredId) : undefined;
      const output = outputSrc !== undefined ? await this.jsonata(outputSrc, bindings, state, enteredId, "Output") : input;
      if (assigned) Object.assign(frame.variables, assigned);
      return { output, next };
    }
    const effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
    const scope = this.scope(effective, ctx, frame);
    let matched: Record<string, Json> | undefined;
    for (const rule of d.Choices) {
      if (evaluateChoiceRule(rule, scope, { state: state.name, enteredEventId: enteredId })) {
        matched = rule;
        break;
      }
    }
    const next = matched ? matched.Next : d.Default;
    if (next === undefined) throw noChoiceMatched(state);
    const assignSrc = matched?.Assign ?? (matched ? undefined : d.Assign);
    const assigned = assignSrc !== undefined ? this.jsonPathAssign(assignSrc, effective, ctx, frame, state, enteredId) : undefined;
    const output = this.filterPath(effective, d.OutputPath, "OutputPath", ctx, frame, state, enteredId);
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next };
  }

  private async wait(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    let untilMs: number;
    let effective = input;
    let assigned: Record<string, Json> | undefined;
    let output: Json;
    if (state.ql === "JSONata") {
      const bindings = { states: { input, context: ctx }, variables: frame.variables };
      if (d.Seconds !== undefined) {
        const s = typeof d.Seconds === "string" ? await this.jsonata(d.Seconds, bindings, state, enteredId, "Seconds") : d.Seconds;
        if (typeof s !== "number" || !Number.isInteger(s) || s < 0) {
          throw new StatesError(
            "States.QueryEvaluationError",
            `The JSONata expression '${exprText(d.Seconds)}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${jsonType(s)}' for value: ${JSON.stringify(s)}`,
          );
        }
        untilMs = frame.time.now() + s * 1000;
      } else if (d.Timestamp !== undefined) {
        const t = typeof d.Timestamp === "string" && isJsonataExpr(d.Timestamp) ? await this.jsonata(d.Timestamp, bindings, state, enteredId, "Timestamp") : d.Timestamp;
        const ms = typeof t === "string" ? parseAwsTimestamp(t) : undefined;
        if (ms === undefined) {
          throw new StatesError(
            "States.QueryEvaluationError",
            `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof t === "string" ? t : JSON.stringify(t)}`,
          );
        }
        untilMs = ms;
      } else {
        throw new NotSupportedError("a Wait state without Seconds or Timestamp", state.path);
      }
      assigned = d.Assign !== undefined ? await this.jsonataAssign(d.Assign, bindings, state, enteredId) : undefined;
      output = d.Output !== undefined ? await this.jsonata(d.Output, bindings, state, enteredId, "Output") : input;
    } else {
      effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
      if (d.Seconds !== undefined) {
        untilMs = frame.time.now() + d.Seconds * 1000;
      } else if (d.Timestamp !== undefined) {
        const ms = parseAwsTimestamp(d.Timestamp);
        if (ms === undefined) throw new StatesError("States.Runtime", `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${d.Timestamp}`);
        untilMs = ms;
      } else if (d.SecondsPath !== undefined) {
        const s = this.path(d.SecondsPath, effective, ctx, frame, "SecondsPath", state, enteredId);
        if (typeof s !== "number" || !Number.isInteger(s)) {
          throw new StatesError("States.Runtime", `The SecondsPath parameter cannot be parsed as a long value: ${d.SecondsPath} == ${JSON.stringify(s)}`);
        }
        if (s < 0) throw new StatesError("States.Runtime", `The SecondsPath parameter references a negative value: ${d.SecondsPath} == ${s}`);
        untilMs = frame.time.now() + s * 1000;
      } else if (d.TimestampPath !== undefined) {
        const t = this.path(d.TimestampPath, effective, ctx, frame, "TimestampPath", state, enteredId);
        const ms = typeof t === "string" ? parseAwsTimestamp(t) : undefined;
        if (ms === undefined) {
          throw new StatesError(
            "States.Runtime",
            `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${d.TimestampPath} == ${typeof t === "string" ? t : JSON.stringify(t)}`,
          );
        }
        untilMs = ms;
      } else {
        throw new NotSupportedError("a Wait state without Seconds, Timestamp, SecondsPath or TimestampPath", state.path);
      }
      assigned = d.Assign !== undefined ? this.jsonPathAssign(d.Assign, effective, ctx, frame, state, enteredId) : undefined;
      output = this.filterPath(effective, d.OutputPath, "OutputPath", ctx, frame, state, enteredId);
    }
    const delay = untilMs - frame.time.now();
    if (delay > 0) await this.sleep(frame, delay);
    if (assigned) Object.assign(frame.variables, assigned);
    return { output, next: state.end ? undefined : state.next };
  }

  private async succeed(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    if (state.ql === "JSONata") {
      const output = d.Output !== undefined ? await this.jsonata(d.Output, { states: { input, context: ctx }, variables: frame.variables }, state, enteredId, "Output") : input;
      return { output };
    }
    const effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
    return { output: this.filterPath(effective, d.OutputPath, "OutputPath", ctx, frame, state, enteredId) };
  }

  private async fail(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    let error: Json = d.Error;
    let cause: Json = d.Cause;
    if (state.ql === "JSONata") {
      const bindings = { states: { input, context: ctx }, variables: frame.variables };
      if (typeof error === "string") error = await this.jsonata(error, bindings, state, enteredId, "Error");
      if (typeof cause === "string") cause = await this.jsonata(cause, bindings, state, enteredId, "Cause");
    } else {
      // ErrorPath / CausePath take a path or an intrinsic function (e.g. States.Format).
      const pathOrIntrinsic = (text: string, field: string) =>
        isIntrinsic(text)
          ? evaluateIntrinsic(text, this.scope(input, ctx, frame), { field, state: state.name, enteredEventId: enteredId })
          : this.path(text, input, ctx, frame, field, state, enteredId);
      if (d.ErrorPath !== undefined) error = pathOrIntrinsic(d.ErrorPath, "ErrorPath");
      if (d.CausePath !== undefined) cause = pathOrIntrinsic(d.CausePath, "CausePath");
    }
    const err = new StatesError(error === undefined ? (undefined as unknown as string) : String(error), cause === undefined ? undefined : String(cause));
    TASK_ERRORS.add(err);
    throw err;
  }

  // ---- Task -----------------------------------------------------------------

  private async task(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    if (typeof d.Resource === "string" && d.Resource.endsWith(".waitForTaskToken")) ctx = { ...ctx, Task: { Token: this.setup.taskTokenFactory() } };
    let params: Json;
    let bindings: Json;
    let timeoutSeconds: number | undefined;
    let heartbeatSeconds: number | undefined;
    if (state.ql === "JSONata") {
      bindings = { states: { input, context: ctx }, variables: frame.variables };
      params = d.Arguments !== undefined ? await this.jsonata(d.Arguments, bindings, state, enteredId, "Arguments") : undefined;
      timeoutSeconds = await this.numberField(state, "TimeoutSeconds", input, ctx, frame, enteredId);
      heartbeatSeconds = await this.numberField(state, "HeartbeatSeconds", input, ctx, frame, enteredId);
    } else {
      const effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
      params = d.Parameters !== undefined ? this.template(d.Parameters, effective, ctx, frame, "Parameters", state, enteredId) : effective;
      timeoutSeconds = d.TimeoutSecondsPath !== undefined ? this.path(d.TimeoutSecondsPath, effective, ctx, frame, "TimeoutSecondsPath", state, enteredId) : d.TimeoutSeconds;
      heartbeatSeconds =
        d.HeartbeatSecondsPath !== undefined ? this.path(d.HeartbeatSecondsPath, effective, ctx, frame, "HeartbeatSecondsPath", state, enteredId) : d.HeartbeatSeconds;
    }
    if (timeoutSeconds !== undefined && (typeof timeoutSeconds !== "number" || !Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0)) {
      throw new StatesError("States.Runtime", `TimeoutSeconds must be a positive integer. Received: ${JSON.stringify(timeoutSeconds)}`);
    }
    const raw = await this.invokeTask(state, params, frame, ctx, timeoutSeconds, heartbeatSeconds);
    if (state.ql === "JSONata") return this.finishJsonata(state, input, raw, frame, ctx, enteredId);
    return this.finishJsonPath(state, input, raw, frame, ctx, enteredId);
  }

  /** Runs the Task's resource and returns its raw result, recording the events AWS records. */
  private async invokeTask(state: CompiledState, params: Json, frame: Frame, ctx: Json, timeoutSeconds: number | undefined, heartbeatSeconds?: number): Promise<Json> {
    const resource: string = state.def.Resource;
    if (typeof resource !== "string") throw new NotSupportedError("a Task without a string Resource", state.path);
    const { history } = this.setup;
    const mock = this.setup.mocks[state.name];
    const { isDirectLambda, serviceMatch } = parseResource(resource);
    if (!isDirectLambda && !serviceMatch && !mock) {
      throw new NotSupportedError(`Task resource ${resource}`, state.path);
    }
    const resourceType = isDirectLambda ? "lambda" : serviceMatch?.[1] ?? "unknown";
    const resourceName = isDirectLambda ? resource : `${serviceMatch?.[2] ?? resource}${serviceMatch?.[3] ? `.${serviceMatch[3]}` : ""}`;
    if (!history.keep) {
      history.add(frame.cursor, 0, "");
      history.add(frame.cursor, 0, "");
    } else if (isDirectLambda) {
      history.add(frame.cursor, frame.time.now(), "LambdaFunctionScheduled", {
        resource,
        ...payloadDetails("input", params),
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      });
      history.add(frame.cursor, frame.time.now(), "LambdaFunctionStarted");
    } else {
      const details: Record<string, Json> = { resourceType, resource: resourceName, region: this.setup.region, parameters: new LazyJson(params ?? {}) };
      if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
      history.add(frame.cursor, frame.time.now(), "TaskScheduled", details);
      history.add(frame.cursor, frame.time.now(), "TaskStarted", { resourceType, resource: resourceName });
    }
    let result: Json;
    try {
      if (resource.endsWith(".waitForTaskToken") && !mock) {
        throw new NotSupportedError(`${resource} without a mock (the local executor has no SendTaskSuccess; mock state "${state.name}")`, state.path);
      }
      const work = this.taskWork(state, resource, isDirectLambda, resourceType, serviceMatch, mock, params, frame, timeoutSeconds);
      result = timeoutSeconds === undefined ? await work : await withTaskTimeout(work, timeoutSeconds);
    } catch (raw) {
      if (raw instanceof NotSupportedError) throw raw;
      if (raw instanceof StatesError) {
        if (raw.error === "States.Timeout") {
          TASK_ERRORS.add(raw);
          history.add(frame.cursor, frame.time.now(), isDirectLambda ? "LambdaFunctionTimedOut" : "TaskTimedOut", { ...(isDirectLambda ? {} : { resourceType, resource: resourceName }), error: raw.error, cause: raw.causeText });
          throw raw;
        }
        throw this.taskFailed(raw, frame, isDirectLambda, resourceType, resourceName);
      }
      // A mock or handler threw something that is not a StatesError: treat like a function error.
      const e = raw as { name?: string; message?: string };
      throw this.taskFailed(new StatesError(typeof e?.name === "string" ? e.name : "Error", typeof e?.message === "string" ? e.message : String(raw)), frame, isDirectLambda, resourceType, resourceName);
    }
    if (!history.keep) history.add(frame.cursor, 0, "");
    else if (isDirectLambda) history.add(frame.cursor, frame.time.now(), "LambdaFunctionSucceeded", payloadDetails("output", result));
    else history.add(frame.cursor, frame.time.now(), "TaskSucceeded", { resourceType, resource: resourceName, output: new LazyJson(result), outputDetails: { truncated: false } });
    void ctx;
    return result;
  }

  private taskFailed(err: StatesError, frame: Frame, isDirectLambda: boolean, resourceType: string, resourceName: string): StatesError {
    TASK_ERRORS.add(err);
    const { history } = this.setup;
    if (isDirectLambda) history.add(frame.cursor, frame.time.now(), "LambdaFunctionFailed", { error: err.error, cause: err.causeText });
    else history.add(frame.cursor, frame.time.now(), "TaskFailed", { resourceType, resource: resourceName, error: err.error, cause: err.causeText });
    return err;
  }

  private async taskWork(
    state: CompiledState,
    resource: string,
    isDirectLambda: boolean,
    resourceType: string,
    serviceMatch: RegExpExecArray | null,
    mock: StateMock | undefined,
    params: Json,
    frame: Frame,
    timeoutSeconds: number | undefined,
  ): Promise<Json> {
    if (mock) {
      const n = this.mockCalls.get(state.name) ?? 0;
      this.mockCalls.set(state.name, n + 1);
      const result = await mock(params, n);
      // Through the JSON boundary, as a real service response would come.
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    }
    if (isDirectLambda) return this.callLambda(resource, params, timeoutSeconds ?? 99999999, frame, "direct", resource);
    if (resourceType === "lambda" && serviceMatch?.[2] === "invoke" && !serviceMatch[3]) {
      return this.lambdaInvoke(state, params, timeoutSeconds ?? 99999999, frame);
    }
    throw new NotSupportedError(`Task resource ${resource} without a mock (pass mocks: { "${state.name}": ... } or a mock config)`, state.path);
  }

  private async lambdaInvoke(state: CompiledState, params: Json, timeoutSeconds: number, frame: Frame): Promise<Json> {
    if (!params || typeof params !== "object" || typeof params.FunctionName !== "string") {
      throw new StatesError(
        "States.Runtime",
        `The field 'FunctionName' is required for arn:aws:states:::lambda:invoke (state '${state.name}'); add "FunctionName" to ${state.ql === "JSONata" ? "Arguments" : "Parameters"}.`,
      );
    }
    let payload = params.Payload;
    // A string Payload is the raw request body: the function receives its decoded JSON.
    if (typeof payload === "string") {
      try {
        payload = JSON.parse(payload);
      } catch {
        // Not JSON: the function receives the string itself.
      }
    }
    if (payload === undefined || payload === null) payload = {};
    const response = await this.callLambda(params.FunctionName, payload, timeoutSeconds, frame, "invoke", "lambda");
    if (params.LogType === "Tail") withLogTail(response);
    return response;
  }

  private async callLambda(functionRef: string, event: Json, timeoutSeconds: number, frame: Frame, mode: "direct" | "invoke", limitName: string): Promise<Json> {
    const ref = parseFunctionRef(functionRef, this.setup.region, this.setup.accountId);
    const fn = await this.setup.findLambda(functionRef);
    if (!fn) throw functionNotFound(ref);
    const result = await invokeHandler(
      fn,
      event,
      { ref, timeoutMs: timeoutSeconds * 1000, nowMs: () => frame.time.now() },
      this.setup.lambdaRuntime,
      mode === "direct" ? "spaced" : "compact",
    );
    if (result.contentLength > MAX_PAYLOAD_BYTES) throw dataLimitExceeded(limitName);
    if (mode === "direct") return result.payload;
    return invokeResponse(result.payload, result.contentLength, result.requestId, frame.time.now());
  }

  // ---- Parallel -------------------------------------------------------------

  private childFrame(frame: Frame, abort: AbortToken, mapItem?: { Index: number; Value: Json }): Frame {
    // Inner scopes read the outer variables as they were on entry; their own assignments stay inside.
    return { variables: { ...frame.variables }, cursor: { lastEventId: frame.cursor.lastEventId }, time: frame.time.fork(), mapItem, abort };
  }

  private async parallel(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    let branchInput: Json;
    if (state.ql === "JSONata") {
      branchInput = d.Arguments !== undefined ? await this.jsonata(d.Arguments, { states: { input, context: ctx }, variables: frame.variables }, state, enteredId, "Arguments") : input;
    } else {
      branchInput = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
      if (d.Parameters !== undefined) branchInput = this.template(d.Parameters, branchInput, ctx, frame, "Parameters", state, enteredId);
    }
    const { history } = this.setup;
    history.add(frame.cursor, frame.time.now(), "ParallelStateStarted");
    const abort: AbortToken = { aborted: false, parent: frame.abort };
    const frames = state.branches!.map(() => this.childFrame(frame, abort));
    let results: Json[];
    try {
      results = await allOrFirstFailure(state.branches!.map((branch, i) => () => this.runMachine(branch, branchInput, frames[i])));
    } catch (err) {
      abort.aborted = true;
      frame.time.join(frames.map((f) => f.time));
      frame.cursor.lastEventId = Math.max(frame.cursor.lastEventId, ...frames.map((f) => f.cursor.lastEventId));
      if (!(err instanceof ExecutionTimeout)) history.add(frame.cursor, frame.time.now(), "ParallelStateFailed", failDetails(err));
      throw err;
    }
    frame.time.join(frames.map((f) => f.time));
    frame.cursor.lastEventId = Math.max(frame.cursor.lastEventId, ...frames.map((f) => f.cursor.lastEventId));
    history.add(frame.cursor, frame.time.now(), "ParallelStateSucceeded");
    if (state.ql === "JSONata") return this.finishJsonata(state, input, results, frame, ctx, enteredId);
    return this.finishJsonPath(state, input, results, frame, ctx, enteredId);
  }

  // ---- Map ------------------------------------------------------------------

  private async map(state: CompiledState, input: Json, frame: Frame, ctx: Json, enteredId: number): Promise<StateOutcome> {
    const d = state.def;
    const where = { state: state.name, enteredEventId: enteredId };
    const jsonata = state.ql === "JSONata";
    const bindings = { states: { input, context: ctx }, variables: frame.variables };
    if (d.ItemReader !== undefined) throw new NotSupportedError("Map ItemReader", state.path);
    if (d.ResultWriter !== undefined) throw new NotSupportedError("Map ResultWriter", state.path);

    // Items
    let effective: Json = input;
    let items: Json;
    if (jsonata) {
      if (d.Items !== undefined) {
        items = await this.jsonata(d.Items, bindings, state, enteredId, "Items");
        if (!Array.isArray(items)) {
          throw new StatesError(
            "States.QueryEvaluationError",
            `The JSONata expression '${exprText(d.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(items)}' for value: ${JSON.stringify(items)}`,
          );
        }
      } else {
        items = input;
        if (!Array.isArray(items)) throw new StatesError("States.QueryEvaluationError", `Map state input must be an array but was: ${JSON.stringify(items)}`);
      }
    } else {
      effective = this.filterPath(input, d.InputPath, "InputPath", ctx, frame, state, enteredId);
      items = d.ItemsPath !== undefined ? this.path(d.ItemsPath, effective, ctx, frame, "ItemsPath", state, enteredId) : effective;
      if (!Array.isArray(items)) {
        throw new StatesError(
          "States.Runtime",
          `Map state input must be an array but was: ${JSON.stringify(items)}${d.ItemsPath !== undefined ? ` (ItemsPath ${d.ItemsPath})` : ""}`,
        );
      }
    }

    // Limits
    const maxConcurrency = await this.mapNumber(state, "MaxConcurrency", effective, bindings, ctx, frame, enteredId, 0);
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 0) {
      throw new StatesError("States.Runtime", `The MaxConcurrency${d.MaxConcurrencyPath !== undefined ? "Path field refers to" : " field has"} value ${JSON.stringify(maxConcurrency)} which is not a valid integer`);
    }
    const toleratedCount = await this.mapNumber(state, "ToleratedFailureCount", effective, bindings, ctx, frame, enteredId, 0);
    if (typeof toleratedCount !== "number" || toleratedCount < 0) throw new StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.");
    const toleratedPercentage = await this.mapNumber(state, "ToleratedFailurePercentage", effective, bindings, ctx, frame, enteredId, 0);
    if (typeof toleratedPercentage !== "number" || toleratedPercentage < 0 || toleratedPercentage > 100) {
      throw new StatesError("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.");
    }
    const hasCount = d.ToleratedFailureCount !== undefined || d.ToleratedFailureCountPath !== undefined;
    const hasPercentage = d.ToleratedFailurePercentage !== undefined || d.ToleratedFailurePercentagePath !== undefined;
    const tolerates = hasCount || hasPercentage;
    // The Map fails when either given threshold is exceeded; an absent one does not limit.
    const countLimit = hasCount ? toleratedCount : Infinity;
    const percentageLimit = hasPercentage ? toleratedPercentage : Infinity;

    // Iteration inputs (ItemSelector / Parameters are evaluated per item with $$.Map.Item)
    const selector = d.ItemSelector ?? (jsonata ? undefined : d.Parameters);
    const selected: Json[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      if (selector === undefined) {
        selected[i] = items[i];
        continue;
      }
      const itemCtx = { ...ctx, Map: { Item: { Index: i, Value: items[i] } } };
      selected[i] = jsonata
        ? await this.jsonata(selector, { states: { input, context: itemCtx }, variables: frame.variables }, state, enteredId, "ItemSelector")
        : this.template(selector, effective, itemCtx, frame, d.ItemSelector !== undefined ? "ItemSelector" : "Parameters", state, enteredId);
    }
    let iterationInputs: Json[] = selected;
    if (d.ItemBatcher !== undefined) iterationInputs = await this.batch(state, selected, effective, bindings, ctx, frame, enteredId);
    void where;

    const { history } = this.setup;
    history.add(frame.cursor, frame.time.now(), "MapStateStarted", { length: iterationInputs.length });
    const frames: Frame[] = [];
    const results: Json[] = new Array(iterationInputs.length);
    let failures = 0;
    let firstError: unknown;
    const abort: AbortToken = { aborted: false, parent: frame.abort };
    const runIteration = async (i: number): Promise<void> => {
      const child = this.childFrame(frame, abort, { Index: i, Value: d.ItemBatcher !== undefined ? iterationInputs[i] : items[i] });
      frames.push(child);
      history.add(child.cursor, child.time.now(), "MapIterationStarted", { name: state.name, index: i });
      try {
        results[i] = await this.runMachine(state.processor!, iterationInputs[i], child);
        history.add(child.cursor, child.time.now(), "MapIterationSucceeded", { name: state.name, index: i });
      } catch (err) {
        if (err instanceof ExecutionTimeout) throw err;
        if (err instanceof BranchAborted) {
          history.add(child.cursor, child.time.now(), "MapIterationAborted", { name: state.name, index: i });
          throw err;
        }
        history.add(child.cursor, child.time.now(), "MapIterationFailed", { name: state.name, index: i });
        failures++;
        const tolerated = tolerates && failures <= countLimit && (failures * 100) / iterationInputs.length <= percentageLimit;
        if (!tolerated) throw err;
        firstError ??= err;
        const e = err as StatesError;
        results[i] = { Error: e.error, Cause: e.causeText };
      }
    };
    try {
      await runPool(iterationInputs.length, maxConcurrency === 0 ? iterationInputs.length : maxConcurrency, runIteration);
    } catch (err) {
      abort.aborted = true;
      frame.time.join(frames.map((f) => f.time));
      frame.cursor.lastEventId = Math.max(frame.cursor.lastEventId, ...frames.map((f) => f.cursor.lastEventId));
      if (err instanceof ExecutionTimeout) throw err;
      history.add(frame.cursor, frame.time.now(), "MapStateFailed", failDetails(err));
      if (tolerates && err instanceof StatesError) {
        throw new StatesError("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
      }
      throw err;
    }
    frame.time.join(frames.map((f) => f.time));
    frame.cursor.lastEventId = Math.max(frame.cursor.lastEventId, ...frames.map((f) => f.cursor.lastEventId));
    history.add(frame.cursor, frame.time.now(), "MapStateSucceeded");
    if (jsonata) return this.finishJsonata(state, input, results, frame, ctx, enteredId);
    return this.finishJsonPath(state, input, results, frame, ctx, enteredId);
  }

  /** A Map number that may come as a literal, a `...Path` (JSONPath) or a JSONata expression. */
  private async mapNumber(state: CompiledState, field: string, effective: Json, bindings: Json, ctx: Json, frame: Frame, enteredId: number, dflt: number): Promise<number> {
    const d = state.def;
    if (d[`${field}Path`] !== undefined && state.ql === "JSONPath") {
      const v = this.path(d[`${field}Path`], effective, ctx, frame, `${field}Path`, state, enteredId);
      // AWS reads these paths leniently: a numeric string such as "1" is taken as the number.
      const n = typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
      if (field === "MaxConcurrency" && (typeof n !== "number" || !Number.isInteger(n))) {
        throw new StatesError("States.Runtime", `The MaxConcurrencyPath field refers to value "${JSON.stringify(v)}" which is not a valid integer: ${d[`${field}Path`]}`);
      }
      return n as number;
    }
    const raw = d[field];
    if (raw === undefined) return dflt;
    if (state.ql === "JSONata" && typeof raw === "string") return (await this.jsonata(raw, bindings, state, enteredId, field)) as number;
    return raw;
  }

  private async batch(state: CompiledState, items: Json[], effective: Json, bindings: Json, ctx: Json, frame: Frame, enteredId: number): Promise<Json[]> {
    const b = state.def.ItemBatcher as Record<string, Json>;
    let maxItems: Json = b.MaxItemsPerBatch;
    if (b.MaxItemsPerBatchPath !== undefined) maxItems = this.path(b.MaxItemsPerBatchPath, effective, ctx, frame, "MaxItemsPerBatchPath", state, enteredId);
    if (state.ql === "JSONata" && typeof maxItems === "string") maxItems = await this.jsonata(maxItems, bindings, state, enteredId, "MaxItemsPerBatch");
    if (b.MaxInputBytesPerBatch !== undefined || b.MaxInputBytesPerBatchPath !== undefined) {
      throw new NotSupportedError("ItemBatcher MaxInputBytesPerBatch", state.path);
    }
    const size = maxItems === undefined ? items.length || 1 : (maxItems as number);
    if (!Number.isInteger(size) || size <= 0) throw new StatesError("States.Runtime", `MaxItemsPerBatch must be a positive integer. Received: ${JSON.stringify(maxItems)}`);
    let batchInput: Json;
    if (b.BatchInput !== undefined) {
      batchInput = state.ql === "JSONata" ? await this.jsonata(b.BatchInput, bindings, state, enteredId, "BatchInput") : this.template(b.BatchInput, effective, ctx, frame, "BatchInput", state, enteredId);
    }
    const batches: Json[] = [];
    for (let i = 0; i < items.length; i += size) {
      const batch: Record<string, Json> = {};
      if (batchInput !== undefined) batch.BatchInput = batchInput;
      batch.Items = items.slice(i, i + size);
      batches.push(batch);
    }
    return batches;
  }
}

/** Runs tasks concurrently; the first failure rejects (the others keep running to completion but are ignored, as AWS aborts them). */
function allOrFirstFailure<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  return Promise.all(tasks.map((t) => t()));
}

/** Runs `count` iterations with at most `limit` in flight; stops starting new ones after the first failure. */
async function runPool(count: number, limit: number, run: (i: number) => Promise<void>): Promise<void> {
  if (count === 0) return;
  if (limit >= count) {
    await Promise.all(Array.from({ length: count }, (_, i) => run(i)));
    return;
  }
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await run(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** LogType "Tail": Lambda returns the last 4 KB of the invocation's log, base64-encoded, in the body and a header. */
function withLogTail(response: Record<string, Json>): void {
  const requestId = response.SdkResponseMetadata.RequestId;
  const log = Buffer.from(`START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\n`).toString("base64");
  response.LogResult = log;
  response.SdkHttpMetadata.AllHttpHeaders["X-Amz-Log-Result"] = [log];
  response.SdkHttpMetadata.HttpHeaders["X-Amz-Log-Result"] = log;
}

/**
 * TimeoutSeconds of a Task, measured in wall-clock time: in-process work takes
 * no virtual time, so only a handler that really hangs (or a mock that throws
 * States.Timeout) times out. One shared ticker watches every pending task
 * instead of a timer per task, which would cost more than most handlers.
 */
const pendingTasks = new Set<{ deadline: number; reject: (e: unknown) => void }>();
let ticker: NodeJS.Timeout | undefined;

function tickTimeouts(): void {
  const now = Date.now();
  for (const entry of pendingTasks) {
    if (entry.deadline <= now) {
      pendingTasks.delete(entry);
      entry.reject(new StatesError("States.Timeout"));
    }
  }
  if (pendingTasks.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

function withTaskTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const entry = { deadline: Date.now() + seconds * 1000, reject };
    pendingTasks.add(entry);
    if (!ticker) {
      // Not unref'd: a pending task must keep the process alive until it settles or times out.
      ticker = setInterval(tickTimeouts, 50);
    }
    work.then(
      (value) => {
        pendingTasks.delete(entry);
        resolve(value);
      },
      (err) => {
        pendingTasks.delete(entry);
        reject(err);
      },
    );
  });
}

const resourceCache = new Map<string, { isDirectLambda: boolean; serviceMatch: RegExpExecArray | null }>();
/** A Task's Resource, parsed once per distinct ARN. */
function parseResource(resource: string): { isDirectLambda: boolean; serviceMatch: RegExpExecArray | null } {
  let hit = resourceCache.get(resource);
  if (!hit) {
    hit = {
      isDirectLambda: resource.startsWith("arn:") && resource.split(":")[2] === "lambda",
      serviceMatch: /^arn:[^:]+:states:::([^:]+):([^.]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/.exec(resource),
    };
    if (resourceCache.size > 1000) resourceCache.clear();
    resourceCache.set(resource, hit);
  }
  return hit;
}

function failDetails(err: unknown): Record<string, Json> {
  if (err instanceof StatesError) return { error: err.error, cause: err.causeText };
  return {};
}

function noChoiceMatched(state: CompiledState): StatesError {
  return new StatesError("States.NoChoiceMatched", `No Choice Rule matched and no Default is set for the Choice state '${state.name}'.`);
}

function isJsonataExpr(v: unknown): v is string {
  return typeof v === "string" && v.startsWith("{%") && v.endsWith("%}");
}

function exprText(v: unknown): string {
  return isJsonataExpr(v) ? v.slice(2, -2).trim() : JSON.stringify(v);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v === undefined) return "undefined";
  return typeof v === "object" ? "object" : typeof v;
}

/**
 * Step Functions accepts RFC 3339 timestamps with an upper-case T and an
 * explicit offset (Z or ±hh:mm); anything else is rejected.
 */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export function parseAwsTimestamp(text: string): number | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, da, h, mi, s] = m.map(Number) as unknown as number[];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2023-02-30 over into March: reject dates that do not exist.
  const check = new Date(Date.UTC(y, mo - 1, da));
  if (check.getUTCDate() !== da) return undefined;
  return ms;
}
