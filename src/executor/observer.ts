/**
 * What tests need around an execution: a recorder of mock and handler calls
 * with their inputs, a check that lists every state that would need a mock
 * before the run starts, and a way to combine execution observers.
 */
import { ProjectError } from "../errors";
import { compileDefinition, CompiledMachine } from "./compile";
import type { ExecutionObserver } from "./execution";
import type { LambdaHandler } from "./lambda";
import type { StateMock } from "./mocks";

type Json = any;

export interface RecordedCall {
  /** `mock`: a per-state mock; `lambda`: a Lambda handler. */
  readonly kind: "mock" | "lambda";
  /** The Task state (mocks are per state; for handlers, the Task state entered last, exact unless Parallel/Map run them concurrently). */
  readonly state?: string;
  /** The function name or ARN the handler was asked for (lambda calls). */
  readonly function?: string;
  /** What the mock or handler received (a JSON copy, taken before the call). */
  readonly input: Json;
  /** 0-based invocation number of this mock (mocks only). */
  readonly invocation?: number;
  output?: Json;
  error?: { name: string; message: string };
}

/**
 * Records every mock and handler call (lambdas, resolveHandler, runWorkflow's real handlers) of the executions run with
 * `recorder.options(...)`:
 *
 *   const calls = new CallRecorder();
 *   await runWorkflow("order-processing", order, calls.options({ mocks: { ... } }));
 *   expect(calls.inputsTo("ProcessPayment")).toEqual([...]);
 */
export class CallRecorder implements ExecutionObserver {
  readonly calls: RecordedCall[] = [];
  private lastTask: string | undefined;

  /** The run options with their mocks wrapped to record, every handler wrapped (`wrapHandler`), and this recorder as an observer. */
  options<T extends object>(options: T = {} as T): T {
    const o = options as { mocks?: Readonly<Record<string, StateMock>>; wrapHandler?: (ref: string, h: LambdaHandler) => LambdaHandler; observer?: ExecutionObserver };
    const mocks: Record<string, StateMock> = {};
    for (const [state, mock] of Object.entries(o.mocks ?? {})) mocks[state] = (params, n) => this.record({ kind: "mock", state, input: copy(params), invocation: n }, () => mock(params, n));
    const inner = o.wrapHandler;
    const wrapHandler = (ref: string, h: LambdaHandler) => this.wrapHandler(ref, inner ? inner(ref, h) : h);
    return { ...options, mocks, wrapHandler, observer: combineObservers(o.observer, this) };
  }

  /** A handler that records its calls (what `options()` installs through `wrapHandler`). */
  wrapHandler(name: string, fn: LambdaHandler): LambdaHandler {
    return ((event: Json, context: Json) => this.record({ kind: "lambda", function: name, state: this.lastTask, input: copy(event) }, () => (fn as Json)(event, context))) as LambdaHandler;
  }

  stateEntered(state: { type: string; name: string }): void {
    if (state.type === "Task") this.lastTask = state.name;
  }

  /** Calls made by a Task state or to a function (by state name or function name). */
  callsTo(name: string): RecordedCall[] {
    return this.calls.filter((c) => c.state === name || c.function === name || (c.function !== undefined && c.function.endsWith(`:function:${name}`)));
  }

  /** The inputs of those calls, in order. */
  inputsTo(name: string): Json[] {
    return this.callsTo(name).map((c) => c.input);
  }

  clear(): void {
    this.calls.length = 0;
  }

  private record(call: RecordedCall, run: () => unknown): Promise<Json> {
    this.calls.push(call);
    return Promise.resolve()
      .then(run)
      .then(
        (output) => {
          call.output = copy(output);
          return output;
        },
        (err: Json) => {
          call.error = { name: String(err?.name ?? "Error"), message: String(err?.message ?? err) };
          throw err;
        },
      );
  }
}

function copy(v: Json): Json {
  if (v === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(v));
  } catch {
    return String(v);
  }
}

