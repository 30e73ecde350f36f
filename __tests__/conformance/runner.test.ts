import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CaseFolderError, loadCases } from "../../src/conformance/cases";
import { ourExecutor } from "../../src/conformance/executors";
import { jsonFigures, markdownReport } from "../../src/conformance/report";
import { runSuite } from "../../src/conformance/runner";

function folderWith(cases: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "conformance-"));
  for (const [name, body] of Object.entries(cases)) writeFileSync(join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  return dir;
}

const passCase = {
  id: "pass-format",
  stateMachineType: "STANDARD",
  definition: { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "r.$": "States.Format('hi {}', $.n)" }, End: true } } },
  input: { n: "x" },
  expected: { status: "SUCCEEDED", output: { r: "hi x" } },
  features: ["pass", "intrinsics"],
  placeholders: false,
};
const wrongCase = { ...passCase, id: "pass-wrong", expected: { status: "SUCCEEDED", output: { r: "hi y" } }, features: ["pass"] };
const lambdaCase = {
  id: "lambda-raise",
  stateMachineType: "STANDARD",
  definition: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:111111111111:function:fn_a0000001", End: true } } },
  input: {},
  expected: {
    status: "FAILED",
    error: "Exception",
    causeJson: {
      errorMessage: "Some exception was raised.",
      errorType: "Exception",
      requestId: "<uuid:1>",
      stackTrace: ['  File "/var/task/handler.py", line 2, in handler\n    raise Exception("Some exception was raised.")\n'],
    },
  },
  features: ["lambda", "task"],
  placeholders: true,
  placeholderTokens: ["<uuid:1>"],
  lambdas: { fn_a0000001: "raise-exception" },
  lambdaTasks: { T: { integration: "direct", resource: "arn:aws:lambda:us-east-1:111111111111:function:fn_a0000001", function: "fn_a0000001", path: "" } },
};

describe("loadCases", () => {
  test("a missing folder is a clear error", () => {
    expect(() => loadCases("/no/such/folder")).toThrow(CaseFolderError);
    expect(() => loadCases("/no/such/folder")).toThrow(/Conformance folder not found: \/no\/such\/folder/);
  });
  test("an empty folder is a clear error", () => {
    expect(() => loadCases(folderWith({}))).toThrow(/No \*\.json case files/);
  });
  test("a file that is not a case names the file and the problem", () => {
    const dir = folderWith({ "bad.json": { id: "x" } });
    expect(() => loadCases(dir)).toThrow(/bad\.json: not a conformance execution case: "definition" must be an object/);
  });
});

describe("runSuite through our executor", () => {
  test("tallies passes, failures, features and exact vs placeholder cases", async () => {
    const dir = folderWith({ "a.json": passCase, "b.json": wrongCase, "c.json": lambdaCase });
    const report = await runSuite(loadCases(dir), ourExecutor, dir);
    expect(jsonFigures(report)).toEqual({
      total: 3,
      passed: 2,
      failed: 1,
      unsupported: 0,
      byFeature: {
        intrinsics: { total: 1, passed: 1, failed: 0, unsupported: 0 },
        lambda: { total: 1, passed: 1, failed: 0, unsupported: 0 },
        pass: { total: 2, passed: 1, failed: 1, unsupported: 0 },
        task: { total: 1, passed: 1, failed: 0, unsupported: 0 },
      },
    });
    expect(report.exact).toEqual({ total: 2, passed: 1, failed: 1, unsupported: 0 });
    expect(report.placeholder).toEqual({ total: 1, passed: 1, failed: 0, unsupported: 0 });
    const failure = report.results.find((r) => !r.pass)!;
    expect(failure.id).toBe("pass-wrong");
    expect(failure.reason).toBe('output differs at $.r: "hi x" (expected "hi y")');

    const md = markdownReport(report, undefined, "npm run conformance -- x", dir);
    expect(md).toContain("| sfn-workflows (src/executor) | 2/3 (66.7%) | 1/2 (50.0%) | 1/1 (100.0%) | 0 |");
    expect(md).toContain("`pass-wrong`");
  });
});
