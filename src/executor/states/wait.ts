/** Wait: Seconds, Timestamp, SecondsPath or TimestampPath (or their JSONata forms) on the frame's clock. */
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";

export async function runWait(ec: EvalContext): Promise<StateOutcome> {
  const effective = ec.ql.effectiveInput(ec);
  const until = await ec.ql.waitUntil(ec, effective);
  const output = await ec.ql.passThrough(ec, effective, { Assign: ec.def.Assign, Output: ec.def.Output });
  const delay = until - ec.frame.time.now();
  if (delay > 0) await ec.exec.sleep(ec.frame, delay);
  return ec.done(output);
}
