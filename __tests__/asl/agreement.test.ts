import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR, measureAgreement, measureProjectConfig, turnedUp } from '../../src/asl/agreement';
import { loadLintConfig } from '../../src/asl/lint';

// The corpus lives outside the repository (../shared/conformance, or CONFORMANCE_DIR).
// On a laptop without it the measurement is skipped; in CI (CI=true) or with
// REQUIRE_SHARED=1 a missing corpus fails, as a missing moto or browser does.
const present = existsSync(join(CONFORMANCE_DIR, 'validation')) && existsSync(join(CONFORMANCE_DIR, 'cases'));
const required = process.env.CI === 'true' || process.env.REQUIRE_SHARED === '1';

test('the conformance corpus is present where CI requires it', () => {
  if (required) expect(`${CONFORMANCE_DIR}: ${present ? 'present' : 'missing'}`).toBe(`${CONFORMANCE_DIR}: present`);
});

(present ? describe : describe.skip)('agreement with AWS (conformance corpus)', () => {
  // One lint of the whole corpus (about 640 definitions) per configuration.
  const catalogue = present ? measureAgreement() : undefined;

  test('no error on any definition AWS accepted (validated or ran), with the catalogue severities', () => {
    const a = catalogue!;
    const falseErrors = a.results.filter((r) => !r.awsRejects && r.lintErrors.length > 0).map((r) => `${r.source}/${r.file}: ${r.lintErrors.map((e) => `${e.code} ${e.path}`).join(', ')}`);
    expect(falseErrors).toEqual([]);
    expect(a.accepted).toBeGreaterThanOrEqual(627);
  });

  test('an error on every definition AWS rejected (12 of 12 measured)', () => {
    const a = catalogue!;
    expect(a.results.filter((r) => r.awsRejects && r.lintErrors.length === 0).map((r) => r.file)).toEqual([]);
    expect(a.rejected).toBeGreaterThanOrEqual(12);
  });

  test("with the project's sfn-lint.json, errors on accepted definitions come only from the rules it turns up", () => {
    const settings = loadLintConfig();
    expect(turnedUp(settings)).toContain('SFN110');
    const p = measureProjectConfig(settings);
    expect(p.others.map((r) => r.file)).toEqual([]);
    // SFN110 does fire on the corpus (LocalStack's tests put ".$" keys in Pass Results), so the split is exercised.
    expect(p.onlyTurnedUp).toBeGreaterThan(0);
  });
});
