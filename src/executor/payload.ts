/**
 * JSONPath-mode payload templates: Parameters, ResultSelector, ItemSelector
 * and Assign. A key ending in `.$` takes its value from a path (`$.x`), a
 * context path (`$$.x`), a variable (`$name`) or an intrinsic function, and
 * loses the `.$` suffix; other values are copied as they are. AWS processes
 * templates recursively through nested objects and arrays.
 */
import { ExprWhere, runtimeError } from "./expr-errors";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { EvalScope, evaluatePath } from "./jsonpath";
import { setKey } from "./json";

export function resolvePayloadTemplate(template: unknown, scope: EvalScope, where: ExprWhere): unknown {
  if (Array.isArray(template)) return template.map((item) => resolvePayloadTemplate(item, scope, where));
  if (typeof template !== "object" || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(template)) {
    const value = (template as Record<string, unknown>)[key];
    if (key.endsWith(".$")) {
      const name = key.slice(0, -2);
      const fieldWhere = { field: key, state: where.state, enteredEventId: where.enteredEventId };
      if (typeof value !== "string") {
        throw runtimeError(fieldWhere, `The value for the field '${key}' must be a string holding a JSONPath or an intrinsic function, but was ${JSON.stringify(value)}; drop the '.$' suffix for a literal value.`);
      }
      const v = isIntrinsic(value) ? evaluateIntrinsic(value, scope, fieldWhere) : evaluatePath(value, scope, fieldWhere);
      if (name === "__proto__") setKey(out, name, v);
      else out[name] = v;
    } else {
      const v = resolvePayloadTemplate(value, scope, where);
      if (key === "__proto__") setKey(out, key, v);
      else out[key] = v;
    }
  }
  return out;
}
