/**
 * `npm run module`: the stage-agnostic Terraform module, and an example root
 * per configured stage.
 *
 * 1. Refuse templates that branch on a stage value (templates.ts); settle the
 *    inputs beyond the built-in settings: the team's stage variables and the
 *    existing declared resources (inputs.ts).
 * 2. Synthesize the stage stack for two sentinel stages (sentinel.ts; inputs.ts
 *    gives each team variable a valid value and each existing resource a
 *    sentinel ARN) with the project's own synthesis (`sfn-workflows synth`, in
 *    a child process).
 * 3. Turn each into the module's Terraform JSON (transform.ts), each stage
 *    alias routed by var.rollouts (rollouts.ts), and align the
 *    two (align.ts): where they differ by a team variable's value, that place
 *    becomes `${var.<name>}`; any other difference means some output depends on
 *    the stage in a way the module cannot express, and the places are named.
 * 4. Write it as HCL with the project's writer (src/hcl), one file per workflow
 *    (the Lambda handlers' resources in functions.tf, the stage's shared ones in main.tf),
 *    plus versions.tf, variables.tf, outputs.tf, locals.tf and the Lambda packages.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKFLOWS } from "../catalogue";
import { listHandlers, REPO_ROOT } from "../config/handlers";
import type { StageConfig } from "../config/stage";
import { writeHcl } from "../hcl/write";
import { alignDocs } from "./align";
import { exampleRoot } from "./examples";
import { attributes } from "./hcl-text";
import { existingLocals, inputKeys, inputPieces, inputsEnv, moduleInputs, type ModuleInputs } from "./inputs";
import { moduleReadme } from "./readme";
import { rolloutArgument, rolloutLocals, routeAliasesByVariable } from "./rollouts";
import { SENTINELS, sentinelEnv, type Sentinel } from "./sentinel";
import { uncheckedRules } from "./team-variables";
import { assertNoStageBranches } from "./templates";
import { ModuleError, transformStack, type JsonObject, type JsonValue, type Transformed } from "./transform";
import { variablesTf } from "./variables";

/** Configuration variables the synthesis reads: never inherited, so the sentinel stage is exactly the sentinel. */
const CONFIG_KEYS = /^(PROJECT_NAME|STAGE|STAGES|REGION|OWNER|LOG_LEVEL|LOG_RETENTION_DAYS|SFN_LOG_EXECUTION_DATA|LAMBDA_RESERVED_CONCURRENCY|ALARM_EMAIL|STATE_[A-Z_]+|ROLLOUT_[A-Z0-9_]+|RESOURCE_[A-Z0-9_]+|BOOTSTRAP|CDKTF_OUTDIR|SYNTH_[A-Z_]+)$/;

/** Terraform >= 1.9: validations that refer to another variable (the name limits). */
export const REQUIRED_TERRAFORM = ">= 1.9";

/**
 * The caller's region (the one data source the stack does not have), with the
 * checks of the existing resources' ARNs that need the provider's region and
 * partition as postconditions.
 */
export function regionData(inputs: ModuleInputs): string {
  const checks = inputs.settings.flatMap(({ decl, setting }) => setting.regionChecks(decl));
  if (checks.length === 0) return 'data "aws_region" "current" {}\n';
  const blocks = checks.map(([condition, message]) => ["    postcondition {", ...attributes([["condition", condition], ["error_message", message]], "      "), "    }"].join("\n"));
  return `data "aws_region" "current" {\n  lifecycle {\n${blocks.join("\n")}\n  }\n}\n`;
}

function synthesizeSentinel(s: Sentinel, index: number, inputs: ModuleInputs, work: string): { doc: JsonObject; dir: string } {
  const out = join(work, `synth-${s.projectName}`);
  const env: NodeJS.ProcessEnv = {};
  const keys = new Set(inputKeys(inputs));
  for (const [k, v] of Object.entries(process.env)) if (!CONFIG_KEYS.test(k) && !keys.has(k)) env[k] = v;
  const child = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "sfn-workflows.mjs"), "synth", "--out", out], {
    cwd: REPO_ROOT,
    env: { ...env, ...sentinelEnv(s), ...inputsEnv(inputs, s, index) },
    encoding: "utf8",
  });
  if (child.status !== 0) {
    throw new ModuleError(`module: synthesizing the sentinel stage ${s.projectName}-${s.stage} failed:\n${(child.stderr || child.stdout || "").trim()}`);
  }
  const dir = join(out, "stacks", `${s.projectName}-${s.stage}`);
  return { doc: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as JsonObject, dir };
}

