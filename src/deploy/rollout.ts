/**
 * Gradual rollout of a workflow through its stage alias. Terraform has no
 * deployment controller, so a rollout is configuration: each step is a change
 * of one stage variable followed by `terraform apply`, and the alias routes
 * the given share of new executions to the version this synthesis publishes
 * and the rest to the version the stage ran before.
 *
 *   ROLLOUT_ORDER_PROCESSING=previous=3,weight=10   10% new version, 90% version 3
 *   ROLLOUT_ORDER_PROCESSING=previous=3,weight=50   half and half
 *   (line removed)                                   100% new version: promoted
 *   ROLLOUT_ORDER_PROCESSING=previous=3,weight=0     rolled back: 100% version 3
 */

/** One workflow's rollout step. */
export interface Rollout {
  /** The version (a number Step Functions gave when it published it) that keeps the rest of the traffic. */
  readonly previousVersion: number;
  /** Percentage (0-100) of new executions routed to the version this synthesis publishes. */
  readonly weight: number;
}

/** One entry of an alias's routing: a version (by number, or "current" for the one this synthesis publishes) and its share. */
export interface Route {
  readonly version: "current" | number;
  readonly weight: number;
}

/** The stage variable that holds a workflow's rollout: `ROLLOUT_<WORKFLOW IN UPPER SNAKE CASE>`. */
export function rolloutVariable(workflow: string): string {
  return `ROLLOUT_${workflow.toUpperCase().replace(/-/g, "_")}`;
}

const FORMAT = /^previous=(\d+),\s*weight=(\d+)$/;

/**
 * The problem with a ROLLOUT_* value: the variable, the rule, the value
 * received. Text in, text out, so the Terraform module gives expressions for
 * the variable and the value (src/module/rollouts.ts).
 */
export function rolloutProblem(variable: string, received: string): string {
  return `${variable} must be "previous=<version number>,weight=<0-100>" (the share of executions for the new version; remove the line to promote). Received: "${received}"`;
}

/**
 * Parses a ROLLOUT_* value; returns the rollout or a problem in the stage
 * configuration's wording (variable, rule, received value).
 */
export function parseRollout(variable: string, value: string): Rollout | string {
  const match = FORMAT.exec(value.trim());
  const rule = rolloutProblem(variable, value);
  if (!match) return rule;
  const previousVersion = Number(match[1]);
  const weight = Number(match[2]);
  if (!Number.isSafeInteger(previousVersion) || previousVersion < 1 || weight > 100) return rule;
  return { previousVersion, weight };
}

/**
 * The alias routing for a rollout step: the whole traffic to the current
 * version without a rollout (or at 100), the whole traffic to the previous
 * version at 0 (rolled back), else the two shares.
 */
export function aliasRoutes(rollout: Rollout | undefined): Route[] {
  if (!rollout || rollout.weight === 100) return [{ version: "current", weight: 100 }];
  if (rollout.weight === 0) return [{ version: rollout.previousVersion, weight: 100 }];
  return [
    { version: "current", weight: rollout.weight },
    { version: rollout.previousVersion, weight: 100 - rollout.weight },
  ];
}

/** An alias description's parts as text (numbers, or the Terraform expressions the module gives). */
export interface DescriptionParts {
  readonly weight: string;
  /** 100 minus the weight. */
  readonly rest: string;
  readonly previousVersion: string;
}

/** The stage alias's description, from its parts: what it routes where, in words. */
export function aliasDescriptionText(stage: string, rollout: DescriptionParts | undefined): string {
  return rollout
    ? `${stage}: rolling out, ${rollout.weight}% to the version this deployment published, ${rollout.rest}% to version ${rollout.previousVersion}`
    : `${stage}: every execution runs the version this deployment published`;
}

/** The stage alias's description for a rollout step (or none). */
export function aliasDescription(stage: string, rollout: Rollout | undefined): string {
  return aliasDescriptionText(stage, rollout && { weight: String(rollout.weight), rest: String(100 - rollout.weight), previousVersion: String(rollout.previousVersion) });
}