/** Several observers as one (undefined ones skipped). */
export function combineObservers(...observers: Array<ExecutionObserver | undefined>): ExecutionObserver | undefined {
  const list = observers.filter((o): o is ExecutionObserver => o !== undefined);
  if (list.length <= 1) return list[0];
  return {
    stateEntered: (s, i) => list.forEach((o) => o.stateEntered?.(s, i)),
    choiceTaken: (s, r) => list.forEach((o) => o.choiceTaken?.(s, r)),
    retried: (s, r, e) => list.forEach((o) => o.retried?.(s, r, e)),
    caught: (s, c, e) => list.forEach((o) => o.caught?.(s, c, e)),
  };
}

export interface MockNeed {
  /** The state's name and where it sits (`Par/Branches[0]/Inner`). */
  readonly state: string;
  readonly path: string;
  readonly resource: string;
  readonly reason: string;
}

/** Every state that would need a mock, all at once, before the run. */
export class MissingMocksError extends ProjectError {
  constructor(readonly needs: readonly MockNeed[]) {
    super(
      `${needs.length} state${needs.length === 1 ? "" : "s"} would need a mock before this run: ${needs.map((n) => `${n.path} (${n.reason})`).join("; ")}. ` +
        `Pass mocks: { ${needs.map((n) => `"${n.state}": ...`).join(", ")} } or a mock config.`,
    );
  }
}

/**
 * The Task states the local executor cannot run without a mock: integrations
 * other than Lambda, callback (.waitForTaskToken) and .sync patterns,
 * activities, and Lambda functions no handler is given for. A FunctionName
 * computed at run time cannot be checked and is not listed.
 */
export async function missingMocks(
  definition: object | string,
  options: { mocks?: Readonly<Record<string, unknown>>; lambdas?: Readonly<Record<string, unknown>>; resolveHandler?: (name: string) => unknown },
  findLambda?: (ref: string) => unknown,
): Promise<MockNeed[]> {
  const def = typeof definition === "string" ? JSON.parse(definition) : definition;
  const compiled = compileDefinition(def as Record<string, Json>);
  const mocks = options.mocks ?? {};
  const find =
    findLambda ??
    ((ref: string) => {
      const name = ref.startsWith("arn:") ? (ref.split(":")[6] ?? ref) : ref;
      return (options.lambdas && (Object.prototype.hasOwnProperty.call(options.lambdas, ref) ? options.lambdas[ref] : options.lambdas[name])) ?? options.resolveHandler?.(name);
    });
  const needs: MockNeed[] = [];
  const visit = async (machine: CompiledMachine) => {
    for (const state of machine.states.values()) {
      for (const b of state.branches ?? []) await visit(b);
      if (state.processor) await visit(state.processor);
      if (state.type !== "Task" || Object.prototype.hasOwnProperty.call(mocks, state.name)) continue;
      const resource = state.def.Resource;
      if (typeof resource !== "string" || resource.startsWith("{%")) continue;
      const need = (reason: string) => needs.push({ state: state.name, path: state.path, resource, reason });
      if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) need("an activity");
      else if (/\.waitForTaskToken$/.test(resource)) need(`${resource}: a callback`);
      else if (/\.sync(:2)?$/.test(resource)) need(`${resource}: a .sync integration`);
      else if (resource.startsWith("arn:") && resource.split(":")[2] === "lambda") {
        if (!(await find(resource))) need(`no handler for ${resource}`);
      } else if (/^arn:[^:]+:states:::lambda:invoke$/.test(resource)) {
        const params = state.def.Parameters ?? state.def.Arguments;
        const fn = params?.FunctionName;
        if (typeof fn === "string" && !fn.startsWith("{%") && !(await find(fn))) need(`no handler for ${fn}`);
      } else need(`${resource}: not Lambda`);
    }
  };
  await visit(compiled.root);
  return needs;
}

export async function assertMocked(definition: object | string, options: Parameters<typeof missingMocks>[1], findLambda: (ref: string) => unknown): Promise<void> {
  const needs = await missingMocks(definition, options, findLambda);
  if (needs.length) throw new MissingMocksError(needs);
}
