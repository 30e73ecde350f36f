/**
 * The vocabulary every row of the integration -> IAM table (integrations.ts)
 * is written in: what a Task looks like to a row (TaskView), what a row returns
 * (Grant), the row itself (Integration), and the few helpers every row uses to
 * read a field and to say why a grant is broad.
 *
 * Pure: no cdktf. Values may be Terraform tokens when synthesizing; they are
 * treated as opaque strings and only concatenated.
 */

/** Where ARNs are built from names: the account, region and partition (tokens when synthesizing). */
export interface ArnContext {
  /** @default "aws" */
  readonly partition: string;
  /** @default "*" (unknown: the ARN then matches any region) */
  readonly region: string;
  /** @default "*" (unknown: the ARN then matches any account) */
  readonly accountId: string;
  /** The state machine being derived (a distributed Map starts child executions of itself; an HTTP Task is authorized on it). */
  readonly stateMachineName?: string;
  /** Values known to be full function ARNs although they do not look like one (Terraform tokens). */
  readonly knownFunctionArns?: ReadonlySet<string>;
  /**
   * Values that stand for a resource whose ARN is known although the value is
   * not that ARN: a declared table's name or a queue's URL rendered as a
   * Terraform reference, mapped to the resource's ARN reference.
   */
  readonly references?: Readonly<Record<string, string>>;
}

/** An IAM condition, in the shape of Terraform's aws_iam_policy_document. */
export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** What one Task needs: a statement's worth of actions on resources. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly reason: string;
  /** @default none */
  readonly conditions?: readonly Condition[];
  /** Set when the grant is broader than the Task needs (a `*` or a whole bucket): said as a warning at synthesis and in reviews. */
  readonly warning?: string;
  /** The parameter computed at run time that made the grant broad, when that is why. */
  readonly dynamicField?: string;
  /**
   * Resources the call reads or changes besides those it is granted on (the
   * event bus a rule belongs to): where the KMS derivation (iam.ts, kms.ts)
   * looks for a customer-managed key. @default none
   */
  readonly touches?: readonly string[];
  /** The AWS page this grant comes from, when not the integration's own. @default the integration's doc */
  readonly doc?: string;
}

/** The Task's target fields: Parameters (JSONPath) or Arguments (JSONata). */
export interface TaskView {
  /**
   * The field value (a dotted name reaches into objects: `Authentication.ConnectionArn`),
   * DYNAMIC when the field is computed at run time (`Field.$` or a `{% %}` expression),
   * undefined when absent.
   */
  field(name: string): unknown;
  /** The run-time expression of a DYNAMIC field (the `Field.$` path or intrinsic, or the `{% %}` JSONata), else undefined. */
  expression?(name: string): string | undefined;
  readonly arn: ArnContext;
}

/**
 * The literal start of a key computed at run time, when the expression shows it:
 * `States.Format('in/{}.json', $.id)` or `{% 'in/' & $states.input.id %}` -> `in/`.
 */
export function literalPrefix(expression: string | undefined): string {
  if (expression === undefined) return "";
  const format = /^States\.Format\(\s*'((?:[^'\\{]|\\.)*)/.exec(expression.trim());
  if (format) return format[1].replace(/\\(.)/g, "$1");
  const jsonata = /^\{%\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*&/.exec(expression.trim());
  return jsonata ? jsonata[2] : "";
}

/** The value of a field whose target is only known at run time. */
export const DYNAMIC = Symbol("dynamic");

/** Where an ASL Resource appears: a Task state, or a distributed Map's ItemReader or ResultWriter. */
export type ResourcePlace = "Task" | "ItemReader" | "ResultWriter";

export interface Integration {
  /** The ASL Resource without partition and pattern suffix, e.g. `lambda:invoke`. */
  readonly id: string;
  /** The service integration patterns this row accepts: '' (request-response), `.sync`, `.sync:2`, `.waitForTaskToken`. */
  readonly patterns: readonly string[];
  /** @default ["Task"] */
  readonly places?: readonly ResourcePlace[];
  /** The AWS page listing the IAM policy for this integration. */
  readonly doc: string;
  readonly grants: (task: TaskView, pattern: string) => Grant[];
}

export const STATES_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg";

/** `*` plus why, when a target is computed at run time: the only case where a resource wildcard is unavoidable. */
export const dynamicGrant = (actions: readonly string[], field: string, resources: readonly string[] = ["*"]): Grant => {
  const on = resources.join(", ");
  const why = `${field} is computed at run time, so the target cannot be known at synthesis: granted on ${on === "*" ? '"*"' : on}`;
  return { actions, resources, reason: `${why} (name the target literally to narrow it)`, warning: `${actions.join(", ")} ${why}. Fix: name ${field} literally.`, dynamicField: field };
};

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A field: its literal value, DYNAMIC, or undefined when absent. */
export function target(task: TaskView, field: string): string | typeof DYNAMIC | undefined {
  const value = task.field(field);
  return value === DYNAMIC ? DYNAMIC : text(value);
}
