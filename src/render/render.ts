import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Handlebars from "handlebars";
import { type TemplatePlace, TemplateError, WorkflowLintError, messages } from "../errors";
import { type StageConfig, type TemplateVariables, templateVariables } from "../config/stage";
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
import { type MarkedFile, type Origin, canMark, markedAst, originsOf } from "./template-lines";
import { compileTemplate } from "./template-cache";

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
  const hb = withHelpers(Handlebars.create());
  for (const [name, source] of partialSources()) {
    // Compiled on first use, as a partial given as text is: a syntax error surfaces while rendering, with the template's name.
    let partial: HandlebarsTemplateDelegate | undefined;
    hb.registerPartial(name, ((context: unknown, options?: Handlebars.RuntimeOptions) => (partial ??= compileTemplate(hb, source))(context, options)) as Handlebars.Template);
  }
  env = hb;
  return hb;
}

/** The partials of workflows/partials, by name, as registered. */
function partialSources(): Array<[string, string]> {
  return readdirSync(PARTIALS_DIR)
    .filter((entry) => entry.endsWith(".hbs"))
    .sort()
    .map((entry) => [basename(entry, ".hbs"), readFileSync(join(PARTIALS_DIR, entry), "utf8").trimEnd()]);
}

function withHelpers(hb: typeof Handlebars): typeof Handlebars {
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
  return hb;
}

/**
 * The error path of a rendering that is not valid JSON: the same template and
 * partials rendered again with line markers (template-lines.ts), so the error
 * names the template's line, and the partial's when the text came from one.
 * Undefined when that cannot be done exactly (the message then names the rendered line).
 */
function templateOrigin(source: string, shown: string, variables: TemplateVariables, state: RenderState, text: string): ((offset: number) => TemplatePlace | undefined) | undefined {
  try {
    const files: MarkedFile[] = [{ shown, source, partial: false }];
    const hb = withHelpers(Handlebars.create());
    for (const [name, partial] of partialSources()) {
      files.push({ shown: relative(REPO_ROOT, join(PARTIALS_DIR, `${name}.hbs`)), source: partial, partial: true });
      if (!canMark(partial)) return undefined;
      hb.registerPartial(name, hb.compile(markedAst(hb, partial, files.length - 1), { strict: true, noEscape: true }));
    }
    if (!canMark(source)) return undefined;
    const marked = hb.compile(markedAst(hb, source, 0), { strict: true, noEscape: true })(variables, { data: { render: { ...state, used: new Set<string>() } } });
    const origin = originsOf(marked, text);
    if (!origin) return undefined;
    const place = (o: Origin): { file: string; line: number; reads: string } => ({ file: files[o.file].shown, line: o.line, reads: (files[o.file].source.split("\n")[o.line - 1] ?? "").trim() });
    return (offset) => {
      const found = origin(offset);
      if (!found) return undefined;
      const at = place(found.at);
      return files[found.at.file].partial && found.before ? { ...at, includedAt: place(found.before) } : at;
    };
  } catch {
    return undefined;
  }
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
    try {
      template = compileTemplate(hb, source);
    } catch (error) {
      throw toTemplateError(error, shown, Object.keys(templateVariables(config)));
    }
    compiled.set(absolute, template);
  }
  const state: RenderState = { target, file: shown, used: new Set() };
  const variables = templateVariables(config);
  let text: string;
  try {
    text = template(variables, { data: { render: state } });
  } catch (error) {
    compiled.delete(absolute);
    throw toTemplateError(error, shown, Object.keys(variables));
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    const origin = templateOrigin(readFileSync(absolute, "utf8"), shown, variables, state, text);
    // A missing or extra comma shows up at the next token: say where the text before it came from too.
    const previous = text.slice(0, parsed.position).search(/\S\s*$/);
    const rendered = { line: parsed.line, column: parsed.column, reads: (text.split("\n")[parsed.line - 1] ?? "").trim() };
    throw new TemplateError(messages.renderedJson(shown, parsed.detail, rendered, origin?.(parsed.position), previous >= 0 ? origin?.(previous) : undefined), shown);
  }
  if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    throw new TemplateError(`${shown}: rendered output must be a JSON object (a state machine definition).`, shown);
  }
  return { definition: parsed.value as Record<string, unknown>, text, functions: [...state.used].sort() };
}

/**
 * A template's rendered text and, for an offset of it, the template line (and
 * partial line) it came from: what the invalid-JSON error names. Exported for
 * tests, which check it on every shipped template; undefined when the markers
 * cannot reproduce the rendering exactly.
 */
export function renderedTextOrigin(file: string, config: StageConfig, target: RenderTarget = localTarget(config)): { text: string; origin?: (offset: number) => TemplatePlace | undefined } {
  const absolute = join(REPO_ROOT, file);
  const shown = relative(REPO_ROOT, absolute) || file;
  const variables = templateVariables(config);
  const state: RenderState = { target, file: shown, used: new Set() };
  const text = handlebars().compile(readFileSync(absolute, "utf8"), { strict: true, noEscape: true })(variables, { data: { render: state } });
  return { text, origin: templateOrigin(readFileSync(absolute, "utf8"), shown, variables, state, text) };
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
