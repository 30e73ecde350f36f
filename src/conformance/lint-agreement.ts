/**
 * How often the lint agrees with AWS on the definitions AWS validated
 * (`../shared/conformance/validation` beside the repository, override with
 * CONFORMANCE_DIR): a definition AWS rejected must get at least one error
 * finding; one AWS accepted must get none. Raw definitions go through
 * lintText, the same JSON parse path as `sfn-workflows lint`. The execution
 * cases (definitions AWS accepted and ran) count false errors, separating
 * SFN110, which is deliberately stricter than AWS. `npm run lint:agreement`
 * prints the figures (scripts/lint-agreement.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintText, type Finding } from '../asl/lint';
import { REPO_ROOT } from '../config/handlers';

/** The shared conformance suite: `../shared/conformance` beside the repository unless CONFORMANCE_DIR says otherwise. */
export const CONFORMANCE_DIR = process.env.CONFORMANCE_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'conformance');

interface ValidationCase {
  id: string;
  stateMachineType?: 'STANDARD' | 'EXPRESS';
  definition?: unknown;
  definitionRaw?: string;
  expectedError?: { code: string; message: string };
  expected?: { result: 'OK' | 'FAIL'; diagnostics: Array<{ message: string; location: string }> };
}

export interface CaseResult {
  file: string;
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

export function measureAgreement(dir = join(CONFORMANCE_DIR, 'validation')): Agreement {
  const results: CaseResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ValidationCase;
    const text = c.definitionRaw ?? JSON.stringify(c.definition);
    const awsRejects = c.expectedError !== undefined || c.expected?.result === 'FAIL';
    const awsSays = c.expectedError?.message ?? (c.expected?.diagnostics.map((d) => `${d.location}: ${d.message}`).join('; ') || 'OK');
    const lintErrors = lintText(text, { file, type: c.stateMachineType ?? 'STANDARD' }).filter((f) => f.severity === 'error');
    results.push({ file, awsRejects, awsSays, lintErrors, agrees: awsRejects === lintErrors.length > 0 });
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

/** Definitions AWS accepted and executed: every error finding there is stricter than AWS. */
export function measureFalseErrors(dir = join(CONFORMANCE_DIR, 'cases')): { total: number; withErrors: number; withErrorsBesidesSfn110: number; byCode: Record<string, number>; examples: string[] } {
  const byCode: Record<string, number> = {};
  let withErrors = 0;
  let withOthers = 0;
  const examples: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ValidationCase;
    const errors = lintText(c.definitionRaw ?? JSON.stringify(c.definition), { file, type: c.stateMachineType ?? 'STANDARD' }).filter((f) => f.severity === 'error');
    if (errors.length > 0) withErrors++;
    const others = errors.filter((e) => e.code !== 'SFN110');
    if (others.length > 0) {
      withOthers++;
      if (examples.length < 10) examples.push(`${file}: ${others[0].code} ${others[0].path}: ${others[0].message}`);
    }
    for (const e of errors) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  }
  return { total: files.length, withErrors, withErrorsBesidesSfn110: withOthers, byCode, examples };
}

