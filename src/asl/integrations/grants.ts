/**
 * The shapes of grant several rows share: a resource named by one field
 * (`single`, `named`), and the EventBridge rule a `.sync` integration manages.
 */

import { arnOf, busArn, known } from "./arns";
import { DYNAMIC, type Grant, type TaskView, dynamicGrant, target } from "./core";

/** The resources one field names (`toArns`), granted `actions`; `*` with a warning when the field is computed at run time. */
export function single(task: TaskView, field: string, actions: string[], toArns: (value: string) => string[], reason: string): Grant[] {
  const value = target(task, field);
  if (value === DYNAMIC) return [dynamicGrant(actions, field)];
  if (value === undefined) return [];
  return [{ actions, resources: toArns(value), reason }];
}

/**
 * The EventBridge rule a `.sync` integration creates in the account to learn
 * that the job finished: on the default bus, so its ARN is `rule/<name>` (no
 * bus part), and a customer-managed key on that bus needs kms:Decrypt (kms.ts).
 */
export function managedRule(task: TaskView, rule: string, reason: string): Grant {
  return {
    actions: ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
    resources: [arnOf(task.arn, "events", `rule/${rule}`)],
    reason,
    touches: [busArn("default", task.arn)],
  };
}

/** A resource named by a field (name or ARN), granted `actions`; `*` with a warning when the field is computed at run time. */
export function named(task: TaskView, field: string, actions: string[], build: (name: string) => string, reason: string): Grant[] {
  const value = target(task, field);
  if (value === DYNAMIC) return [dynamicGrant(actions, field)];
  if (value === undefined) return [];
  const resource = known(value, task.arn) ?? (value.startsWith("arn:") ? value : build(value));
  return [{ actions, resources: [resource], reason }];
}
