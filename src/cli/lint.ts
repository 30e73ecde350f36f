/**
 * `npm run lint [-- <workflow|file>...] [--json] [--stage <stage>] [--type STANDARD|EXPRESS]`
 *
 * No argument: renders every catalogued workflow for the stage and lints it.
 * With arguments: a catalogue name, a template (`.hbs`, rendered with the stage
 * config) or plain ASL JSON (`.json`, `.asl.json`) anywhere on disk, so teams can
 * lint definitions they already have. Prints every finding (warnings too).
 * Exit 0: no error finding; 1: at least one error finding; 2: bad usage, unknown
 * workflow, missing file or invalid stage configuration. Writes nothing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { formatFinding, hasErrors, lintDefinition, lintText, RULES, sortFindings, type Finding } from '../asl/lint';
import { REPO_ROOT } from '../config/handlers';
import { loadStageConfig } from '../config/stage';
import type { StageConfig } from '../config/stage';
import { ConfigError, ProjectError } from '../errors';
import { renderTemplate } from '../render/render';
import { WORKFLOWS, findWorkflow, workflowNames, type WorkflowSpec } from '../../workflows/catalogue';

const USAGE = `Usage: npm run lint -- [<workflow>|<file>...] [--json] [--stage <stage>] [--type STANDARD|EXPRESS]
  no argument       lint every catalogued workflow (${workflowNames().join(', ')})
  <file>            a template (.hbs, rendered with the stage config) or ASL JSON (.json)
  --json            print the findings as a JSON array only
  --stage <stage>   stage whose configuration renders the templates (default: STAGE or .env)
  --type <type>     workflow type for files outside the catalogue (default: STANDARD)`;

class UsageError extends Error {}

interface Options {
  json: boolean;
  stage?: string;
  type?: 'STANDARD' | 'EXPRESS';
  targets: string[];
}

function parseArgs(argv: string[]): Options | 'help' {
  const options: Options = { json: false, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--stage' || arg === '--type') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`${arg} needs a value.`);
      if (arg === '--stage') options.stage = value;
      else if (value === 'STANDARD' || value === 'EXPRESS') options.type = value;
      else throw new UsageError(`--type must be STANDARD or EXPRESS; received "${value}".`);
    } else if (arg.startsWith('-')) throw new UsageError(`Unknown option "${arg}".`);
    else options.targets.push(arg);
  }
  return options;
}

/** Shown path: relative to the repository when inside it, as given otherwise. */
function shownPath(absolute: string, given: string): string {
  const rel = relative(REPO_ROOT, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? given : rel;
}

type Target = { kind: 'workflow'; spec: WorkflowSpec } | { kind: 'file'; absolute: string; shown: string; spec?: WorkflowSpec };

function resolveTarget(arg: string): Target {
  const spec = findWorkflow(arg);
  if (spec) return { kind: 'workflow', spec };
  const absolute = resolve(arg);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    const looksLikeName = !/[/\\.]/.test(arg);
    throw new UsageError(
      looksLikeName
        ? `Unknown workflow "${arg}". Known workflows: ${workflowNames().join(', ')}. Pass a catalogue name or a path to a .json or .hbs file.`
        : `File not found: ${arg} (resolved to ${absolute}). Check the path.`,
    );
  }
  const shown = shownPath(absolute, arg);
  return { kind: 'file', absolute, shown, spec: WORKFLOWS.find((w) => w.template === shown) };
}

function renderFailure(file: string, error: unknown): Finding {
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'SFN000', severity: RULES.SFN000.severity, file, path: '', message: `cannot render the template: ${detail.replace(/\s*\n\s*/g, ' | ')} (fix: see the template error above; a definition that does not render cannot be linted)` };
}

function lintTarget(target: Target, config: () => StageConfig, defaultType?: 'STANDARD' | 'EXPRESS'): Finding[] {
  const spec = target.spec;
  const type = spec?.type ?? defaultType;
  const template = target.kind === 'workflow' ? target.spec.template : target.absolute.endsWith('.hbs') ? relative(REPO_ROOT, target.absolute) : undefined;
  const file = target.kind === 'workflow' ? target.spec.template : target.shown;
  if (template !== undefined) {
    let definition: Record<string, unknown>;
    try {
      ({ definition } = renderTemplate(template, config()));
    } catch (error) {
      // A broken stage configuration stops the whole run (exit 2), not one file.
      if (error instanceof ConfigError) throw error;
      return [renderFailure(file, error)];
    }
    return lintDefinition(definition, { file, workflow: spec?.name, type });
  }
  const text = readFileSync((target as { absolute: string }).absolute, 'utf8');
  return lintText(text, { file, workflow: spec?.name, type });
}

function main(argv: string[]): number {
  const options = parseArgs(argv);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const targets: Target[] = options.targets.length === 0 ? WORKFLOWS.map((spec) => ({ kind: 'workflow', spec })) : options.targets.map(resolveTarget);
  let cached: StageConfig | undefined;
  const config = (): StageConfig => (cached ??= loadStageConfig({ stage: options.stage }));
  const started = performance.now();
  const findings = sortFindings(targets.flatMap((t) => lintTarget(t, config, options.type)));
  const elapsed = performance.now() - started;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    for (const f of findings) console.log(formatFinding(f));
    const errors = findings.filter((f) => f.severity === 'error').length;
    console.error(`lint: ${targets.length} definition(s), ${errors} error(s), ${findings.length - errors} warning(s) in ${Math.round(elapsed)} ms`);
  }
  return hasErrors(findings) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof ProjectError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
