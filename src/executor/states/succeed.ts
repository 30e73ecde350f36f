/** Succeed: ends its scope successfully with its (filtered) input. */
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import { then } from "../eval-context";

export function runSucceed(ec: EvalContext): StateOutcome | Promise<StateOutcome> {
  const effective = ec.ql.effectiveInput(ec);
  return then(ec.ql.passThrough(ec, effective, { Output: ec.def.Output }), (output) => ({ output }));
}
