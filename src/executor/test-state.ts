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
import type { CompiledState } from "./compile";
import { Execution, Frame } from "./execution";
import { EvalContext } from "./eval-context";
import { ExecutionStop, StatesError, TaskFailure } from "./errors";
import { HistoryRecorder } from "./history";
import { VirtualTimeline, isoTime } from "./clock";
import { LambdaHandler, parseFunctionRef } from "./lambda";
import { StateMock } from "./mocks";
import { errorMatches, retryDelayMs, seededRandom } from "./retry";
import type { Catcher } from "./retry";
import { TestStateRequest, TestStateValidationError, parseRequest } from "./test-state-request";
import { InspectionData, InspectionErrorDetails, Recorded, RecordingLanguage, inspectionData, mockedComposite } from "./test-state-inspect";

export { TestStateValidationError } from "./test-state-request";
export type { TestStateRequest, InspectionLevel } from "./test-state-request";
export type { InspectionData, InspectionErrorDetails } from "./test-state-inspect";

type Json = any;

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

export async function testState(request: TestStateRequest, options: TestStateOptions = {}): Promise<TestStateResponse> {
  const { level, input, variables, contextOverride, config, name, ql, compiledState, mockValue, readerData } = parseRequest(request);

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
  if (level !== "INFO") response.out.inspectionData = inspectionData(rec, inputText, ql, compiledState, frame, response.errorDetails);
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

function mergeContext(base: Record<string, Json>, override: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...base };
  for (const k of Object.keys(override)) {
    const b = base[k];
    const o = override[k];
    out[k] = b && o && typeof b === "object" && typeof o === "object" && !Array.isArray(b) && !Array.isArray(o) ? { ...b, ...o } : o;
  }
  return out;
}
