/**
 * variables.tf of the module: the stage settings as variables with the embedded
 * defaults, validated by Terraform with the project's own rules and messages
 * (src/config/stage.ts): the name parts, and every name limit of
 * nameLimitCandidates, as cross-variable validations (Terraform >= 1.9); then
 * the gradual rollouts (rollouts.ts), the team's own stage variables
 * (team-variables.ts) and the settings of each existing declared resource
 * (resource-variables.ts).
 */
import { LIMITS, names } from "../config/naming";
import { DEFAULTS, EMAIL, LOG_LEVELS, NAME_PART, nameLimitCandidates, RETENTION_DAYS } from "../config/stage";
import { attributes, hclString } from "./hcl-text";
import { type ModuleInputs, NO_INPUTS } from "./inputs";
import { rolloutsVariable } from "./rollouts";
import { re2Obstacle, teamValidations } from "./team-variables";
import { ModuleError } from "./transform";

export { attributes, hclString };

interface Variable {
  name: string;
  type: string;
  description: string;
  default?: string;
  /** [condition, error_message as HCL text] */
  validations: Array<readonly [string, string]>;
  /** A required variable that may not be null. */
  nonNullable?: boolean;
}

const NAME_RULE = "must start with a lower-case letter and use only a-z, 0-9 and '-', not ending in '-'";

/** The name limit validations: the longest name of each limited kind, `<project>-<stage>` plus a fixed suffix. */
function nameLimitValidations(): Array<readonly [string, string]> {
  const probe = { projectName: "p", stage: "s" };
  const head = names.stack(probe).length;
  const candidates = nameLimitCandidates(probe);
  const out: Array<readonly [string, string]> = [];
  for (const kind of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const longest = candidates.filter(([k]) => k === kind).sort((a, b) => b[1].length - a[1].length)[0];
    if (!longest) continue;
    const limit = LIMITS[kind];
    if (!longest[1].startsWith("p-s")) continue;
    const suffix = longest[1].slice(head);
    const length = `length(var.project_name) + length(var.stage) + ${1 + suffix.length}`;
    out.push([
      `${length} <= ${limit.max}`,
      hclString(
        `PROJECT_NAME and STAGE make "@@0@@" @@1@@ characters long; ${limit.what} allow at most ${limit.max}. Shorten PROJECT_NAME ("@@2@@") or STAGE ("@@3@@") by @@4@@.`,
      )
        .replace("@@0@@", `\${var.project_name}-\${var.stage}${suffix}`)
        .replace("@@1@@", `\${${length}}`)
        .replace("@@2@@", "${var.project_name}")
        .replace("@@3@@", "${var.stage}")
        .replace("@@4@@", `\${${length} - ${limit.max}}`),
    ]);
  }
  return out;
}

