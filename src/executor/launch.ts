/**
 * Launching executions: definitions compiled once, the execution's setup from
 * the run options (names, clock, mocks, handlers, nested executions), and
 * what StartExecution refuses before a run.
 */
import { randomUUID } from "node:crypto";
import { HistoryRecorder } from "./history";
import { RealTimeline, Timeline, VirtualTimeline, isoTime } from "./clock";
import { CompiledDefinition, compileDefinition } from "./compile";
import { Execution, ResumePoint } from "./execution";
import { InvalidDefinitionError, InvalidExecutionInputError, RunOptionsError, StatesError } from "./errors";
import { CallbackBroker } from "./callbacks";
import { ChildExecution, ChildStarter, MAX_NESTING } from "./nested";
import { MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, checkPayload } from "./json";
import { LambdaHandler, parseFunctionRef } from "./lambda";
import { StateMock, checkMockConfig, loadMockConfig, mocksFromConfig } from "./mocks";
import { seededRandom } from "./retry";
import { localUuid } from "./ids";
import { assertMocked } from "./observer";
import { ExecutionHandle } from "./handle";
import { LaunchRecord } from "./result";
import { ExecutionResult, RunOptions, isChildStateMachine } from "./options";

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
export function runDefinition(definition: object | string, input: unknown, options: RunOptions = {}): Promise<ExecutionResult> {
  if (options.requireMocks) return runRequiringMocks(definition, input, options);
  // Not an async function: that would add a promise layer to every execution. What launching throws still rejects.
  try {
    return startExecution(definition, input, options).result();
  } catch (err) {
    return Promise.reject(err);
  }
}

async function runRequiringMocks(definition: object | string, input: unknown, options: RunOptions): Promise<ExecutionResult> {
  const { mocks, findLambda } = mocksAndHandlers(options, options.region ?? "us-east-1", options.accountId ?? "123456789012", options.stateMachineName ?? "local-state-machine");
  await assertMocked(definition, { ...options, mocks }, findLambda);
  return startExecution(definition, input, options).result();
}

/** The execution's mocks (MockConfigFile test case, then per-state mocks) and how it finds a Lambda handler. */
function mocksAndHandlers(options: RunOptions, region: string, accountId: string, smName: string) {
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
  return { mocks, findLambda };
}

/**
 * Starts an execution and returns a handle a test can drive: the callback and
 * activity tasks it waits on, SendTaskSuccess/Failure/Heartbeat, StopExecution,
 * virtual time, and `result()`.
 */
export function startExecution(definition: object | string, input: unknown, options: RunOptions = {}): ExecutionHandle {
  return launch(compile(definition), input, options);
}

export interface Continuation {
  readonly history: HistoryRecorder;
  readonly executionArn: string;
  readonly execution: Record<string, unknown>;
  readonly redrive: { count: number; resume?: ResumePoint; originalStartMs: number };
}

/** Starts the nested executions `states:startExecution` Tasks ask for (depth-limited: a workflow starting itself would never end). */
class ChildLauncher implements ChildStarter {
  constructor(
    private readonly options: RunOptions,
    private readonly region: string,
    private readonly accountId: string,
    private readonly depth: number,
  ) {}

