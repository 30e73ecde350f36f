import { join } from "node:path";
import { bin, cli, REPO_ROOT } from "./helpers";

const FIXTURES = "__tests__/asl/fixtures";
const lint = (...args: string[]) => cli(["lint", ...args], { cwd: REPO_ROOT });

test("no argument: every catalogued workflow renders and lints without errors", async () => {
  const r = await lint();
  expect(r.stdout.split("\n").filter((l) => l.startsWith("error"))).toEqual([]);
  expect(r.stderr).toMatch(/^lint: 10 definition\(s\), 0 error\(s\)/m);
  expect(r.code).toBe(0);
});

test("a plain JSON file outside the catalogue: findings printed one per line, exit 1 on errors", async () => {
  const r = await lint(`${FIXTURES}/seed-order-processing.asl.json`);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(
    `error SFN120 ${FIXTURES}/seed-order-processing.asl.json States.UpdateInventory.Parameters: Task "UpdateInventory" calls arn:aws:states:::lambda:invoke without Parameters.FunctionName`,
  );
  expect(r.stdout).toContain("warning SFN122");
});

test("--json prints only the findings as JSON", async () => {
  const r = await lint(`${FIXTURES}/seed-transform-data.asl.json`, "--json");
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ code: "SFN110", path: "States.TransformData.Result.processedAt.$", file: `${FIXTURES}/seed-transform-data.asl.json` })]);
  expect(r.stderr).toBe("");
});

test("a JSON syntax error names the file, line, column and the offending line", async () => {
  const r = await lint(`${FIXTURES}/syntax-error.asl.json`);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`^error SFN000 ${FIXTURES}/syntax-error.asl.json \\(root\\): not valid JSON at line 5, column 3: .*line 5 reads "}"`, "m"));
});

test("--type EXPRESS applies the Express rules to a file", async () => {
  expect((await lint(`${FIXTURES}/sfn160-express-sync.fail.asl.json`)).code).toBe(0);
  expect((await lint(`${FIXTURES}/sfn160-express-sync.fail.asl.json`, "--type", "EXPRESS")).stdout).toContain("error SFN160");
});

test("unknown workflow and missing file: one line, exit 2", async () => {
  const unknown = await lint("no-such-workflow");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^Unknown workflow "no-such-workflow"\. Fix: pass a catalogue name \(order-processing, .*\n$/);
  const missing = await lint("nowhere/definition.asl.json");
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe("nowhere/definition.asl.json: no such file. Fix: pass the path of an ASL JSON file or a .hbs template.\n");
});

test("a catalogued template given by path is linted with its catalogue type", async () => {
  const r = await lint("workflows/data-transform.asl.json.hbs");
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^lint: 1 definition\(s\), 0 error\(s\)/m);
});

test("the installed command runs the lint end to end", () => {
  const r = bin(["lint", join(FIXTURES, "seed-transform-data.asl.json")]);
  expect(r.stdout).toContain("error SFN110");
  expect(r.stderr).toMatch(/^lint: 1 definition\(s\), 1 error\(s\)/m);
  expect(r.code).toBe(1);
});

test("a template that renders invalid JSON: SFN000 names the template's line, not the rendered output's", async () => {
  const r = await lint("__tests__/render/fixtures/invalid-json-after-blocks.hbs");
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(
    /^error SFN000 __tests__\/render\/fixtures\/invalid-json-after-blocks\.hbs \(root\): cannot render the template: __tests__\/render\/fixtures\/invalid-json-after-blocks\.hbs:19: rendered output is not valid JSON: .*\(rendered line 25, column 27\); line 19 reads .*Fix the template/m,
  );
});
