/**
 * The gradual rollout (ROLLOUT_<WORKFLOW>=previous=<version>,weight=<0-100>,
 * src/deploy/rollout.ts) as a module input: `var.rollouts`, by workflow,
 * `{ previous_version, weight }`, empty by default (every alias routes all
 * executions to the version the apply publishes).
 *
 * How the module finds the aliases: each sentinel stage rolls out every
 * workflow, each sentinel with another step (sentinel.ts), so every alias of
 * the synthesized stack must be exactly what aliasRoutes and aliasDescription
 * give for that step; anything else means the stack changed shape, and is
 * named. Each alias then routes through a `dynamic "routing_configuration"`
 * over `local.alias_routes[<workflow>]` and takes
 * `local.alias_descriptions[<workflow>]`, which the locals compute from
 * var.rollouts as aliasRoutes and aliasDescriptionText do (the module's one
 * piece of logic written in HCL; __tests__/module/rollouts.test.ts runs it in
 * Terraform against aliasRoutes).
 *
 * The validations carry the project's rule and message (rolloutProblem, with
 * the value written as a ROLLOUT_ value) and the catalogue's for an unknown
 * workflow (UnknownWorkflowError).
 */
import { WORKFLOWS } from "../catalogue";
import type { StageConfig } from "../config/stage";
import { aliasDescription, aliasDescriptionText, aliasRoutes, type Rollout, rolloutProblem, rolloutVariable } from "../deploy/rollout";
import { UnknownWorkflowError } from "../errors";
import { hclMessage, hclString } from "./hcl-text";
import { ModuleError, type JsonObject } from "./transform";

export const ROLLOUTS_VARIABLE = "rollouts";

const snake = (name: string) => name.replace(/-/g, "_");
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const CURRENT_VERSION = /^\$\{aws_sfn_state_machine\.([A-Za-z0-9_-]+)\.state_machine_version_arn\}$/;

/**
 * Rewrites every stage alias of the transformed stack (synthesized with
 * `rollout` for every workflow) to route by var.rollouts; returns the
 * workflows that have an alias, in catalogue order.
 */
export function routeAliasesByVariable(doc: JsonObject, rollout: Rollout, workflows: readonly string[] = WORKFLOWS.map((w) => w.name)): string[] {
  const aliases = ((doc.resource as JsonObject | undefined)?.aws_sfn_alias ?? {}) as Record<string, JsonObject>;
  const found: string[] = [];
  for (const [name, body] of Object.entries(aliases)) {
    const workflow = workflows.find((w) => snake(w) === name);
    if (!workflow) throw new ModuleError(`module: the stack's aws_sfn_alias.${name} belongs to no catalogued workflow (workflows/catalogue.ts); src/module/rollouts.ts cannot give it var.rollouts. Name the alias after its workflow.`);
    const routes = Array.isArray(body.routing_configuration) ? body.routing_configuration : [body.routing_configuration];
    const current = routes.map((r) => (isObject(r) && typeof r.state_machine_version_arn === "string" ? CURRENT_VERSION.exec(r.state_machine_version_arn)?.[1] : undefined)).find(Boolean);
    const machine = current ?? "?";
    const expected = aliasRoutes(rollout).map((r) => ({
      state_machine_version_arn: r.version === "current" ? `\${aws_sfn_state_machine.${machine}.state_machine_version_arn}` : `\${aws_sfn_state_machine.${machine}.arn}:${r.version}`,
      weight: r.weight,
    }));
    const got = routes.map((r) => (isObject(r) ? { state_machine_version_arn: r.state_machine_version_arn, weight: r.weight } : r));
    const description = aliasDescription("${var.stage}", rollout);
    if (!current || JSON.stringify(got) !== JSON.stringify(expected) || body.description !== description) {
      throw new ModuleError(
        `module: aws_sfn_alias.${name}, synthesized with ${rolloutVariable(workflow)}=previous=${rollout.previousVersion},weight=${rollout.weight}, is not the alias src/deploy/rollout.ts gives for it (routes ${JSON.stringify(expected)}, description ${JSON.stringify(description)}); it has routes ${JSON.stringify(body.routing_configuration)} and description ${JSON.stringify(body.description)}. The stack changed how it routes the alias: update src/module/rollouts.ts.`,
      );
    }
    delete body.routing_configuration;
    body.description = `\${local.alias_descriptions["${workflow}"]}`;
    body.dynamic = {
      routing_configuration: {
        for_each: `\${local.alias_routes["${workflow}"]}`,
        content: {
          state_machine_version_arn: `\${routing_configuration.value.version == "current" ? aws_sfn_state_machine.${machine}.state_machine_version_arn : "\${aws_sfn_state_machine.${machine}.arn}:\${routing_configuration.value.version}"}`,
          weight: "${routing_configuration.value.weight}",
        },
      },
    };
    found.push(workflow);
  }
  return workflows.filter((w) => found.includes(w));
}

