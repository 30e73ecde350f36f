/** Fail: fails its scope with its Error and Cause, kept as written (no evaluation prefix). */
import { TaskFailure } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";

export async function runFail(ec: EvalContext): Promise<StateOutcome> {
  const { error, cause } = await ec.ql.failFields(ec);
  throw new TaskFailure(error === undefined ? (undefined as unknown as string) : String(error), cause === undefined ? undefined : String(cause));
}
