/**
 * RedriveExecution: resumes a failed execution where it stopped, under AWS's
 * eligibility rules.
 */
import { SfnApiError } from "./callbacks";
import { MAX_HISTORY_EVENTS } from "./history";
import type { ExecutionHandle } from "./handle";
import type { ExecutionResult, RunOptions } from "./options";
import { Result } from "./result";
import { STANDARD_MAX_DURATION_MS, launch } from "./launch";

export interface RedriveOptions {
  /** When the redrive happens. @default the failed execution's stopDate */
  readonly at?: Date | string | number;
  /** Options to change for the redriven run (handlers, mocks, ...); the rest are the original run's. */
  readonly options?: Partial<RunOptions>;
}

/** AWS: an execution can be redriven within 14 days of its end. */
const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000;

/**
 * RedriveExecution: resumes a FAILED, TIMED_OUT or ABORTED Standard execution
 * from the state that did not succeed, with the input and variables it had
 * there; in a Parallel or Map state only the branches/iterations that failed
 * or were aborted run again. The history continues (ExecutionRedriven, same
 * event ids and ARN) and `$$.Execution.RedriveCount` goes up by one. Refused
 * with SfnApiError `ExecutionNotRedrivable` as AWS refuses it: a SUCCEEDED or
 * Express execution, more than 14 days after its end, past one year since it
 * first started, or with 24,999 history events or more.
 */
export function redrive(failed: ExecutionResult, options: RedriveOptions = {}): Promise<ExecutionResult> {
  return startRedrive(failed, options).result();
}

/** redrive, returning the handle (to answer callback tasks of the redriven run). */
export function startRedrive(failed: ExecutionResult, options: RedriveOptions = {}): ExecutionHandle {
  const st = failed instanceof Result ? Result.launchOf(failed) : undefined;
  if (!st) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${failed.executionArn}' (pass the result runDefinition, runWorkflow or a handle returned)`);
  const atMs = options.at === undefined ? failed.stopDate.getTime() : new Date(options.at).getTime();
  if (Number.isNaN(atMs)) throw new Error(`redrive: at ${JSON.stringify(options.at)} is not a date; pass a Date, an ISO string or epoch milliseconds.`);
  const notRedrivable = (why: string) => new SfnApiError("ExecutionNotRedrivable", `Execution '${failed.executionArn}' cannot be redriven: ${why}`);
  if ((st.options.stateMachineType ?? "STANDARD") === "EXPRESS") throw notRedrivable("Express executions cannot be redriven.");
  if (failed.status === "SUCCEEDED") throw notRedrivable("Execution is SUCCEEDED and cannot be redriven.");
  if (st.exec.redriven) throw notRedrivable("this attempt was already redriven; redrive the latest result.");
  if (atMs - failed.stopDate.getTime() > REDRIVE_PERIOD_MS) throw notRedrivable("the redrivable period of 14 days after the execution ended has passed.");
  if (atMs - st.originalStartMs >= STANDARD_MAX_DURATION_MS) throw notRedrivable("the execution has exceeded the maximum open time of one year.");
  if (st.history.lastEventId >= MAX_HISTORY_EVENTS - 1) throw notRedrivable(`the execution history has ${st.history.lastEventId} events; a redrive needs it under 24,999.`);
  st.exec.redriven = true;
  const count = st.count + 1;
  const execution = { ...st.execution, RedriveCount: count };
  return launch(st.compiled, st.input, { ...st.options, ...options.options, startTime: atMs }, {
    history: st.history,
    executionArn: st.executionArn,
    execution,
    redrive: { count, resume: st.exec.resumePoint, originalStartMs: st.originalStartMs },
  });
}