/** A rollout entry the project accepts (the `r` of a `for` over var.rollouts; null attributes are not). */
const VALID = "try(floor(r.previous_version) == r.previous_version && r.previous_version >= 1 && r.previous_version <= 9007199254740991 && floor(r.weight) == r.weight && r.weight >= 0 && r.weight <= 100, false)";

const list = (workflows: readonly string[]) => `[${workflows.map(hclString).join(", ")}]`;

/** var.rollouts: its type, default, description and validations ([condition, error_message] in HCL). */
export function rolloutsVariable(workflows: readonly string[]): { name: string; type: string; default: string; description: string; validations: Array<readonly [string, string]> } {
  const known = list(workflows);
  const unknown = hclMessage(`${ROLLOUTS_VARIABLE}: ${new UnknownWorkflowError("@@0@@", workflows).message}`, ["k"]);
  const problem = hclMessage(rolloutProblem(rolloutVariable("@@0@@"), "previous=@@1@@,weight=@@2@@"), [
    'upper(replace(k, "-", "_"))',
    'r.previous_version == null ? "null" : r.previous_version',
    'r.weight == null ? "null" : r.weight',
  ]);
  return {
    name: ROLLOUTS_VARIABLE,
    type: "map(object({ previous_version = number, weight = number }))",
    default: "{}",
    description:
      "Gradual rollouts in progress, by workflow (`ROLLOUT_<WORKFLOW>=previous=<version>,weight=<0-100>`): the workflow's stage alias routes `weight`% of new executions to the version this apply publishes and the rest to version `previous_version`; weight 0 rolls back, no entry promotes.",
    validations: [
      [`alltrue([for k in keys(var.${ROLLOUTS_VARIABLE}) : contains(${known}, k)])`, `join(" ", [for k in keys(var.${ROLLOUTS_VARIABLE}) : ${unknown} if !contains(${known}, k)])`],
      [`alltrue([for r in values(var.${ROLLOUTS_VARIABLE}) : ${VALID}])`, `join(" ", [for k, r in var.${ROLLOUTS_VARIABLE} : ${problem} if !${VALID}])`],
    ],
  };
}

/**
 * The locals the aliases read: each workflow's rollout (none is weight 100),
 * its routes as aliasRoutes gives them ("current": the version this apply
 * publishes) and its description.
 */
export function rolloutLocals(workflows: readonly string[]): string {
  const rolling = hclMessage(aliasDescriptionText("@@0@@", { weight: "@@1@@", rest: "@@2@@", previousVersion: "@@3@@" }), ["var.stage", "r.weight", "100 - r.weight", "r.previous_version"]);
  const steady = hclMessage(aliasDescriptionText("@@0@@", undefined), ["var.stage"]);
  return `# Each workflow's stage alias (var.${ROLLOUTS_VARIABLE}): no entry routes every execution to the version this apply
# publishes, as weight 100 does; weight 0 routes every execution to the previous version (a rollback).
locals {
  rollouts = { for workflow in ${list(workflows)} : workflow => lookup(var.${ROLLOUTS_VARIABLE}, workflow, { previous_version = 0, weight = 100 }) }
  alias_routes = {
    for workflow, r in local.rollouts : workflow => concat(
      r.weight > 0 ? [{ version = "current", weight = r.weight }] : [],
      r.weight < 100 ? [{ version = tostring(r.previous_version), weight = 100 - r.weight }] : [],
    )
  }
  alias_descriptions = {
    for workflow, r in local.rollouts : workflow => (contains(keys(var.${ROLLOUTS_VARIABLE}), workflow)
      ? ${rolling}
      : ${steady}
    )
  }
}
`;
}

/** The module argument for a stage's rollouts (one line), or none without a rollout; a workflow without an alias is refused. */
export function rolloutArgument(c: Pick<StageConfig, "stage" | "rollouts">, workflows?: readonly string[]): [string, string] | undefined {
  const entries = Object.entries(c.rollouts);
  if (entries.length === 0) return undefined;
  const missing = workflows ? entries.filter(([w]) => !workflows.includes(w)).map(([w]) => rolloutVariable(w)) : [];
  if (missing.length > 0) {
    throw new ModuleError(`module: stage "${c.stage}" sets ${missing.join(", ")}, but the stack has no stage alias for that workflow, so the module cannot route it. Remove the setting.`);
  }
  const items = entries.map(([w, r]) => `${hclString(w)} = { previous_version = ${r.previousVersion}, weight = ${r.weight} }`);
  return [ROLLOUTS_VARIABLE, `{ ${items.join(", ")} }`];
}
