/**
 * The local executor: runs a Step Functions definition in-process with AWS's
 * semantics, on a virtual clock, calling Lambda handlers directly.
 *
 *   const result = await runDefinition(definition, input, { lambdas: { "my-fn": handler } });
 *   const result = await runWorkflow("order-processing", input);   // a catalogued workflow, real handlers
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { HistoryEvent, HistoryRecorder } from "./history";
import { RealTimeline, Timeline, VirtualTimeline, isoTime } from "./clock";
import { CompiledDefinition, compileDefinition } from "./compile";
import { Execution, ExecutionObserver } from "./execution";
import { InvalidDefinitionError, InvalidExecutionInputError, RunOptionsError } from "./errors";
import { MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, checkPayload } from "./json";
import { LambdaHandler, LambdaRuntimeStyle, parseFunctionRef } from "./lambda";
import { MockConfigFile, StateMock, checkMockConfig, loadMockConfig, mocksFromConfig } from "./mocks";
import { seededRandom } from "./retry";

export { StatesError, NotSupportedError, InvalidDefinitionError, InvalidExecutionInputError, MockConfigError, RunOptionsError } from "./errors";
export { RawLambdaResponse } from "./lambda";
export type { LambdaHandler, LambdaContextLike, LambdaRuntimeStyle } from "./lambda";
export type { HistoryEvent } from "./history";
export type { StateMock, MockConfigFile } from "./mocks";
export { loadMockConfig } from "./mocks";
export { stateVisits, formatVisits } from "./summary";
export type { StateVisit } from "./summary";
export type { ExecutionObserver } from "./execution";
export { CallRecorder, missingMocks, MissingMocksError, combineObservers } from "./observer";
export type { RecordedCall, MockNeed } from "./observer";
import { assertMocked, combineObservers } from "./observer";
import { coverageObserver } from "./coverage";

export interface RunOptions {
  /** Handlers by function name or ARN (a name matches any ARN with that function name). */
  readonly lambdas?: Readonly<Record<string, LambdaHandler>>;
  /** Fallback for functions not in `lambdas`: gets the function name, returns a handler or undefined (-> Lambda.ResourceNotFoundException). */
  readonly resolveHandler?: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
  /** Per-state mocks (by state name), called instead of the Task's resource. */
  readonly mocks?: Readonly<Record<string, StateMock>>;
  /** A Step Functions Local MockConfigFile.json (object or file path); needs `testCase`. */
  readonly mockConfig?: MockConfigFile | string;
  /** The test case under StateMachines.<mockStateMachineName>.TestCases. */
  readonly testCase?: string;
  /** The key under the mock config's StateMachines. @default stateMachineName (runWorkflow: the workflow name) */
  readonly mockStateMachineName?: string;
  /** @default "local-state-machine" */
  readonly stateMachineName?: string;
  /** @default a random UUID */
  readonly executionName?: string;
  /** @default "STANDARD" */
  readonly stateMachineType?: "STANDARD" | "EXPRESS";
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "123456789012" */
  readonly accountId?: string;
  /** @default arn:aws:iam::<account>:role/<stateMachineName>-role */
  readonly roleArn?: string;
  /** Start of the virtual clock. @default the current time */
  readonly startTime?: Date | string | number;
  /** Sleep for real on Wait and retry intervals instead of advancing a virtual clock. @default false */
  readonly realTime?: boolean;
  /** Record the execution history. @default true */
  readonly history?: boolean;
  /** Seed for FULL jitter on retries, for reproducible back-off. @default random */
  readonly jitterSeed?: number;
  /** How handlers serialise responses (decides lambda:invoke's Content-Length). @default "nodejs" */
  readonly lambdaRuntime?: LambdaRuntimeStyle;
  /** Told which states, Choice rules, Retry and Catch rules the execution takes (see observer.ts). */
  readonly observer?: ExecutionObserver;
  /** Before running, refuse (MissingMocksError, listing every one) if any Task would need a mock. @default false */
  readonly requireMocks?: boolean;
  /** Wraps every handler found (lambdas, resolveHandler, runWorkflow's real handlers), e.g. to record calls. */
  readonly wrapHandler?: (functionRef: string, handler: LambdaHandler) => LambdaHandler;
}

export interface ExecutionResult {
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly history: HistoryEvent[];
  readonly executionArn: string;
  readonly startDate: Date;
  readonly stopDate: Date;
}

/** The history is built on first read: serialising every payload is wasted work for callers that never look. */
class Result implements ExecutionResult {
  readonly #recorder: HistoryRecorder;
  constructor(
    readonly status: ExecutionResult["status"],
    readonly output: unknown,
    readonly error: string | undefined,
    readonly cause: string | undefined,
    recorder: HistoryRecorder,
    readonly executionArn: string,
    readonly startDate: Date,
    readonly stopDate: Date,
  ) {
    this.#recorder = recorder;
  }
  get history(): HistoryEvent[] {
    return this.#recorder.events;
  }
  toJSON(): Record<string, unknown> {
    return { ...(this as object), history: this.history };
  }
}

const compiledObjects = new WeakMap<object, CompiledDefinition>();
const compiledStrings = new Map<string, CompiledDefinition>();

