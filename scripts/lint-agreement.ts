/**
 * `npm run lint:agreement [-- --cases]`: prints how often the lint agrees with
 * AWS on the definitions AWS validated (src/conformance/lint-agreement.ts),
 * and with --cases the false errors on the definitions AWS accepted and ran.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR, measureAgreement, measureFalseErrors } from '../src/conformance/lint-agreement';

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