function variables(inputs: ModuleInputs): Variable[] {
  const nameRegex = hclString(NAME_PART.source);
  const builtIn: Variable[] = [
    {
      name: "project_name",
      type: "string",
      description: "The project part of every AWS name (`<project_name>-<stage>-...`).",
      validations: [
        [`can(regex(${nameRegex}, var.project_name))`, `"PROJECT_NAME ${NAME_RULE}. Received: \${jsonencode(var.project_name)}"`],
        ...nameLimitValidations(),
      ],
    },
    {
      name: "stage",
      type: "string",
      description: "The stage: part of every AWS name, and the name of every state machine's alias.",
      validations: [[`can(regex(${nameRegex}, var.stage))`, `"STAGE ${NAME_RULE}. Received: \${jsonencode(var.stage)}"`]],
    },
    {
      name: "owner",
      type: "string",
      description: "An `Owner` tag on every taggable resource; null (the default) leaves the Owner tag to the provider's default_tags.",
      default: "null",
      validations: [
        [
          `var.owner == null ? true : length(trimspace(var.owner)) > 0 && length(var.owner) <= 256 && !startswith(var.owner, "aws:")`,
          `"OWNER must be a tag value: not empty, at most 256 characters, not starting with aws:. Received: \${jsonencode(var.owner)}"`,
        ],
      ],
    },
    {
      name: "log_level",
      type: "string",
      description: "The handlers' log level (LOG_LEVEL).",
      default: hclString(DEFAULTS.LOG_LEVEL),
      validations: [
        [
          `contains([${LOG_LEVELS.map((l) => hclString(l)).join(", ")}], var.log_level)`,
          `"LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}. Received: \${jsonencode(var.log_level)}"`,
        ],
      ],
    },
    {
      name: "log_retention_days",
      type: "number",
      description: "Retention of every log group (LOG_RETENTION_DAYS).",
      default: DEFAULTS.LOG_RETENTION_DAYS,
      validations: [
        [
          `contains([${RETENTION_DAYS.join(", ")}], var.log_retention_days)`,
          `"LOG_RETENTION_DAYS must be one of the values CloudWatch Logs accepts: ${RETENTION_DAYS.join(", ")}. Received: \${jsonencode(var.log_retention_days)}"`,
        ],
      ],
    },
    {
      name: "log_execution_data",
      type: "bool",
      description: "Include inputs and outputs in state machine logs (SFN_LOG_EXECUTION_DATA).",
      default: DEFAULTS.SFN_LOG_EXECUTION_DATA,
      validations: [],
    },
    {
      name: "lambda_reserved_concurrency",
      type: "number",
      description: "Reserved concurrency of each function (LAMBDA_RESERVED_CONCURRENCY).",
      default: DEFAULTS.LAMBDA_RESERVED_CONCURRENCY,
      validations: [
        [
          "floor(var.lambda_reserved_concurrency) == var.lambda_reserved_concurrency && var.lambda_reserved_concurrency >= 1 && var.lambda_reserved_concurrency <= 1000",
          `"LAMBDA_RESERVED_CONCURRENCY must be a whole number from 1 to 1000. Received: \${jsonencode(var.lambda_reserved_concurrency)}"`,
        ],
      ],
    },
    {
      name: "alarm_email",
      type: "string",
      description: "An e-mail address subscribed to the stage's alarm topic (ALARM_EMAIL); null for none.",
      default: "null",
      validations: [[`var.alarm_email == null ? true : can(regex(${hclString(EMAIL.source)}, var.alarm_email))`, `"ALARM_EMAIL must be an e-mail address. Received: \${jsonencode(var.alarm_email)}"`]],
    },
    {
      name: "tags",
      type: "map(string)",
      description: "Tags added to every taggable resource, besides the provider's default_tags.",
      default: "{}",
      validations: [],
    },
  ];
  const team: Variable[] = inputs.team.map((t) => {
    const rule = Array.isArray(t.decl.rule) ? "" : re2Obstacle(t.decl.rule as RegExp) ? ` Its rule ${String(t.decl.rule)} is not checked by Terraform (RE2 lacks what it uses).` : "";
    return { name: t.variable, type: "string", description: `${t.decl.description} (${t.decl.name}, workflows/stage-variables.ts)${rule}`, default: hclString(t.decl.default), validations: teamValidations(t) };
  });
  const resources: Variable[] = inputs.settings.map(({ decl, setting }) => {
    const d = setting.default(decl);
    return { name: setting.variable(decl), type: "string", description: setting.description(decl), default: d, validations: setting.validations(decl), nonNullable: d === undefined };
  });
  if (inputs.aliases && inputs.aliases.length > 0) builtIn.push(rolloutsVariable(inputs.aliases));
  const all = [...builtIn, ...team, ...resources];
  const seen = new Map<string, string>();
  for (const v of all) {
    const from = team.includes(v) ? "a stage variable of workflows/stage-variables.ts" : resources.includes(v) ? "an existing resource of workflows/resources.ts" : "a built-in setting";
    const earlier = seen.get(v.name);
    if (earlier) throw new ModuleError(`module: the module variable "${v.name}" would stand for both ${earlier} and ${from}. Rename the stage variable or the resource.`);
    seen.set(v.name, from);
  }
  return all;
}

export const VARIABLE_NAMES = (inputs: ModuleInputs = NO_INPUTS) => variables(inputs).map((v) => v.name);

/** The variables with their type, default and description, for the README. */
export function variableTable(inputs: ModuleInputs = NO_INPUTS): Array<{ name: string; type: string; default?: string; description: string }> {
  return variables(inputs).map(({ name, type, default: d, description }) => ({ name, type, default: d, description }));
}

export function variablesTf(inputs: ModuleInputs = NO_INPUTS): string {
  const blocks = variables(inputs).map((v) => {
    const lines = [`variable ${hclString(v.name)} {`];
    const attrs: Array<[string, string]> = [
      ["type", v.type],
      ["description", hclString(v.description)],
    ];
    if (v.default !== undefined) attrs.push(["default", v.default]);
    if (v.nonNullable) attrs.push(["nullable", "false"]);
    lines.push(...attributes(attrs, "  "));
    for (const [condition, message] of v.validations) {
      lines.push("", "  validation {", ...attributes([["condition", condition], ["error_message", message]], "    "), "  }");
    }
    lines.push("}");
    return lines.join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}