function compile(definition: object | string): CompiledDefinition {
  if (typeof definition === "string") {
    let hit = compiledStrings.get(definition);
    if (!hit) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(definition);
      } catch (err) {
        throw new InvalidDefinitionError(`Definition: not valid JSON (${(err as Error).message}).`);
      }
      hit = compileDefinition(parsed as Record<string, unknown>);
      if (compiledStrings.size > 1000) compiledStrings.clear();
      compiledStrings.set(definition, hit);
    }
    return hit;
  }
  let hit = compiledObjects.get(definition);
  if (!hit) {
    hit = compileDefinition(definition as Record<string, unknown>);
    compiledObjects.set(definition, hit);
  }
  return hit;
}

/**
 * Runs one execution. Resolves with the outcome (a failed execution is a
 * result, not a rejection); rejects only for a definition AWS would not
 * accept (InvalidDefinitionError) or bad options.
 */
export async function runDefinition(definition: object | string, input: unknown, options: RunOptions = {}): Promise<ExecutionResult> {
  const compiled = compile(definition);
  checkExecutionInput(input);
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const smName = options.stateMachineName ?? "local-state-machine";
  const execName = options.executionName ?? randomUUID();
  const type = options.stateMachineType ?? "STANDARD";
  const startMs = options.startTime === undefined ? Date.now() : new Date(options.startTime).getTime();
  if (Number.isNaN(startMs)) throw new RunOptionsError(`runDefinition: startTime ${JSON.stringify(options.startTime)} is not a date; pass a Date, an ISO string or epoch milliseconds.`);
  const timeline: Timeline = options.realTime ? new RealTimeline() : new VirtualTimeline(startMs);
  const executionArn =
    type === "EXPRESS"
      ? `arn:aws:states:${region}:${accountId}:express:${smName}:${execName}:${randomUUID()}`
      : `arn:aws:states:${region}:${accountId}:execution:${smName}:${execName}`;
  const execution: Record<string, unknown> = {
    Id: executionArn,
    Input: input,
    Name: execName,
    RoleArn: options.roleArn ?? `arn:aws:iam::${accountId}:role/${smName}-role`,
    StartTime: isoTime(timeline.now()),
  };
  if (type === "STANDARD") execution.RedriveCount = 0;

  let mocks: Record<string, StateMock> = {};
  if (options.mockConfig !== undefined) {
    if (!options.testCase) throw new RunOptionsError("runDefinition: mockConfig needs testCase (the key under StateMachines.<name>.TestCases).");
    const config = typeof options.mockConfig === "string" ? loadMockConfig(options.mockConfig) : checkMockConfig(options.mockConfig);
    mocks = mocksFromConfig(config, options.mockStateMachineName ?? smName, options.testCase);
  }
  if (options.mocks) mocks = { ...mocks, ...options.mocks };

  const finder = new LambdaFinder(options.lambdas ?? {}, options.resolveHandler, region, accountId);
  let findLambda: (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined> = finder.find.bind(finder);
  if (options.wrapHandler) findLambda = wrapFinder(findLambda, options.wrapHandler);
  if (options.requireMocks) await assertMocked(definition, { ...options, mocks }, findLambda);

  const history = new HistoryRecorder(options.history !== false);
  const startDate = new Date(timeline.now());
  const outcome = await new Execution({
    compiled,
    input,
    history,
    timeline,
    executionContext: {
      Execution: execution,
      StateMachine: { Id: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`, Name: smName },
    },
    region,
    accountId,
    findLambda,
    mocks,
    lambdaRuntime: options.lambdaRuntime ?? "nodejs",
    random: options.jitterSeed !== undefined ? seededRandom(options.jitterSeed) : Math.random,
    taskTokenFactory: randomUUID,
    realTime: options.realTime === true,
    maxDurationMs: type === "EXPRESS" ? EXPRESS_MAX_DURATION_MS : STANDARD_MAX_DURATION_MS,
    observer: options.observer,
  }).run();
  return new Result(outcome.status, outcome.output, outcome.error, outcome.cause, history, executionArn, startDate, new Date(timeline.now()));
}

function wrapFinder(
  find: (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>,
  wrap: (ref: string, h: LambdaHandler) => LambdaHandler,
): (ref: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined> {
  return (ref) => {
    const h = find(ref);
    return h instanceof Promise ? h.then((x) => (x ? wrap(ref, x) : x)) : h ? wrap(ref, h) : h;
  };
}

/** Finds a handler by name or ARN (a class, not a closure per execution: tsx's keepNames renames every closure it creates). */
class LambdaFinder {
  constructor(
    private readonly lambdas: Readonly<Record<string, LambdaHandler>>,
    private readonly resolveHandler: RunOptions["resolveHandler"],
    private readonly region: string,
    private readonly accountId: string,
  ) {}
  find(ref: string): LambdaHandler | undefined | Promise<LambdaHandler | undefined> {
    const direct = this.own(ref);
    if (direct) return direct;
    const { name, arn } = parseFunctionRef(ref, this.region, this.accountId);
    return this.own(name) ?? this.own(arn) ?? this.resolveHandler?.(name);
  }
  private own(key: string): LambdaHandler | undefined {
    return Object.prototype.hasOwnProperty.call(this.lambdas, key) ? this.lambdas[key] : undefined;
  }
}

/** AWS's maximum execution duration: one year for Standard workflows, five minutes for Express (Step Functions quotas). */
const STANDARD_MAX_DURATION_MS = 365 * 24 * 3600 * 1000;
const EXPRESS_MAX_DURATION_MS = 5 * 60 * 1000;

/**
 * What StartExecution refuses before an execution exists: an input over
 * 262,144 bytes of UTF-8 JSON (API reference, StartExecution "input": Length
 * Constraints), worded as AWS's ValidationException; and, our own limit, an
 * input nested deeper than MAX_NESTING_DEPTH levels.
 */
function checkExecutionInput(input: unknown): void {
  const verdict = checkPayload(input);
  if (verdict === "ok") return;
  if (verdict === "too-deep") {
    throw new InvalidExecutionInputError(
      `Execution input: nested more than ${MAX_NESTING_DEPTH} levels deep, more than the local executor supports. Flatten the input (or pass a reference to the data instead of the data).`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(input), "utf8");
  throw new InvalidExecutionInputError(
    `Execution input: 1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES} (received ${bytes} bytes). Pass large data by reference (e.g. an S3 key) instead.`,
  );
}

export interface RunWorkflowOptions extends RunOptions {
  /** Stage to render for. @default from the environment / .env (as `npm run render`) */
  readonly stage?: string;
  /** Folder holding `.env` files. @default the current directory */
  readonly cwd?: string;
}

/**
 * Renders a catalogued workflow for a stage and runs it, with its Lambda
 * functions served by the real `handlers/<handler>.ts` modules.
 */
export async function runWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionResult> {
  const prepared = await prepareWorkflow(name, { stage: options.stage, cwd: options.cwd });
  return runDefinition(prepared.definition, input, {
    stateMachineName: prepared.stateMachineName,
    mockStateMachineName: name,
    region: prepared.region,
    ...options,
    resolveHandler: async (functionName) => (await options.resolveHandler?.(functionName)) ?? prepared.resolveHandler(functionName),
    observer: combineObservers(options.observer, coverageObserver(name, prepared.definition)),
  });
}

export interface PreparedWorkflow {
  readonly definition: Record<string, unknown>;
  readonly stateMachineName: string;
  readonly region: string;
  readonly functions: readonly string[];
  /** Maps this stage's function names to `handlers/<handler>.ts`. */
  readonly resolveHandler: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
}

const preparedCache = new Map<string, PreparedWorkflow>();

/** Renders (once per workflow and stage) and returns what runWorkflow needs; exposed for benchmarks and tools. */
export async function prepareWorkflow(name: string, options: { stage?: string; cwd?: string } = {}): Promise<PreparedWorkflow> {
  // Loaded lazily: runDefinition alone should not pay for Handlebars and the lint.
  const [{ getWorkflow }, { loadStageConfig }, { renderWorkflow, localTarget }, naming, { HANDLERS_DIR }] = await Promise.all([
    import("../../workflows/catalogue"),
    import("../config/stage"),
    import("../render/render"),
    import("../config/naming"),
    import("../config/handlers"),
  ]);
  const config = loadStageConfig({ stage: options.stage, cwd: options.cwd });
  const key = `${name}\u0000${config.projectName}\u0000${config.stage}\u0000${config.region}`;
  const hit = preparedCache.get(key);
  if (hit) return hit;
  const spec = getWorkflow(name);
  const rendered = renderWorkflow(spec, config, localTarget(config));
  const byFunction = new Map<string, LambdaHandler>();
  const load = async (functionName: string): Promise<LambdaHandler | undefined> => {
    const handler = naming.handlerFromFunction(config, functionName);
    if (!handler || !rendered.functions.includes(handler)) return undefined;
    const mod = (await import(join(HANDLERS_DIR, `${handler}.ts`))) as { handler?: LambdaHandler; default?: { handler?: LambdaHandler } };
    const fn = mod.handler ?? mod.default?.handler;
    if (typeof fn !== "function") {
      throw new RunOptionsError(`handlers/${handler}.ts does not export a function named "handler"; export const handler = async (event) => ... .`);
    }
    byFunction.set(functionName, fn);
    return fn;
  };
  const prepared: PreparedWorkflow = {
    definition: rendered.definition,
    stateMachineName: naming.names.stateMachine(config, name),
    region: config.region,
    functions: rendered.functions,
    // Synchronous once loaded: this sits on every Lambda call.
    resolveHandler: (functionName) => byFunction.get(functionName) ?? load(functionName),
  };
  preparedCache.set(key, prepared);
  return prepared;
}
export { testState, TestStateValidationError } from "./test-state";
export type { TestStateRequest, TestStateResponse, TestStateOptions, InspectionData, InspectionErrorDetails, InspectionLevel } from "./test-state";
export { executionCost, formatCost, STEP_FUNCTIONS_PRICES } from "./cost";
export type { ExecutionCost, CostOptions } from "./cost";
