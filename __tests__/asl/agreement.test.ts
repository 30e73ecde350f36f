import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR, measureAgreement, measureFalseErrors } from '../../src/conformance/lint-agreement';

// The cases live outside the repository (../shared/conformance). Without them this skips locally;
// CI sets REQUIRE_CONFORMANCE=1, where their absence is a failure.
const available = existsSync(join(CONFORMANCE_DIR, 'validation'));
const describeIfCases = available ? describe : describe.skip;

if (!available && process.env.REQUIRE_CONFORMANCE === '1') {
  test('the conformance cases are required (REQUIRE_CONFORMANCE=1)', () => {
    throw new Error(`REQUIRE_CONFORMANCE=1 but there are no cases at ${CONFORMANCE_DIR}/validation. Put the shared suite beside the repository (../shared/conformance) or set CONFORMANCE_DIR.`);
  });
}

describeIfCases('agreement with AWS (conformance validation cases)', () => {
  test('the lint rejects every definition AWS rejected and accepts every one it accepted (15/15 measured)', () => {
    const a = measureAgreement();
    const misses = a.results.filter((r) => !r.agrees).map((r) => `${r.file}: AWS ${r.awsRejects ? 'rejects' : 'accepts'}; lint ${r.lintErrors.map((e) => e.code).join(',') || 'no error'}`);
    expect(misses).toEqual([]);
    expect(a.agreed).toBeGreaterThanOrEqual(15);
  });

  test('no error besides SFN110 on the 624 definitions AWS accepted and ran', () => {
    const f = measureFalseErrors();
    expect(f.total).toBeGreaterThanOrEqual(624);
    expect(f.examples).toEqual([]);
    expect(f.withErrorsBesidesSfn110).toBe(0);
  });
});
