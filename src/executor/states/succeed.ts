/** Succeed: ends its scope successfully with its (filtered) input. */
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";

export async function runSucceed(ec: EvalContext): Promise<StateOutcome> {
  const effective = ec.ql.effectiveInput(ec);
  return { output: await ec.ql.passThrough(ec, effective, { Output: ec.def.Output }) };
}
