/** Choice: the first matching rule's Next (with its Assign/Output), else Default, else States.NoChoiceMatched. */
import { StatesError } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import { then } from "../eval-context";

type Json = any;

export function runChoice(ec: EvalContext): StateOutcome | Promise<StateOutcome> {
  const d = ec.def;
  const effective = ec.ql.effectiveInput(ec);
  return then(ec.ql.matchChoice(ec, effective), (matched: Record<string, Json> | undefined) => {
    const next = matched ? matched.Next : d.Default;
    if (next !== undefined) ec.exec.setup.observer?.choiceTaken?.(ec.state, matched ? d.Choices.indexOf(matched) : -1);
    if (next === undefined) {
      throw new StatesError("States.NoChoiceMatched", `No Choice Rule matched and no Default is set for the Choice state '${ec.state.name}'.`);
    }
    // A matched rule brings its own Assign/Output; the state's own apply only when falling through to Default.
    const source = matched ? { Assign: matched.Assign, Output: matched.Output } : { Assign: d.Assign, Output: d.Output };
    return then(ec.ql.passThrough(ec, effective, source), (output) => ({ output, next }));
  });
}