const snake = (name: string) => name.replace(/-/g, "_");

/** The workflow a resource or data name belongs to (its address starts with the workflow's), or undefined. */
export function workflowOf(name: string, workflows: readonly string[] = WORKFLOWS.map((w) => w.name)): string | undefined {
  const hits = workflows.filter((w) => name === snake(w) || name.startsWith(`${snake(w)}_`));
  return hits.sort((a, b) => b.length - a.length)[0];
}

/** Whether a resource or data name belongs to one of the Lambda handlers (its function, role, policy, log group). */
export function handlerOf(name: string, handlers: readonly string[] = listHandlers()): string | undefined {
  return handlers.filter((h) => name === snake(h) || name.startsWith(`${snake(h)}_`)).sort((a, b) => b.length - a.length)[0];
}

/** Splits resources and data sources into files: `<workflow>.tf`, the rest in `main.tf`. */
function splitByWorkflow(doc: JsonObject): Map<string, JsonObject> {
  const files = new Map<string, JsonObject>();
  for (const kind of ["data", "resource"] as const) {
    for (const [type, byName] of Object.entries((doc[kind] ?? {}) as Record<string, Record<string, JsonObject>>)) {
      for (const [name, body] of Object.entries(byName)) {
        const file = `${workflowOf(name) ?? (handlerOf(name) ? "functions" : "main")}.tf`;
        const target = files.get(file) ?? {};
        const byType = (target[kind] ??= {}) as Record<string, Record<string, JsonObject>>;
        (byType[type] ??= {})[name] = body;
        files.set(file, target);
      }
    }
  }
  return files;
}

/** Outputs the stack lacks that a caller composes with: every role ARN, queue URL, the event bus ARN, schedules. */
function extraOutputs(doc: JsonObject, existing: JsonObject): JsonObject {
  const out: JsonObject = {};
  const resources = (doc.resource ?? {}) as Record<string, Record<string, JsonObject>>;
  const add = (name: string, value: string, description: string) => {
    if (!(name in existing) && !(name in out)) out[name] = { description, value };
  };
  for (const name of Object.keys(resources.aws_iam_role ?? {}).sort()) add(`${name}_role_arn`, `\${aws_iam_role.${name}.arn}`, `ARN of the IAM role ${name}.`);
  for (const name of Object.keys(resources.aws_sqs_queue ?? {}).sort()) add(`${name}_queue_url`, `\${aws_sqs_queue.${name}.url}`, `URL of the SQS queue ${name}.`);
  for (const name of Object.keys(resources.aws_cloudwatch_event_bus ?? {}).sort()) add(`${name === "stage" ? "event_bus" : `${name}_event_bus`}_arn`, `\${aws_cloudwatch_event_bus.${name}.arn}`, "ARN of the stage's event bus.");
  for (const name of Object.keys(resources.aws_scheduler_schedule ?? {}).sort()) add(`${name}_arn`, `\${aws_scheduler_schedule.${name}.arn}`, `ARN of the EventBridge Scheduler schedule ${name}.`);
  for (const name of Object.keys(resources.aws_apigatewayv2_api ?? {}).sort()) add(`${name}_api_endpoint`, `\${aws_apigatewayv2_api.${name}.api_endpoint}`, `Endpoint of the HTTP API ${name}.`);
  return out;
}

export interface ModuleResult {
  files: string[];
  resources: number;
  outputs: string[];
  examples: string[];
  /** The module's variables beyond the built-in settings: the team's stage variables, then the existing resources' settings. */
  inputs: string[];
  /** Rules of team stage variables Terraform cannot check (said by npm run module). */
  warnings: string[];
}

