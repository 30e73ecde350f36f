/**
 * `npx tsx scripts/lint-agreement.ts [--cases]`
 *
 * How often the lint agrees with AWS on the definitions AWS validated
 * (/work/shared/conformance/validation, override with CONFORMANCE_DIR): a definition
 * AWS rejected must get at least one error finding; one AWS accepted must get none.
 * Raw definitions go through lintText, the same JSON parse path as `npm run lint`.
 * With --cases it also lints the execution cases (definitions AWS accepted and ran)
 * and counts false errors, separating SFN110, which is deliberately stricter than AWS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText, type Finding } from '../src/asl/lint';

export const CONFORMANCE_DIR = process.env.CONFORMANCE_DIR ?? '/work/shared/conformance';

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

function main(): void {
  if (!existsSync(join(CONFORMANCE_DIR, 'validation'))) {
    console.error(`No conformance cases at ${CONFORMANCE_DIR}/validation. Set CONFORMANCE_DIR to the folder holding validation/ and cases/.`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const a = measureAgreement();
  const ms = performance.now() - started;
  const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
  console.log(`Agreement with AWS on ${a.total} validated definitions: ${a.agreed}/${a.total} (${pct(a.agreed, a.total)})`);
  console.log(`  rejected by AWS, error from the lint: ${a.rejectedCaught}/${a.rejected} (${pct(a.rejectedCaught, a.rejected)})`);
  console.log(`  accepted by AWS, no error from the lint: ${a.acceptedPassed}/${a.accepted} (${pct(a.acceptedPassed, a.accepted)})`);
  console.log(`  linted in ${Math.round(ms)} ms`);
  for (const r of a.results) {
    const verdict = r.agrees ? 'agree' : r.awsRejects ? 'MISSED' : 'FALSE ERROR';
    console.log(`  ${verdict.padEnd(11)} ${r.file}\n              AWS: ${r.awsSays}\n              lint: ${r.lintErrors.map((e) => `${e.code} ${e.path}`).join(', ') || 'no error'}`);
  }
  if (process.argv.includes('--cases') && existsSync(join(CONFORMANCE_DIR, 'cases'))) {
    const f = measureFalseErrors();
    console.log(`\nDefinitions AWS accepted and ran (cases/): ${f.total}`);
    console.log(`  with an error finding: ${f.withErrors}; besides SFN110 (a Pass Result ".$" key, deliberately stricter than AWS): ${f.withErrorsBesidesSfn110}`);
    console.log(`  error findings by code: ${JSON.stringify(f.byCode)}`);
    for (const e of f.examples) console.log(`  ${e}`);
  }
}

if (require.main === module) main();
