/**
 * The options of an execution and the shape of its result: what
 * `runDefinition`, `startExecution` and `runWorkflow` take and give.
 */
import type { HistoryEvent } from "./history";
import type { ExecutionObserver } from "./execution";
import type { LambdaHandler, LambdaRuntimeStyle } from "./lambda";
import type { MockConfigFile, StateMock } from "./mocks";

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
  /** A folder standing for S3 (`<s3Dir>/<bucket>/<key>`): a distributed Map's ItemReader reads and its ResultWriter writes there. */
  readonly s3Dir?: string;
  /** State machines a `states:startExecution` Task may start, by name or ARN: a definition, or one with its own handlers and type. */
  readonly stateMachines?: Readonly<Record<string, object | string | ChildStateMachine>>;
  /** Fallback for state machines not in `stateMachines`: gets the name; `runWorkflow` maps `<project>-<stage>-<workflow>` to the catalogue. */
  readonly resolveStateMachine?: (name: string) => object | string | ChildStateMachine | undefined | Promise<object | string | ChildStateMachine | undefined>;
}

/** A state machine a nested execution runs. */
export interface ChildStateMachine {
  readonly definition: object | string;
  /** Handlers of the child's own functions (tried before the parent's). */
  readonly resolveHandler?: RunOptions["resolveHandler"];
  /** @default "STANDARD" */
  readonly stateMachineType?: "STANDARD" | "EXPRESS";
}

export function isChildStateMachine(v: unknown): v is ChildStateMachine {
  return typeof v === "object" && v !== null && "definition" in v && !("States" in v);
}

export interface ExecutionResult {
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly history: HistoryEvent[];
  readonly executionArn: string;
  readonly startDate: Date;
  readonly stopDate: Date;
}
