/**
 * Event schemas: each handler declares its event once, with zod, and takes
 * its type from it (`z.output<typeof Event>`). A failed parse becomes the
 * error name the workflows match, with every problem listed at once in the
 * project's wording: the field, the rule, and the value received, e.g.
 * `items[0].quantity must be an integer > 0 (received 0)`.
 *
 * Schemas here only check, never transform (no defaults, coercions or
 * stripping: objects are `looseObject`), so a valid event is returned as it
 * came, with its key order, which the workflow's state data keeps.
 */

// zod/mini: the same validation core without the method-chaining classes and
// bundled locales of "zod" (measured: 15.9 KB against 454 KB for a one-schema
// bundle); every message here is the project's own, so no locale is needed.
// Import it as a namespace and only reach into it (`z.string`): re-exporting
// the namespace object would keep all of zod, locales included, in every bundle.
import * as z from "zod/mini";
// Named imports from zod's core (not the `z.core` namespace, which would keep all of it in every bundle).
import { $constructor, $ZodObjectJIT } from "zod/v4/core";
import { InvalidInputError, ValidationFailedError } from "./errors";
import { received } from "./validate";

/** The custom-issue params of a message that is complete as it is (no "(received ...)" appended). */
export const EXACT = { exact: true } as const;

const NON_EMPTY = "must be a non-empty string";

/** A string with something other than whitespace; further refinements run only when it is one. */
export const nonEmptyString = () => z.string({ error: NON_EMPTY }).check(z.refine((s) => s.trim() !== "", { error: NON_EMPTY, abort: true }));

/** A string `Date.parse` understands (ISO 8601). */
export const isTimestamp = (s: string) => !Number.isNaN(Date.parse(s));
export const timestamp = (error = "must be an ISO 8601 timestamp") => z.string({ error }).check(z.refine(isTimestamp, { error }));

export interface NumberRule {
  readonly min?: number;
  /** Strictly greater than zero. */
  readonly positive?: boolean;
  readonly integer?: boolean;
}

/** A finite number; the message names every bound, e.g. "must be an integer >= 0". */
export function number(rule: NumberRule = {}) {
  const bound = rule.positive ? " > 0" : rule.min !== undefined ? ` >= ${rule.min}` : "";
  const error = `must be ${rule.integer ? "an integer" : "a number"}${bound}`;
  const checks = [
    ...(rule.positive ? [z.positive({ error })] : []),
    ...(rule.min !== undefined ? [z.gte(rule.min, { error })] : []),
  ];
  return rule.integer ? z.int({ error }).check(...checks) : z.number({ error }).check(...checks);
}

/**
 * zod/mini's objects check field by field through a generic loop; zod's own
 * compiled object parser (`$ZodObjectJIT`, what the classic `z.object` uses,
 * generated once per shape with `new Function`, which Lambda allows) checks
 * the same fields at a third of the cost (measured: 0.61 us against 1.44 us
 * for the order). Same checks, messages and issues, typed as zod/mini's
 * loose object: the event handed on keeps every field, and an object's own
 * checks see them all.
 */
const initCompiled: (inst: z.core.$ZodObject, def: z.core.$ZodObjectDef) => void = $ZodObjectJIT.init;
const initMini: (inst: z.ZodMiniType, def: z.core.$ZodObjectDef) => void = z.ZodMiniType.init;
const KEEP_EXTRA_FIELDS = z.unknown();
const CompiledObject = $constructor("SfnCompiledLooseObject", (inst: z.core.$ZodObject, def: z.core.$ZodObjectDef) => {
  // The parsed object is read only by the object's own checks (parseEvent returns the input itself, extra fields
  // and all): without checks, the fields the shape does not declare are left out of it rather than walked and copied.
  const effective = def.checks?.length ? { ...def, catchall: KEEP_EXTRA_FIELDS } : { ...def, catchall: undefined };
  initCompiled(inst, effective);
  initMini(inst as unknown as z.ZodMiniType, effective);
});

function looseObject<S extends z.core.$ZodLooseShape>(shape: S, error: string): z.ZodMiniObject<S, z.core.$loose> {
  return new CompiledObject({ type: "object", shape, error: () => error }) as unknown as z.ZodMiniObject<S, z.core.$loose>;
}

/** An object that keeps every field it was given. */
export const record = <S extends z.core.$ZodLooseShape>(shape: S) => looseObject(shape, "must be an object");

export const anyRecord = () => z.record(z.string(), z.unknown(), { error: "must be an object" });

export function list<T extends z.ZodMiniType>(item: T, options: { nonEmpty?: boolean } = {}) {
  const schema = z.array(item, { error: "must be an array" });
  return options.nonEmpty ? schema.check(z.minLength(1, { error: "must contain at least one element" })) : schema;
}

/** The event itself: a JSON object. */
export const event = <S extends z.core.$ZodLooseShape>(shape: S) => looseObject(shape, "must be a JSON object");

/** `items[0].sku`, from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text === "" ? String(key) : `${text}.${String(key)}`), "");
}

/** One line per issue: "<field> <rule> (received <value>)"; the event itself is `root` ("the event", "the order"). */
export function problemsOf(issues: readonly z.core.$ZodIssue[], root: string): string[] {
  const lines = issues.map((issue) => {
    const where = issue.path.length === 0 ? root : formatPath(issue.path);
    const exact = issue.code === "custom" && (issue.params as { exact?: boolean } | undefined)?.exact === true;
    const complete = exact || issue.message.includes("(received ");
    return complete ? `${where} ${issue.message}` : `${where} ${issue.message} (received ${received(issue.input, issue.path)})`;
  });
  return [...new Set(lines)];
}

/**
 * Parses a handler's event, or a part of it found at `at` (e.g. ["task", "payload"]);
 * any problem is `InvalidInput` (a wiring bug in the workflow or its caller).
 */
export function parseEvent<S extends z.ZodMiniType>(handler: string, schema: S, input: unknown, at: readonly PropertyKey[] = []): z.output<S> {
  const issues = issuesOf(schema, input);
  if (issues) throw new InvalidInputError(handler, problemsOf(issues.map((issue) => ({ ...issue, path: [...at, ...issue.path] })), "the event"));
  // The schemas never transform, so the valid input is the output, key order included.
  return input as z.output<S>;
}

/** Parses a business input (an order); any problem is `CustomError.ValidationFailed`, which the workflows route to their validation path. */
export function parseBusinessInput<S extends z.ZodMiniType>(subject: string, schema: S, input: unknown): z.output<S> {
  const issues = issuesOf(schema, input);
  if (issues) throw new ValidationFailedError(problemsOf(issues, `the ${subject}`), subject);
  return input as z.output<S>;
}

/**
 * The issues of an invalid input, with the values received; undefined when it
 * is valid. Reporting the input costs a third more, so only a failed parse
 * (the rare case) is repeated with it.
 */
function issuesOf(schema: z.ZodMiniType, input: unknown): readonly z.core.$ZodIssue[] | undefined {
  if (schema.safeParse(input).success) return undefined;
  return schema.safeParse(input, { reportInput: true }).error?.issues;
}
