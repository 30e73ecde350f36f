/** Pass: its Result (or its parameters, or its input) through the state's output processing. */
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";

type Json = any;

// No named closures here: esbuild's keepNames (tsx) would rename each one on every call.
export function runPass(ec: EvalContext): StateOutcome | Promise<StateOutcome> {
  const d = ec.def;
  const ql = ec.ql;
  const effective = ql.effectiveInput(ec);
  const params = d[ql.parametersField];
  if (params === undefined) return finish(ec, "Result" in d ? d.Result : effective, "Result" in d);
  // Parameters are evaluated (and may fail) even when a Result replaces them.
  const result = ql.payload(ec, params, effective, ql.parametersField);
  if (result instanceof Promise) return result.then((r) => finish(ec, "Result" in d ? d.Result : r, true));
  return finish(ec, "Result" in d ? d.Result : result, true);
}

function finish(ec: EvalContext, result: Json, hasResult: boolean): StateOutcome | Promise<StateOutcome> {
  const output = ec.ql.output(ec, result, hasResult);
  return output instanceof Promise ? output.then((o) => ec.done(o)) : ec.done(output);
}
