import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Handlebars from "handlebars";
import { TemplateError, WorkflowLintError, messages } from "../errors";
import { type StageConfig, templateVariables } from "../config/stage";
import { LOCAL_ACCOUNT_ID, localFunctionArn, names } from "../config/naming";
import { partitionOf } from "../config/regions";
import { localResourceValue } from "../config/resources";
import { RESOURCES, RESOURCE_ATTRIBUTES, type DeclaredResource, type ResourceAttribute } from "../../workflows/resources";
import { WORKFLOWS } from "../../workflows/catalogue";
import { REPO_ROOT, listHandlers } from "../config/handlers";
import { type WorkflowSpec } from "../../workflows/catalogue";
import { type Finding, formatFinding } from "../asl/lint";
import { lintDefinitionCached } from "../asl/lint-cache";
import { parseJsonWithPosition, stableStringify } from "../json";

/**
 * Decides what the reference helpers render to: deterministic local values
 * (localTarget) for the executor and lint, Terraform references when the stage
 * stack synthesizes.
 */
export interface RenderTarget {
  /** `{{lambda "<handler>"}}`: the value of `FunctionName` for the handler: an ARN, or a Terraform reference when synthesizing. */
  functionArn(handler: string): string;
  /** `{{accountId}}` */
  accountId(): string;
  /** `{{partition}}` */
  partition(): string;
  /** `{{region}}` */
  region(): string;
  /** `{{stateMachineArn "<workflow>"}}`: the ARN of a catalogued workflow's state machine of this stage. */
  stateMachineArn(workflow: string): string;
  /** `{{resource "<name>" "<attribute>"}}`: an attribute of a declared resource (workflows/resources.ts). */
  resource(decl: DeclaredResource, attribute: ResourceAttribute): string;
  /** Workflows `{{stateMachineArn}}` may name. @default the catalogue */
  readonly workflows?: readonly string[];
  /** Resources `{{resource}}` may name. @default workflows/resources.ts */
  readonly resources?: readonly DeclaredResource[];
}

/**
 * For local runs and lint: a deterministic ARN that the executor maps back to
 * `handlers/<handler>.ts`, account 123456789012, the stage's region and its
 * partition, created resources named as the stage stack names them, existing
 * ones as their RESOURCE_<NAME>_ARN gives them.
 */
export function localTarget(config: StageConfig): RenderTarget {
  const partition = partitionOf(config.region) ?? "aws";
  return {
    functionArn: (handler) => localFunctionArn(config, handler),
    accountId: () => LOCAL_ACCOUNT_ID,
    partition: () => partition,
    region: () => config.region,
    stateMachineArn: (workflow) => `arn:${partition}:states:${config.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${names.stateMachine(config, workflow)}`,
    resource: (decl, attribute) => localResourceValue({ ...config, resources: config.resources ?? {} }, decl, attribute) ?? "",
  };
}

export interface RenderedWorkflow {
  readonly spec: WorkflowSpec;
  /** The template, relative to the repository root. */
  readonly file: string;
  /** The parsed definition. */
  readonly definition: Record<string, unknown>;
  /** Pretty-printed with sorted keys: byte-stable for identical input. */
  readonly json: string;
  /** Handlers the template references, sorted, each once. */
  readonly functions: readonly string[];
  /** Lint warnings (errors throw). */
  readonly findings: readonly Finding[];
}

interface RenderState {
  readonly target: RenderTarget;
  readonly file: string;
  readonly used: Set<string>;
}