function sortObject(o: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Builds the module into `out` (replaced) and, when given, the example roots into `examplesDir`. */
export function buildModule(options: { out: string; examplesDir?: string; stages?: readonly StageConfig[]; moduleSource?: string }): ModuleResult {
  assertNoStageBranches();
  const declared = moduleInputs(options.stages ?? []);
  const work = mkdtempSync(join(tmpdir(), "sfn-module-"));
  try {
    const built: Array<{ t: Transformed; dir: string; aliases: string[] }> = SENTINELS.map((s, index) => {
      const { doc, dir } = synthesizeSentinel(s, index, declared, work);
      const t = transformStack(doc, s, inputPieces(declared, s, index));
      return { t, dir, aliases: routeAliasesByVariable(t.doc, s.rollout) };
    });
    const [a, b] = built;
    const inputs: ModuleInputs = { ...declared, aliases: a.aliases };
    // Refuse a stage's rollout of a workflow without an alias before writing anything.
    for (const stage of options.stages ?? []) rolloutArgument(stage, inputs.aliases);
    const holes = inputs.team.map((t) => ({ expression: `\${var.${t.variable}}`, values: t.sentinels }));
    const aligned = alignDocs({ ...a.t.doc, output: a.t.outputs } as JsonValue, { ...b.t.doc, output: b.t.outputs } as JsonValue, holes);
    if (aligned.differences.length > 0) {
      throw new ModuleError(
        `module: the stack depends on the stage configuration in a way the module cannot express as variables (two sentinel stages gave different modules after every stage value became an expression): ${aligned.differences.join("; ")}. Make the value a stage variable the module knows (src/module/transform.ts) or remove the dependency.`,
      );
    }
    const { output: outputs, ...doc } = aligned.doc as JsonObject & { output: JsonObject };
    const { providerVersion } = a.t;
    const existing = existingLocals(inputs);
    if (existing) doc.locals = { ...(doc.locals as JsonObject), existing_resources: existing };

    rmSync(options.out, { recursive: true, force: true });
    mkdirSync(options.out, { recursive: true });
    const written: string[] = [];
    const write = (file: string, text: string) => {
      writeFileSync(join(options.out, file), text);
      written.push(file);
    };
    write(
      "versions.tf",
      writeHcl({ terraform: { required_version: REQUIRED_TERRAFORM, required_providers: { aws: { source: "hashicorp/aws", version: providerVersion } } } }, "versions.tf"),
    );
    write("variables.tf", variablesTf(inputs));
    const rolloutText = a.aliases.length > 0 ? `\n${rolloutLocals(a.aliases)}` : "";
    write("locals.tf", `${writeHcl({ locals: doc.locals as JsonObject }, "locals.tf")}${rolloutText}`);
    const files = splitByWorkflow(doc);
    if (!files.has("main.tf")) files.set("main.tf", {});
    for (const [file, body] of [...files].sort(([x], [y]) => x.localeCompare(y))) {
      const hcl = Object.keys(body).length > 0 ? writeHcl(body, file) : "";
      // The caller's region (the one data source the stack does not have).
      write(file, file === "main.tf" ? `${regionData(inputs)}${hcl ? `\n${hcl}` : ""}` : hcl);
    }
    const allOutputs = sortObject({ ...outputs, ...extraOutputs(doc, outputs) });
    write("outputs.tf", writeHcl({ output: allOutputs }, "outputs.tf"));
    cpSync(join(a.dir, "assets"), join(options.out, "assets"), { recursive: true });
    const resources = Object.values((doc.resource ?? {}) as Record<string, JsonObject>).reduce((n, byName) => n + Object.keys(byName).length, 0);

    const examples: string[] = [];
    if (options.examplesDir && options.stages) {
      rmSync(options.examplesDir, { recursive: true, force: true });
      for (const stage of options.stages) {
        const dir = join(options.examplesDir, stage.stage);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "main.tf"), exampleRoot(stage, a.t.defaultTags, providerVersion, options.moduleSource ?? "../../module", inputs));
        examples.push(stage.stage);
      }
    }
    write("README.md", moduleReadme({ outputs: allOutputs, example: options.stages?.[0], defaultTags: a.t.defaultTags, providerVersion, files: [...files.keys()].sort(), inputs }));
    const extra = [...inputs.team.map((t) => t.variable), ...inputs.settings.map(({ decl, setting }) => setting.variable(decl))];
    return { files: written, resources, outputs: Object.keys(allOutputs), examples, inputs: extra, warnings: uncheckedRules(inputs.team.map((t) => t.decl)) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
