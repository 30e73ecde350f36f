/**
 * `npm run lint:agreement [-- --verbose]`
 *
 * How the lint agrees with AWS on definitions AWS judged, from the conformance
 * corpus (default `../shared/conformance` beside the repository; override with
 * CONFORMANCE_DIR):
 * - `cases/`: definitions AWS accepted and ran; `validation/`: definitions AWS
 *   rejected, or accepted, at create/validate time.
 * - False errors: accepted definitions that get an error finding with the
 *   catalogue's default severities. The rule is zero.
 * - With the project's sfn-lint.json, errors from the rules it deliberately turns
 *   up (e.g. SFN110) are counted apart; any other error there is a false error too.
 * - Caught: rejected definitions that get at least one error finding.
 * Raw definitions go through lintText, the same parse path as `npm run lint`.
 * Exit 1 when there is a false error or a missed rejection, 2 when the corpus is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR, measureAgreement, measureProjectConfig, turnedUp } from '../src/asl/agreement';
import { loadLintConfig } from '../src/asl/lint';

function main(): number {
  if (!existsSync(join(CONFORMANCE_DIR, 'validation')) || !existsSync(join(CONFORMANCE_DIR, 'cases'))) {
    console.error(`No conformance corpus at ${CONFORMANCE_DIR} (it needs validation/ and cases/). Put the shared corpus at ../shared/conformance beside the repository, or set CONFORMANCE_DIR.`);
    return 2;
  }
  const verbose = process.argv.includes('--verbose');
  const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
  const started = performance.now();
  const a = measureAgreement();
  const ms = performance.now() - started;
  const accepted = a.results.filter((r) => !r.awsRejects);
  const falseErrors = accepted.filter((r) => r.lintErrors.length > 0);
  const missed = a.results.filter((r) => r.awsRejects && !r.agrees);
  console.log(`Conformance corpus: ${CONFORMANCE_DIR}`);
  console.log(`Catalogue severities (no project file), ${a.total} definitions AWS judged, linted in ${Math.round(ms)} ms:`);
  console.log(`  accepted by AWS (${accepted.filter((r) => r.source === 'cases').length} ran + ${accepted.filter((r) => r.source === 'validation').length} validated): ${falseErrors.length}/${a.accepted} get a lint error (false errors; must be 0)`);
  console.log(`  rejected by AWS: ${a.rejectedCaught}/${a.rejected} get a lint error (${pct(a.rejectedCaught, a.rejected)})`);
  for (const r of [...falseErrors, ...missed]) {
    console.log(`  ${r.awsRejects ? 'MISSED' : 'FALSE ERROR'} ${r.source}/${r.file}\n      AWS: ${r.awsSays}\n      lint: ${r.lintErrors.map((e) => `${e.code} ${e.path}: ${e.message}`).join(' | ') || 'no error'}`);
  }
  const settings = loadLintConfig();
  const up = turnedUp(settings);
  const p = measureProjectConfig(settings);
  console.log(`With the project's sfn-lint.json (turns up ${up.join(', ') || 'nothing'}):`);
  console.log(`  accepted by AWS: ${p.withErrors}/${p.accepted} get a lint error; ${p.onlyTurnedUp} only from the rules turned up, ${p.others.length} from others (must be 0)`);
  console.log(`  error findings by code: ${JSON.stringify(p.byCode)}`);
  for (const r of p.others.slice(0, 10)) console.log(`  FALSE ERROR ${r.source}/${r.file}: ${r.lintErrors.map((e) => `${e.code} ${e.path}`).join(', ')}`);
  if (verbose) {
    for (const r of a.results.filter((x) => x.source === 'validation')) {
      console.log(`  ${r.agrees ? 'agree' : 'DISAGREE'} ${r.file}\n      AWS: ${r.awsSays}\n      lint: ${r.lintErrors.map((e) => `${e.code} ${e.path}`).join(', ') || 'no error'}`);
    }
  }
  return falseErrors.length > 0 || missed.length > 0 || p.others.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