  async start(arn: string, childInput: unknown, name: string | undefined, startMs: number): Promise<ChildExecution | undefined> {
    const { options, region, accountId, depth } = this;
    const parts = arn.split(":");
    const smName = parts[5] === "stateMachine" ? parts[6] : arn;
    const own = (key: string) => (options.stateMachines && Object.prototype.hasOwnProperty.call(options.stateMachines, key) ? options.stateMachines[key] : undefined);
    const found = own(arn) ?? own(smName) ?? (await options.resolveStateMachine?.(smName));
    if (found === undefined) return undefined;
    if (depth >= MAX_NESTING) {
      throw new StatesError("States.Runtime", `Nested executions go more than ${MAX_NESTING} levels deep (state machine ${smName}); the local executor stops there. Check for a workflow that starts itself.`);
    }
    const child = isChildStateMachine(found) ? found : { definition: found };
    const parentResolve = options.resolveHandler;
    const resolveHandler: RunOptions["resolveHandler"] = child.resolveHandler
      ? async (fn) => (await child.resolveHandler!(fn)) ?? (await parentResolve?.(fn))
      : parentResolve;
    const childOptions: RunOptions = {
      lambdas: options.lambdas,
      resolveHandler,
      mocks: options.mocks,
      region,
      accountId,
      stateMachineName: smName,
      executionName: name ?? randomUUID(),
      stateMachineType: child.stateMachineType ?? "STANDARD",
      startTime: startMs,
      history: options.history,
      jitterSeed: options.jitterSeed,
      lambdaRuntime: options.lambdaRuntime,
      s3Dir: options.s3Dir,
      stateMachines: options.stateMachines,
      resolveStateMachine: options.resolveStateMachine,
    };
    const handle = launch(compile(child.definition), childInput, childOptions, undefined, depth + 1);
    const done = handle.result();
    done.catch(() => undefined);
    return {
      executionArn: handle.executionArn,
      stateMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${smName}`,
      name: childOptions.executionName!,
      startMs,
      done,
    };
  }
}

export function launch(compiled: CompiledDefinition, input: unknown, options: RunOptions, continuation?: Continuation, depth = 0): ExecutionHandle {
  checkExecutionInput(input);
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const smName = options.stateMachineName ?? "local-state-machine";
  const execName = options.executionName ?? localUuid();
  const type = options.stateMachineType ?? "STANDARD";
  const startMs = options.startTime === undefined ? Date.now() : new Date(options.startTime).getTime();
  if (Number.isNaN(startMs)) throw new RunOptionsError(`runDefinition: startTime ${JSON.stringify(options.startTime)} is not a date; pass a Date, an ISO string or epoch milliseconds.`);
  const timeline: Timeline = options.realTime ? new RealTimeline() : new VirtualTimeline(startMs);
  const executionArn = continuation ? continuation.executionArn :
    type === "EXPRESS"
      ? `arn:aws:states:${region}:${accountId}:express:${smName}:${execName}:${randomUUID()}`
      : `arn:aws:states:${region}:${accountId}:execution:${smName}:${execName}`;
  const execution: Record<string, unknown> = continuation ? continuation.execution : {
    Id: executionArn,
    Input: input,
    Name: execName,
    RoleArn: options.roleArn ?? `arn:aws:iam::${accountId}:role/${smName}-role`,
    StartTime: isoTime(timeline.now()),
  };
  if (type === "STANDARD" && !continuation) execution.RedriveCount = 0;

  const { mocks, findLambda } = mocksAndHandlers(options, region, accountId, smName);

  const history = continuation ? continuation.history : new HistoryRecorder(options.history !== false);
  const startDate = new Date(continuation ? continuation.redrive.originalStartMs : timeline.now());
  const callbacks = new CallbackBroker(timeline.now());
  const exec = new Execution({
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
    callbacks,
    s3Dir: options.s3Dir,
    redrive: continuation?.redrive,
    startChild: new ChildLauncher(options, region, accountId, depth),
  });
  callbacks.exec = exec;
  const record = new LaunchRecord(compiled, input, options, history, timeline, executionArn, execution, startDate, continuation?.redrive.originalStartMs ?? startMs, continuation?.redrive.count ?? 0, exec);
  return new ExecutionHandle(record, callbacks);
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
  /** Whether `lambdas` has any handler (most runs of a catalogued workflow pass none: resolveHandler serves them). */
  private readonly hasOwn: boolean;
  constructor(
    private readonly lambdas: Readonly<Record<string, LambdaHandler>>,
    private readonly resolveHandler: RunOptions["resolveHandler"],
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.hasOwn = Object.keys(lambdas).length > 0;
  }
  find(ref: string): LambdaHandler | undefined | Promise<LambdaHandler | undefined> {
    if (!this.hasOwn) return this.resolveHandler?.(parseFunctionRef(ref, this.region, this.accountId).name);
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
export const STANDARD_MAX_DURATION_MS = 365 * 24 * 3600 * 1000;
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
