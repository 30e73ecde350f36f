/**
 * `sfn-workflows lint [<workflow|file>...] [--json] [--stage <stage>] [--type STANDARD|EXPRESS]`
 *
 * No argument: renders every catalogued workflow for the stage and lints it.
 * With arguments: a catalogue name, a template (`.hbs`, rendered with the stage
 * config) or plain ASL JSON anywhere on disk, so teams can lint definitions
 * they already have. Prints every finding (warnings too). Exit 1 when any
 * finding is an error. Writes nothing.
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { Finding } from "../../asl/findings";
import type { StageConfig } from "../../config/stage";
import { ConfigError, UsageError } from "../../errors";
import type { WorkflowSpec } from "../../catalogue";
import { defineCommand } from "../command";
import { jsonDepth, MAX_JSON_DEPTH, readTextFile } from "../files";

type Target = { kind: "workflow"; spec: WorkflowSpec } | { kind: "file"; absolute: string; shown: string; text?: string; spec?: WorkflowSpec };

export default defineCommand({
  name: "lint",
  summary: "lint every catalogued workflow, or the workflows, templates and ASL files named",
  synopsis: "[<workflow>|<file>...] [--json] [--stage <stage>] [--type STANDARD|EXPRESS]",
  description:
    "No argument: every catalogued workflow. A <file> is a template (.hbs, rendered with the stage configuration) or ASL JSON.\n" +
    "Findings go to stdout one per line (or as a JSON array with --json), the summary to stderr. Exit 1 when any finding is an error.",
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER, name: "workflows or files" },
  options: {
    json: { type: "boolean", description: "print the findings as a JSON array only" },
    stage: { type: "string", value: "<stage>", description: "stage whose configuration renders the templates (default: STAGE, else .env, else dev)" },
    type: { type: "string", value: "STANDARD|EXPRESS", description: "workflow type for files outside the catalogue (default: STANDARD)" },
  },
  async run({ values, positionals }, io) {
    const type = values.type as string | undefined;
    if (type !== undefined && type !== "STANDARD" && type !== "EXPRESS") {
      throw new UsageError({ where: "--type", what: "must be STANDARD or EXPRESS", received: type, fix: "write --type STANDARD or --type EXPRESS" }, "lint");
    }
    const [{ formatFinding, hasErrors, lintDefinition, lintText, RULES, sortFindings }, { REPO_ROOT }, { loadStageConfig }, { renderTemplate }, catalogue] = await Promise.all([
      import("../../asl/lint"),
      import("../../config/handlers"),
      import("../../config/stage"),
      import("../../render/render"),
      import("../../catalogue"),
    ]);

    const shownPath = (absolute: string, given: string): string => {
      const rel = relative(REPO_ROOT, absolute);
      return rel.startsWith("..") || isAbsolute(rel) ? given : rel;
    };
    const resolveTarget = (arg: string): Target => {
      const spec = catalogue.findWorkflow(arg);
      if (spec) return { kind: "workflow", spec };
      const looksLikeName = !/[/\\.]/.test(arg);
      const fix = looksLikeName
        ? `pass a catalogue name (${catalogue.workflowNames().join(", ")}) or the path of a .json or .hbs file`
        : "pass the path of an ASL JSON file or a .hbs template";
      const absolute = resolve(io.cwd, arg);
      if (looksLikeName) {
        try {
          readTextFile(arg, { cwd: io.cwd, where: arg, fix });
        } catch {
          throw new UsageError({ what: `Unknown workflow ${JSON.stringify(arg)}`, fix }, "lint");
        }
      }
      // Read now, so that a bad path stops the run before anything is printed.
      const text = readTextFile(arg, { cwd: io.cwd, where: arg, fix });
      const shown = shownPath(absolute, arg);
      return { kind: "file", absolute, shown, text, spec: catalogue.WORKFLOWS.find((w) => w.template === shown) };
    };

    let cached: StageConfig | undefined;
    const config = (): StageConfig => (cached ??= loadStageConfig({ cwd: io.cwd, env: io.env, stage: values.stage as string | undefined }));
    const renderFailure = (file: string, error: unknown): Finding => {
      const detail = error instanceof Error ? error.message : String(error);
      return { code: "SFN000", severity: RULES.SFN000.severity, file, path: "", message: `cannot render the template: ${detail.replace(/\s*\n\s*/g, " | ")} (fix: a definition that does not render cannot be linted)` };
    };
    const lintTarget = (target: Target): Finding[] => {
      const spec = target.spec;
      const workflowType = spec?.type ?? (type as "STANDARD" | "EXPRESS" | undefined);
      const file = target.kind === "workflow" ? target.spec.template : target.shown;
      const template = target.kind === "workflow" ? target.spec.template : target.absolute.endsWith(".hbs") ? relative(REPO_ROOT, target.absolute) : undefined;
      if (template !== undefined) {
        let definition: Record<string, unknown>;
        try {
          ({ definition } = renderTemplate(template, config()));
        } catch (error) {
          // A broken stage configuration stops the whole run (exit 2), not one file.
          if (error instanceof ConfigError) throw error;
          return [renderFailure(file, error)];
        }
        return lintDefinition(definition, { file, workflow: spec?.name, type: workflowType });
      }
      const text = (target as { text: string }).text;
      const depth = jsonDepth(text);
      if (depth > MAX_JSON_DEPTH) {
        return [{ code: "SFN000", severity: RULES.SFN000.severity, file, path: "", message: `the JSON is nested ${depth} levels deep; sfn-workflows reads at most ${MAX_JSON_DEPTH} (fix: flatten it; no state machine definition nests that deep)` }];
      }
      return lintText(text, { file, workflow: spec?.name, type: workflowType });
    };

    const targets: Target[] = positionals.length === 0 ? catalogue.WORKFLOWS.map((spec) => ({ kind: "workflow", spec })) : positionals.map(resolveTarget);
    const started = performance.now();
    const findings = sortFindings(targets.flatMap(lintTarget));
    const elapsed = performance.now() - started;
    if (values.json) {
      io.stdout(JSON.stringify(findings, null, 2));
    } else {
      for (const f of findings) io.stdout(formatFinding(f));
      const errors = findings.filter((f) => f.severity === "error").length;
      io.stderr(`lint: ${targets.length} definition(s), ${errors} error(s), ${findings.length - errors} warning(s) in ${Math.round(elapsed)} ms`);
    }
    return hasErrors(findings) ? 1 : 0;
  },
});
