/**
 * JSONPath-mode payload templates: Parameters, ResultSelector, ItemSelector
 * and Assign. A key ending in `.$` takes its value from a path (`$.x`), a
 * context path (`$$.x`), a variable (`$name`) or an intrinsic function, and
 * loses the `.$` suffix; other values are copied as they are. AWS processes
 * templates recursively through nested objects and arrays.
 *
 * A template object is parsed once (its keys sorted into paths, intrinsics,
 * literals and nested templates) and cached by identity: definitions do not
 * change while they run.
 */
import { ExprWhere, runtimeError } from "./expr-errors";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { EvalScope, evaluatePath } from "./jsonpath";
import { setKey } from "./json";

const PATH = 0;
const INTRINSIC = 1;
const LITERAL = 2;
const NESTED = 3;

interface Entry {
  /** The output key (without `.$`). */
  readonly key: string;
  /** The template key, as AWS names the field in messages. */
  readonly field: string;
  readonly kind: typeof PATH | typeof INTRINSIC | typeof LITERAL | typeof NESTED;
  readonly value: any;
}

const parsed = new WeakMap<object, readonly Entry[]>();

function parse(template: Record<string, unknown>, where: ExprWhere): readonly Entry[] {
  let entries = parsed.get(template);
  if (entries) return entries;
  const out: Entry[] = [];
  for (const key of Object.keys(template)) {
    const value = template[key];
    if (key.endsWith(".$")) {
      if (typeof value !== "string") {
        throw runtimeError(
          { state: where.state, enteredEventId: where.enteredEventId },
          `The value for the field '${key}' must be a string holding a JSONPath or an intrinsic function, but was ${JSON.stringify(value)}; drop the '.$' suffix for a literal value.`,
        );
      }
      out.push({ key: key.slice(0, -2), field: key, kind: isIntrinsic(value) ? INTRINSIC : PATH, value });
    } else {
      out.push({ key, field: key, kind: value !== null && typeof value === "object" ? NESTED : LITERAL, value });
    }
  }
  entries = out;
  parsed.set(template, entries);
  return entries;
}

export function resolvePayloadTemplate(template: unknown, scope: EvalScope, where: ExprWhere): unknown {
  if (Array.isArray(template)) return template.map((item) => resolvePayloadTemplate(item, scope, where));
  if (typeof template !== "object" || template === null) return template;
  const entries = parse(template as Record<string, unknown>, where);
  const out: Record<string, unknown> = {};
  // One `where` per template, its field set per key (messages are built when thrown, so reuse is safe).
  let fieldWhere: ExprWhere | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    let v: unknown;
    if (e.kind === LITERAL) v = e.value;
    else if (e.kind === NESTED) v = resolvePayloadTemplate(e.value, scope, where);
    else {
      fieldWhere ??= { field: e.field, state: where.state, enteredEventId: where.enteredEventId };
      fieldWhere.field = e.field;
      v = e.kind === PATH ? evaluatePath(e.value, scope, fieldWhere) : evaluateIntrinsic(e.value, scope, fieldWhere);
    }
    if (e.key === "__proto__") setKey(out, e.key, v);
    else out[e.key] = v;
  }
  return out;
}
