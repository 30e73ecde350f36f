/**
 * The project's lint configuration: one committed file at the repository root,
 * `sfn-lint.json`, where a team sets any rule's severity, ESLint style:
 *
 *   { "rules": { "SFN110": "error", "SFN122": ["off", "our tasks are all Express-like"] } }
 *
 * A setting is "error", "warning" or "off", alone or as [setting, reason].
 * The catalogue's defaults (rules/catalogue.ts) give an error only where AWS
 * rejects the definition; rules that catch bugs AWS accepts default to warnings,
 * and a project turns them up here.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError } from '../errors';
import { REPO_ROOT } from '../config/handlers';
import { RULES, type RuleCode } from './rules/catalogue';

export type RuleSetting = 'error' | 'warning' | 'off';
export type RuleSettings = Partial<Record<RuleCode, RuleSetting>>;

export const LINT_CONFIG_FILE = 'sfn-lint.json';
const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'off'];

/** A lint configuration file that cannot be used. */
export class LintConfigError extends ProjectError {}

function closest(name: string, known: readonly string[]): string | undefined {
  return known.find((k) => k.toUpperCase() === name.toUpperCase().replace(/\s/g, ''));
}

/** Parses the text of a lint configuration file; every problem is a LintConfigError naming the file and the key. */
export function parseLintConfig(text: string, file: string): RuleSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LintConfigError(`${file}: not valid JSON: ${(error as Error).message}. Fix the syntax; the file holds {"rules": {"SFN110": "error"}}.`, file);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LintConfigError(`${file}: must be a JSON object such as {"rules": {"SFN110": "error"}}; received ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`, file);
  }
  const root = value as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (key !== 'rules' && key !== '$schema' && key !== 'comment') {
      throw new LintConfigError(`${file}: unknown key "${key}". The file holds "rules" (and optionally "comment"), e.g. {"rules": {"SFN110": "error"}}.`, file);
    }
  }
  const rules = root.rules ?? {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    throw new LintConfigError(`${file}: "rules" must be an object mapping rule codes to "error", "warning" or "off"; received ${JSON.stringify(rules)}.`, file);
  }
  const codes = Object.keys(RULES);
  const out: RuleSettings = {};
  for (const [code, raw] of Object.entries(rules as Record<string, unknown>)) {
    if (!Object.hasOwn(RULES, code)) {
      const near = closest(code, codes);
      throw new LintConfigError(`${file}: rules."${code}" is not a rule code${near ? `; did you mean "${near}"?` : '.'} Codes are listed in src/asl/README.md (SFN000-SFN183).`, file);
    }
    const setting = Array.isArray(raw) ? raw[0] : raw;
    if (Array.isArray(raw) && (raw.length > 2 || (raw.length === 2 && typeof raw[1] !== 'string'))) {
      throw new LintConfigError(`${file}: rules."${code}" must be "error", "warning", "off" or [setting, "reason"]; received ${JSON.stringify(raw)}.`, file);
    }
    if (!SETTINGS.includes(setting as RuleSetting)) {
      throw new LintConfigError(`${file}: rules."${code}" must be "error", "warning" or "off"; received ${JSON.stringify(raw)}.`, file);
    }
    out[code as RuleCode] = setting as RuleSetting;
  }
  return out;
}

const loaded = new Map<string, RuleSettings>();

/**
 * The rule settings of the project at `root` (its `sfn-lint.json`), read once per process;
 * no file means the catalogue's defaults.
 */
export function loadLintConfig(root: string = REPO_ROOT): RuleSettings {
  const known = loaded.get(root);
  if (known) return known;
  const file = join(root, LINT_CONFIG_FILE);
  let settings: RuleSettings = {};
  if (existsSync(file)) {
    if (!statSync(file).isFile()) throw new LintConfigError(`${file}: is not a file. Remove it, or make it a JSON file such as {"rules": {"SFN110": "error"}}.`, file);
    settings = parseLintConfig(readFileSync(file, 'utf8'), LINT_CONFIG_FILE);
  }
  loaded.set(root, settings);
  return settings;
}

/** The severity a finding of `code` gets under `settings` (undefined: the rule is off). */
export function effectiveSeverity(code: RuleCode, settings: RuleSettings): 'error' | 'warning' | undefined {
  const setting = settings[code] ?? RULES[code].severity;
  return setting === 'off' ? undefined : setting;
}
