import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Handlebars from "handlebars";
import { TemplateError, WorkflowLintError, messages } from "../errors";
import { type StageConfig, templateVariables } from "../config/stage";
import { localFunctionArn } from "../config/naming";
import { REPO_ROOT, listHandlers } from "../config/handlers";
import { type WorkflowSpec } from "../../workflows/catalogue";
import { type Finding, formatFinding } from "../asl/lint";
import { lintDefinitionCached } from "../asl/lint-cache";
import { parseJsonWithPosition, stableStringify } from "../json";

/** Decides what `{{lambda "<handler>"}}` renders to. */
export interface RenderTarget {
  /** The value of `FunctionName` for the handler: an ARN, or a Terraform reference when synthesizing. */
  functionArn(handler: string): string;
}

/** For local runs and lint: a deterministic ARN that the executor maps back to `handlers/<handler>.ts`. */
export function localTarget(config: StageConfig): RenderTarget {
  return { functionArn: (handler) => localFunctionArn(config, handler) };
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

function toTemplateError(error: unknown, file: string, known: string[]): Error {
  if (error instanceof TemplateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars strict mode: `"FOO" not defined in [object Object] - 3:10`.
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (missing) return new TemplateError(messages.missingVariable(file, Number(missing[2]), missing[1], known), file);
  // Parse errors: "Parse error on line 7:\n...".
  return new TemplateError(messages.templateSyntax(file, message, message.includes("CLOSE_UNESCAPED")), file);
}
