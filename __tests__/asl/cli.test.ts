import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = '__tests__/asl/fixtures';

function lint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/lint.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('no argument: every catalogued workflow renders and lints without errors', () => {
  const r = lint();
  expect(r.stdout.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  expect(r.stderr).toMatch(/^lint: \d+ definition\(s\), 0 error\(s\)/m);
  expect(r.status).toBe(0);
});

test('a plain JSON file outside the catalogue: findings printed one per line, exit 1 on errors', () => {
  const r = lint(`${FIXTURES}/seed-order-processing.asl.json`);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`error SFN120 ${FIXTURES}/seed-order-processing.asl.json States.UpdateInventory.Parameters: Task "UpdateInventory" calls arn:aws:states:::lambda:invoke without Parameters.FunctionName`);
  expect(r.stdout).toContain('warning SFN122');
});

test('--json prints only the findings as JSON', () => {
  const r = lint(`${FIXTURES}/seed-transform-data.asl.json`, '--json');
  expect(r.status).toBe(1);
  const findings = JSON.parse(r.stdout);
  expect(findings).toEqual([expect.objectContaining({ code: 'SFN110', path: 'States.TransformData.Result.processedAt.$', file: `${FIXTURES}/seed-transform-data.asl.json` })]);
});

test('a JSON syntax error names the file, line, column and the offending line', () => {
  const r = lint(`${FIXTURES}/syntax-error.asl.json`);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`^error SFN000 ${FIXTURES}/syntax-error.asl.json \\(root\\): not valid JSON at line 5, column 3: .*line 5 reads "}"`, 'm'));
});

test('--type EXPRESS applies the Express rules to a file', () => {
  expect(lint(`${FIXTURES}/sfn160-express-sync.fail.asl.json`).status).toBe(0);
  expect(lint(`${FIXTURES}/sfn160-express-sync.fail.asl.json`, '--type', 'EXPRESS').stdout).toContain('error SFN160');
});

test('unknown workflow and missing file: one line, exit 2', () => {
  const unknown = lint('no-such-workflow');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  expect(unknown.stderr).toMatch(/^Unknown workflow "no-such-workflow"\. Known workflows: .*order-processing/);
  const missing = lint('nowhere/definition.asl.json');
  expect(missing.status).toBe(2);
  expect(missing.stderr.trim()).toMatch(/^File not found: nowhere\/definition.asl.json \(resolved to .*\)\. Check the path\.$/);
});

test('a catalogued template given by path is linted with its catalogue type', () => {
  const r = lint('workflows/data-transform.asl.json.hbs');
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^lint: 1 definition\(s\), 0 error\(s\)/m);
});