const PARTIALS_DIR = join(REPO_ROOT, "workflows", "partials");
let env: typeof Handlebars | undefined;
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** One isolated Handlebars environment: our helpers and partials, nothing global. */
function handlebars(): typeof Handlebars {
  if (env) return env;
  const hb = Handlebars.create();
  hb.registerHelper("lambda", function (this: unknown, handler: unknown, options: Handlebars.HelperOptions) {
    const state = (options.data as { render: RenderState }).render;
    const line = (options as unknown as { loc?: { start: { line: number } } }).loc?.start.line ?? 0;
    if (typeof handler !== "string" || !listHandlers().includes(handler)) {
      throw new TemplateError(messages.unknownHandler(state.file, line, String(handler), listHandlers()), state.file);
    }
    state.used.add(handler);
    return JSON.stringify(state.target.functionArn(handler));
  });
  hb.registerHelper("json", (value: unknown) => JSON.stringify(value ?? null));
  // Raw values, for use inside a JSON string: "arn:{{partition}}:sns:{{region}}:{{accountId}}:...".
  for (const name of ["accountId", "partition", "region"] as const) {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as Handlebars.HelperOptions;
      const state = (options.data as { render: RenderState }).render;
      if (args.length > 1) throw new TemplateError(`${state.file}:${lineOf(options)}: {{${name}}} takes no argument. Fix: write {{${name}}}.`, state.file);
      return state.target[name]();
    });
  }
  // Whole JSON strings, like {{lambda}}: "StateMachineArn": {{stateMachineArn "order-processing"}}.
  hb.registerHelper("stateMachineArn", function (this: unknown, workflow: unknown, options: Handlebars.HelperOptions) {
    const state = (options.data as { render: RenderState }).render;
    const known = state.target.workflows ?? WORKFLOWS.map((w) => w.name);
    if (typeof workflow !== "string" || !known.includes(workflow)) {
      throw new TemplateError(
        `${state.file}:${lineOf(options)}: {{stateMachineArn "${String(workflow)}"}} names no workflow of this stage. Known workflows: ${known.join(", ")}. Fix the name or add the workflow to workflows/catalogue.ts.`,
        state.file,
      );
    }
    return JSON.stringify(state.target.stateMachineArn(workflow));
  });
  hb.registerHelper("resource", function (this: unknown, name: unknown, attribute: unknown, options: Handlebars.HelperOptions) {
    if (options === undefined || typeof (attribute as Handlebars.HelperOptions)?.data === "object") {
      const opts = (options ?? attribute) as Handlebars.HelperOptions;
      const state = (opts.data as { render: RenderState }).render;
      throw new TemplateError(`${state.file}:${lineOf(opts)}: {{resource}} takes a resource name and an attribute, e.g. {{resource "${String(name ?? "orders")}" "arn"}}. Attributes: arn, name, url (queues).`, state.file);
    }
    const state = (options.data as { render: RenderState }).render;
    const declared = state.target.resources ?? RESOURCES;
    const decl = declared.find((r) => r.name === name);
    if (!decl) {
      throw new TemplateError(
        `${state.file}:${lineOf(options)}: {{resource "${String(name)}" ...}} names no declared resource. Known resources: ${declared.map((r) => r.name).join(", ") || "(none)"}. Fix the name or declare it in workflows/resources.ts.`,
        state.file,
      );
    }
    const attributes = RESOURCE_ATTRIBUTES[decl.kind];
    if (typeof attribute !== "string" || !(attributes as readonly string[]).includes(attribute)) {
      throw new TemplateError(
        `${state.file}:${lineOf(options)}: {{resource "${decl.name}" "${String(attribute)}"}}: a ${decl.kind} has no attribute "${String(attribute)}". Use one of: ${attributes.join(", ")}.`,
        state.file,
      );
    }
    return JSON.stringify(state.target.resource(decl, attribute as ResourceAttribute));
  });
  // Conditions on stage variables: {{#if (eq STAGE "prod")}} ... {{/if}}.
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("ne", (a: unknown, b: unknown) => a !== b);
  for (const entry of readdirSync(PARTIALS_DIR)) {
    if (entry.endsWith(".hbs")) {
      hb.registerPartial(basename(entry, ".hbs"), readFileSync(join(PARTIALS_DIR, entry), "utf8").trimEnd());
    }
  }
  env = hb;
  return hb;
}

/**
 * Renders a template file to a definition: Handlebars in strict mode with no
 * HTML escaping, then JSON parsing. Errors name the file, the line and the fix.
 */
export function renderTemplate(
  file: string,
  config: StageConfig,
  target: RenderTarget = localTarget(config),
): { definition: Record<string, unknown>; text: string; functions: string[] } {
  const absolute = join(REPO_ROOT, file);
  const shown = relative(REPO_ROOT, absolute) || file;
  const hb = handlebars();
  let template = compiled.get(absolute);
  if (!template) {
    let source: string;
    try {
      source = readFileSync(absolute, "utf8");
    } catch {
      throw new TemplateError(`${shown}: cannot read the template. Check the path in workflows/catalogue.ts.`, shown);
    }
    template = hb.compile(source, { strict: true, noEscape: true });
    compiled.set(absolute, template);
  }
  const state: RenderState = { target, file: shown, used: new Set() };
  let text: string;
  try {
    text = template(templateVariables(config), { data: { render: state } });
  } catch (error) {
    compiled.delete(absolute);
    throw toTemplateError(error, shown, Object.keys(templateVariables(config)));
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    throw new TemplateError(messages.renderedJson(shown, parsed.line, parsed.column, parsed.detail, parsed.snippet), shown);
  }
  if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    throw new TemplateError(`${shown}: rendered output must be a JSON object (a state machine definition).`, shown);
  }
  return { definition: parsed.value as Record<string, unknown>, text, functions: [...state.used].sort() };
}

/** Renders a catalogued workflow, lints it, and throws on any lint error. */
export function renderWorkflow(
  spec: WorkflowSpec,
  config: StageConfig,
  target: RenderTarget = localTarget(config),
): RenderedWorkflow {
  const { definition, functions } = renderTemplate(spec.template, config, target);
  const findings = lintDefinitionCached(definition, { file: spec.template, workflow: spec.name, type: spec.type });
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) throw new WorkflowLintError(spec.name, spec.template, errors.map(formatFinding));
  return {
    spec,
    file: spec.template,
    definition,
    json: stableStringify(definition),
    functions,
    findings: findings.filter((f) => f.severity !== "error"),
  };
}

function lineOf(options: Handlebars.HelperOptions): number {
  return (options as unknown as { loc?: { start: { line: number } } }).loc?.start.line ?? 0;
}

function toTemplateError(error: unknown, file: string, known: string[]): Error {
  if (error instanceof TemplateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars strict mode: `"FOO" not defined in [object Object] - 3:10`.
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (missing) return new TemplateError(messages.missingVariable(file, Number(missing[2]), missing[1], known), file);
  // Parse errors: "Parse error on line 7:\n...".
  return new TemplateError(messages.templateSyntax(file, message, message.includes("CLOSE_UNESCAPED")), file);
}
