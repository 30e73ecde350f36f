/**
 * The module's inputs beyond the built-in stage settings: the team's own stage
 * variables (team-variables.ts) and the existing declared resources
 * (resource-variables.ts), with what each sentinel stage is given for them.
 *
 * Which declared resources the module takes as existing: those declared
 * `existing: true`, and those every configured stage gives by ARN. The module
 * is one definition, so a resource that one configured stage creates and
 * another gives by ARN cannot be both: refused, naming the stages.
 */
import type { StageConfig } from "../config/stage";
import { STAGE_VARIABLES, type StageVariable } from "../../workflows/stage-variables";
import { RESOURCES, resourceArnVariable, type DeclaredResource } from "../../workflows/resources";
import { RESOURCE_SETTINGS, existingLocal } from "./resource-variables";
import type { Sentinel } from "./sentinel";
import { type TeamInput, teamInputs } from "./team-variables";
import { ModuleError } from "./transform";

export interface ModuleInputs {
  readonly team: readonly TeamInput[];
  /** Declared resources the module takes by ARN (and the other per-resource settings), in declaration order. */
  readonly existing: readonly DeclaredResource[];
}

export const NO_INPUTS: ModuleInputs = { team: [], existing: [] };

/** The inputs for the given stages; throws when a declared resource is created in some of them and existing in others. */
export function moduleInputs(
  stages: readonly StageConfig[],
  declared: { variables?: readonly StageVariable[]; resources?: readonly DeclaredResource[] } = {},
): ModuleInputs {
  const resources = declared.resources ?? RESOURCES;
  const existing: DeclaredResource[] = [];
  const mixed: string[] = [];
  for (const decl of resources) {
    const giving = stages.filter((c) => c.resources?.[decl.name]).map((c) => c.stage);
    if (decl.existing || (stages.length > 0 && giving.length === stages.length)) existing.push(decl);
    else if (giving.length > 0) {
      const creating = stages.filter((c) => !c.resources?.[decl.name]).map((c) => c.stage);
      mixed.push(`"${decl.name}" is given by ARN in ${giving.map((s) => `"${s}"`).join(", ")} (${resourceArnVariable(decl.name)}) and created in ${creating.map((s) => `"${s}"`).join(", ")}`);
    }
  }
  if (mixed.length > 0) {
    throw new ModuleError(
      `module: declared resource ${mixed.join("; ")}. The module is one definition for every stage: it creates a declared resource, or takes an existing one as a variable, not both. Give ${mixed.length > 1 ? "each" : "it"} by ARN in every configured stage (or mark it existing: true in workflows/resources.ts), or in none.`,
    );
  }
  return { team: teamInputs(declared.variables ?? STAGE_VARIABLES), existing };
}

/** What sentinel stage `index` sets for the inputs (added to sentinelEnv). */
export function inputsEnv(inputs: ModuleInputs, s: Sentinel, index: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const t of inputs.team) env[t.decl.name] = t.sentinels[index];
  inputs.existing.forEach((decl, position) => {
    for (const setting of RESOURCE_SETTINGS) env[setting.key(decl)] = setting.sentinel(decl, s, index, position).value;
  });
  return env;
}

/** The texts sentinel stage `index` leaves in the stack for the existing resources, and the expression each becomes. */
export function inputPieces(inputs: ModuleInputs, s: Sentinel, index: number): Array<readonly [string, string]> {
  return inputs.existing.flatMap((decl, position) => RESOURCE_SETTINGS.flatMap((setting) => [...setting.sentinel(decl, s, index, position).pieces]));
}

/** The stage configuration keys the inputs read (never inherited by the sentinel synthesis). */
export function inputKeys(inputs: ModuleInputs, declared: readonly DeclaredResource[] = RESOURCES): string[] {
  return [...inputs.team.map((t) => t.decl.name), ...declared.flatMap((decl) => RESOURCE_SETTINGS.map((setting) => setting.key(decl)))];
}

/** `locals { existing_resources = {...} }`: the attributes of each existing resource, from its variables. */
export function existingLocals(inputs: ModuleInputs): Record<string, Record<string, string>> | undefined {
  if (inputs.existing.length === 0) return undefined;
  return Object.fromEntries(
    inputs.existing.map((decl) => [existingLocal(decl).split(".").pop()!, Object.assign({}, ...RESOURCE_SETTINGS.map((setting) => setting.locals(decl))) as Record<string, string>]),
  );
}

/** The module block's arguments for the inputs, with a stage's values. */
export function inputArguments(inputs: ModuleInputs, c: StageConfig, hcl: (text: string) => string): Array<[string, string]> {
  const args: Array<[string, string]> = inputs.team.map((t) => [t.variable, hcl(c.variables?.[t.decl.name] ?? t.decl.default)]);
  for (const decl of inputs.existing) {
    for (const setting of RESOURCE_SETTINGS) {
      const value = setting.stageValue(c, decl);
      if (value !== undefined) args.push([setting.variable(decl), hcl(value)]);
    }
  }
  return args;
}
