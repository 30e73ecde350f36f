/**
 * How the lint agrees with AWS on the definitions AWS judged (the shared
 * conformance corpus: `cases/` ran on AWS, `validation/` were validated there).
 * Used by `npm run lint:agreement` (scripts/lint-agreement.ts) and its test.
 * The corpus lives outside the repository: `../shared/conformance` beside it
 * by default, CONFORMANCE_DIR to override.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../config/handlers';
import { lintText, RULES, type Finding, type RuleSettings } from './lint';

export const CONFORMANCE_DIR = resolve(process.env.CONFORMANCE_DIR ?? join(REPO_ROOT, '..', 'shared', 'conformance'));

interface ConformanceCase {
  id: string;
  stateMachineType?: 'STANDARD' | 'EXPRESS';
  definition?: unknown;
  definitionRaw?: string;
  expectedError?: { code: string; message: string };
  expected?: { result?: 'OK' | 'FAIL'; diagnostics?: Array<{ message: string; location: string }> };
}

export interface CaseResult {
  file: string;
  /** Where AWS's verdict comes from: a validation case or an execution case. */
  source: 'validation' | 'cases';
  awsRejects: boolean;
  awsSays: string;
  lintErrors: Finding[];
  agrees: boolean;
}

export interface Agreement {
  total: number;
  agreed: number;
  rejected: number;
  rejectedCaught: number;
  accepted: number;
  acceptedPassed: number;
  results: CaseResult[];
}

function load(dir: string, file: string): ConformanceCase {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConformanceCase;
}

function lintCase(c: ConformanceCase, file: string, rules: RuleSettings): Finding[] {
  return lintText(c.definitionRaw ?? JSON.stringify(c.definition), { file, type: c.stateMachineType ?? 'STANDARD', rules }).filter((f) => f.severity === 'error');
}

/**
 * Lints every definition AWS judged (validation/ and, unless `withCases` is false, cases/)
 * under `rules` (default: the catalogue's severities, no project file).
 */
export function measureAgreement(options: { dir?: string; rules?: RuleSettings; withCases?: boolean } = {}): Agreement {
  const root = options.dir ?? CONFORMANCE_DIR;
  const rules = options.rules ?? {};
  const results: CaseResult[] = [];
  const sources: Array<'validation' | 'cases'> = options.withCases === false ? ['validation'] : ['validation', 'cases'];
  for (const source of sources) {
    const dir = join(root, source);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const c = load(dir, file);
      // An execution case ran, so AWS accepted its definition.
      const awsRejects = source === 'validation' && (c.expectedError !== undefined || c.expected?.result === 'FAIL');
      const awsSays = source === 'cases' ? 'accepted and ran' : (c.expectedError?.message ?? (c.expected?.diagnostics?.map((d) => `${d.location}: ${d.message}`).join('; ') || 'OK'));
      const lintErrors = lintCase(c, file, rules);
      results.push({ file, source, awsRejects, awsSays, lintErrors, agrees: awsRejects === lintErrors.length > 0 });
    }
  }
  const rejected = results.filter((r) => r.awsRejects);
  const accepted = results.filter((r) => !r.awsRejects);
  return {
    total: results.length,
    agreed: results.filter((r) => r.agrees).length,
    rejected: rejected.length,
    rejectedCaught: rejected.filter((r) => r.agrees).length,
    accepted: accepted.length,
    acceptedPassed: accepted.filter((r) => r.agrees).length,
    results,
  };
}

/** Rule codes a project configuration makes errors although the catalogue does not. */
export function turnedUp(settings: RuleSettings): string[] {
  return Object.entries(settings)
    .filter(([code, setting]) => setting === 'error' && RULES[code as keyof typeof RULES].severity !== 'error')
    .map(([code]) => code)
    .sort();
}

/** Under the project's configuration: accepted definitions with an error, split into turned-up rules and the rest. */
export function measureProjectConfig(settings: RuleSettings, dir = CONFORMANCE_DIR): { accepted: number; withErrors: number; onlyTurnedUp: number; others: CaseResult[]; byCode: Record<string, number> } {
  const up = new Set(turnedUp(settings));
  const a = measureAgreement({ dir, rules: settings });
  const accepted = a.results.filter((r) => !r.awsRejects);
  const byCode: Record<string, number> = {};
  for (const r of accepted) for (const e of r.lintErrors) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  const withErrors = accepted.filter((r) => r.lintErrors.length > 0);
  const others = withErrors.filter((r) => r.lintErrors.some((e) => !up.has(e.code)));
  return { accepted: accepted.length, withErrors: withErrors.length, onlyTurnedUp: withErrors.length - others.length, others, byCode };
}
