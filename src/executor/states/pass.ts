/** Pass: its Result (or its parameters, or its input) through the state's output processing. */
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";

export async function runPass(ec: EvalContext): Promise<StateOutcome> {
  const d = ec.def;
  const ql = ec.ql;
  let result = ql.effectiveInput(ec);
  let hasResult = false;
  const params = d[ql.parametersField];
  if (params !== undefined) {
    result = await ql.payload(ec, params, result, ql.parametersField);
    hasResult = true;
  }
  if ("Result" in d) {
    result = d.Result;
    hasResult = true;
  }
  return ec.done(await ql.output(ec, result, hasResult));
}
