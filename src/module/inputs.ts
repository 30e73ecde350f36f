/**
 * The module's inputs beyond the built-in stage settings: the team's own stage
 * variables (team-variables.ts) and the existing declared resources
 * (resource-variables.ts), with what each sentinel stage is given for them.
 *
 * Which declared resources the module takes as existing: those declared
 * `existing: true`, and those every configured stage gives by ARN. The module
 * is one definition, so a resource that one configured stage creates and
 * another gives by ARN cannot be both: refused, naming the stages. The same
 * for each other per-resource setting of an existing resource (a
 * RESOURCE_SETTINGS entry that is not `always`): an input when every
 * configured stage sets it, none when no stage does, refused when some do.
 */
import type { StageConfig } from "../config/stage";
import { STAGE_VARIABLES, type StageVariable } from "../../workflows/stage-variables";
import { RESOURCES, resourceArnVariable, type DeclaredResource } from "../../workflows/resources";
import { RESOURCE_SETTINGS, type ResourceSetting, existingLocal } from "./resource-variables";
import type { Sentinel } from "./sentinel";
import { type TeamInput, teamInputs } from "./team-variables";
import { ModuleError } from "./transform";

/** One setting of one existing resource the module takes as a variable; `position`: the resource's among the existing ones. */
export interface ResourceInput {
  readonly decl: DeclaredResource;
  readonly setting: ResourceSetting;
  readonly position: number;
}

export interface ModuleInputs {
  readonly team: readonly TeamInput[];
  /** Declared resources the module takes by ARN, in declaration order. */
  readonly existing: readonly DeclaredResource[];
  /** Their settings that are module variables: the ARN of each, and every other one the configured stages set. */
  readonly settings: readonly ResourceInput[];
  /** The workflows with a stage alias, found in the synthesized stack (rollouts.ts): the keys var.rollouts takes; none, no var.rollouts. */
  readonly aliases?: readonly string[];
}

export const NO_INPUTS: ModuleInputs = { team: [], existing: [], settings: [] };

/** Inputs for the given team variables and existing resources, every per-resource setting an `always` one or one every stage sets. */
export function inputsOf(team: readonly TeamInput[], existing: readonly DeclaredResource[], stages: readonly StageConfig[] = []): ModuleInputs {
  const mixed: string[] = [];
  const settings = settingsOf(existing, stages, mixed);
  if (mixed.length > 0) throw mixedError(mixed);
  return { team, existing, settings };
}

function settingsOf(existing: readonly DeclaredResource[], stages: readonly StageConfig[], mixed: string[], all: readonly ResourceSetting[] = RESOURCE_SETTINGS): ResourceInput[] {
  return existing.flatMap((decl, position) =>
    all.flatMap((setting) => {
      if (setting.always) return [{ decl, setting, position }];
      const giving = stages.filter((c) => setting.stageValue(c, decl) !== undefined).map((c) => c.stage);
      if (stages.length > 0 && giving.length === stages.length) return [{ decl, setting, position }];
      if (giving.length > 0) {
        const not = stages.filter((c) => setting.stageValue(c, decl) === undefined).map((c) => c.stage);
        mixed.push(`"${decl.name}" has ${setting.key(decl)} set in ${giving.map((x) => `"${x}"`).join(", ")} and not in ${not.map((x) => `"${x}"`).join(", ")}`);
      }
      return [];
    }),
  );
}

function mixedError(mixed: readonly string[]): ModuleError {
  return new ModuleError(
    `module: declared resource ${mixed.join("; ")}. The module is one definition for every stage: it creates a declared resource, or takes an existing one (and each of its settings) as a variable, not both. Set ${mixed.length > 1 ? "each" : "it"} in every configured stage (or mark the resource existing: true in workflows/resources.ts), or in none.`,
  );
}

/** The inputs for the given stages; throws when a declared resource is created in some of them and existing in others. */
export function moduleInputs(
  stages: readonly StageConfig[],
  declared: { variables?: readonly StageVariable[]; resources?: readonly DeclaredResource[]; settings?: readonly ResourceSetting[] } = {},
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
  const settings = settingsOf(existing, stages, mixed, declared.settings);
  if (mixed.length > 0) throw mixedError(mixed);
  return { team: teamInputs(declared.variables ?? STAGE_VARIABLES), existing, settings };
}

/** What sentinel stage `index` sets for the inputs (added to sentinelEnv). */
export function inputsEnv(inputs: ModuleInputs, s: Sentinel, index: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const t of inputs.team) env[t.decl.name] = t.sentinels[index];
  for (const { decl, setting, position } of inputs.settings) env[setting.key(decl)] = setting.sentinel(decl, s, index, position).value;
  return env;
}

/** The texts sentinel stage `index` leaves in the stack for the existing resources, and the expression each becomes. */
export function inputPieces(inputs: ModuleInputs, s: Sentinel, index: number): Array<readonly [string, string]> {
  return inputs.settings.flatMap(({ decl, setting, position }) => [...setting.sentinel(decl, s, index, position).pieces]);
}

/** The stage configuration keys the inputs read (never inherited by the sentinel synthesis). */
export function inputKeys(inputs: ModuleInputs, declared: readonly DeclaredResource[] = RESOURCES): string[] {
  return [...inputs.team.map((t) => t.decl.name), ...declared.flatMap((decl) => RESOURCE_SETTINGS.map((setting) => setting.key(decl)))];
}

/** `locals { existing_resources = {...} }`: the attributes of each existing resource, from its variables. */
export function existingLocals(inputs: ModuleInputs): Record<string, Record<string, string>> | undefined {
  if (inputs.existing.length === 0) return undefined;
  return Object.fromEntries(
    inputs.existing.map((decl) => [
      existingLocal(decl).split(".").pop()!,
      Object.assign({}, ...inputs.settings.filter((i) => i.decl === decl).map(({ setting }) => setting.locals(decl))) as Record<string, string>,
    ]),
  );
}

/** The module block's arguments for the inputs, with a stage's values. */
export function inputArguments(inputs: ModuleInputs, c: StageConfig, hcl: (text: string) => string): Array<[string, string]> {
  const args: Array<[string, string]> = inputs.team.map((t) => [t.variable, hcl(c.variables?.[t.decl.name] ?? t.decl.default)]);
  for (const { decl, setting } of inputs.settings) {
    const value = setting.stageValue(c, decl);
    if (value !== undefined) args.push([setting.variable(decl), hcl(value)]);
  }
  return args;
}
