import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { aslValidatorErrors, usesCachedValidator } from '../../src/asl/rules/asl-validator-cached';

// Codes the public validator reports that we skip on purpose (our rules report them).
const SKIPPED = new Set(['MISSING_TRANSITION_TARGET', 'BRANCH_OUTBOUND_TRANSITION_TARGET', 'MAP_OUTBOUND_TRANSITION_TARGET', 'WAIT_DURATION', 'MISSING_TERMINAL_STATE', 'DUPLICATE_FIELD_NAME']);
const FIXTURES = join(__dirname, 'fixtures');
// The public validator costs 100-900 ms a call, so compare on a sample that hits every check family.
const SAMPLE = ['sfn001-schema.fail', 'sfn002-duplicate-names.fail', 'sfn004-end-and-next.fail', 'sfn006-exclusive-fields.fail', 'sfn140-wait-fields.fail', 'sfn141-wait-timestamp.fail', 'sfn150-iterator.pass', 'sfn173-jsonata-syntax.fail', 'sfn173-jsonata-syntax.pass', 'seed-order-processing', 'seed-parallel'];

test('the compiled-once path is in use (asl-validator internals where we expect them)', () => {
  expect(usesCachedValidator()).toBe(true);
});

test.each(SAMPLE)('%s: same errors as the public asl-validator', (name) => {
  const definition = JSON.parse(readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8'));
  const expected = aslValidator(structuredClone(definition)).errors.filter((e) => !SKIPPED.has(e['Error code']));
  expect(aslValidatorErrors(definition)).toEqual(expected);
});

test('does not mutate its input', () => {
  const definition = JSON.parse(readFileSync(join(FIXTURES, 'seed-order-processing.asl.json'), 'utf8'));
  const before = JSON.stringify(definition);
  aslValidatorErrors(definition);
  expect(JSON.stringify(definition)).toBe(before);
});

test('every fixture file is valid JSON (guards the sample above)', () => {
  for (const f of readdirSync(FIXTURES).filter((n) => !n.startsWith('syntax-'))) expect(() => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8'))).not.toThrow();
});
