/** Parallel: every branch on the same input, concurrently; the first failure aborts the others at their next state. */
import { ExecutionStop, StatesError } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import type { AbortToken } from "../execution";
import { LazyCause } from "../history";

type Json = any;

export async function runParallel(ec: EvalContext): Promise<StateOutcome> {
  const { exec, frame, state } = ec;
  const ql = ec.ql;
  let branchInput = ql.effectiveInput(ec);
  const params = ec.def[ql.parametersField];
  if (params !== undefined) branchInput = await ql.payload(ec, params, branchInput, ql.parametersField);
  const { history } = exec.setup;
  history.add(frame.cursor, frame.time.now(), "ParallelStateStarted");
  const abort: AbortToken = { aborted: false, parent: frame.abort };
  const branches = state.branches!;
  const frames = branches.map(() => exec.childFrame(frame, abort));
  let results: Json[];
  try {
    results = await Promise.all(branches.map((branch, i) => exec.runMachine(branch, branchInput, frames[i])));
  } catch (err) {
    abort.aborted = true;
    exec.join(frame, frames);
    if (!(err instanceof ExecutionStop)) history.add(frame.cursor, frame.time.now(), "ParallelStateFailed", failDetails(err));
    throw err;
  }
  exec.join(frame, frames);
  history.add(frame.cursor, frame.time.now(), "ParallelStateSucceeded");
  const output = ql.output(ec, results, true);
  return ec.done(output instanceof Promise ? await output : output);
}

export function failDetails(err: unknown): Record<string, Json> {
  if (err instanceof StatesError) return { error: err.error, cause: new LazyCause(err) };
  return {};
}
