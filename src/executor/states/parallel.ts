/** Parallel: every branch on the same input, concurrently; the first failure aborts the others at their next state. */
import { ExecutionStop, StatesError } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import type { AbortToken, ChildOutcome } from "../execution";
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
  // For redrive: what each branch did; a redrive keeps the branches that succeeded and resumes the others.
  const prior = frame.resumeChildren;
  frame.resumeChildren = undefined;
  const outcomes: ChildOutcome[] = new Array(branches.length);
  frame.childOutcomes = outcomes;
  const runBranch = async (i: number): Promise<Json> => {
    const before = prior?.[i];
    if (before && "output" in before) {
      outcomes[i] = before;
      return before.output;
    }
    try {
      const out = await exec.runMachine(branches[i], branchInput, frames[i], before?.resume);
      outcomes[i] = { output: out };
      return out;
    } catch (err) {
      if (frames[i].failedAt) outcomes[i] = { resume: frames[i].failedAt! };
      throw err;
    }
  };
  let results: Json[];
  try {
    results = await Promise.all(branches.map((_, i) => runBranch(i)));
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
