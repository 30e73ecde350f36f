/**
 * The local executor: runs a Step Functions definition in-process with AWS's
 * semantics, on a virtual clock, calling Lambda handlers directly.
 *
 *   const result = await runDefinition(definition, input, { lambdas: { "my-fn": handler } });
 *   const result = await runWorkflow("order-processing", input);   // a catalogued workflow, real handlers
 *
 * This file is the public API. Where things live: options.ts (run options,
 * result type), launch.ts (runDefinition, startExecution), handle.ts (the
 * handle a test drives), redrive.ts, workflow.ts (catalogued workflows),
 * execution.ts (the driver) and states/ (one file per state type).
 */
import type { ChildStateMachine, ExecutionResult } from "./options";
import type { ExecutionHandle } from "./handle";
import type { PreparedWorkflow, RunWorkflowOptions } from "./workflow";

export type { RunOptions, ChildStateMachine, ExecutionResult } from "./options";
export { runDefinition, startExecution } from "./launch";
export { ExecutionHandle } from "./handle";
export { redrive, startRedrive } from "./redrive";
export type { RedriveOptions } from "./redrive";
export type { RunWorkflowOptions, PreparedWorkflow } from "./workflow";

export { StatesError, NotSupportedError, InvalidDefinitionError, InvalidExecutionInputError, MockConfigError, RunOptionsError } from "./errors";
export { RawLambdaResponse } from "./lambda";
export { SfnApiError } from "./callbacks";
export type { WaitingTask } from "./callbacks";
export type { LambdaHandler, LambdaContextLike, LambdaRuntimeStyle } from "./lambda";
export type { HistoryEvent } from "./history";
export type { StateMock, MockConfigFile } from "./mocks";
export { loadMockConfig } from "./mocks";
export { stateVisits, formatVisits } from "./summary";
export type { StateVisit } from "./summary";
export type { ExecutionObserver } from "./execution";
export { CallRecorder, missingMocks, MissingMocksError, combineObservers } from "./observer";
export type { RecordedCall, MockNeed } from "./observer";
export { testState, TestStateValidationError } from "./test-state";
export type { TestStateRequest, TestStateResponse, TestStateOptions, InspectionData, InspectionErrorDetails, InspectionLevel } from "./test-state";
export { executionCost, formatCost, STEP_FUNCTIONS_PRICES } from "./cost";
export type { ExecutionCost, CostOptions } from "./cost";

/**
 * Catalogued workflows live in workflow.ts, which imports the renderer
 * (Handlebars, the lint) and the stage configuration statically. It is loaded
 * on the first call below rather than with this module: loading it costs
 * 100-150 ms, which runDefinition alone (the conformance runner, most tests)
 * does not need.
 */
const catalogued = () => import("./workflow");

/**
 * Renders a catalogued workflow for a stage and runs it, with its Lambda
 * functions served by the real `handlers/<handler>.ts` modules.
 */
export async function runWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionResult> {
  return (await catalogued()).runWorkflow(name, input, options);
}

/** startExecution for a catalogued workflow (rendered for the stage, real handlers): a handle a test drives. */
export async function startWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionHandle> {
  return (await catalogued()).startWorkflow(name, input, options);
}

/** A catalogued workflow by its state machine name for the stage (`<project>-<stage>-<workflow>`), for nested executions. */
export async function cataloguedStateMachine(smName: string, options: { stage?: string; cwd?: string } = {}): Promise<ChildStateMachine | undefined> {
  return (await catalogued()).cataloguedStateMachine(smName, options);
}

/** Renders (once per workflow and stage) and returns what runWorkflow needs; exposed for benchmarks and tools. */
export async function prepareWorkflow(name: string, options: { stage?: string; cwd?: string } = {}): Promise<PreparedWorkflow> {
  return (await catalogued()).prepareWorkflow(name, options);
}
