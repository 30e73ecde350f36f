/**
 * Workflow coverage across a jest run: globalSetup clears the records folder,
 * each test file's setup (__tests__/setup.ts) writes its record there after
 * its tests, and globalTeardown aggregates them, prints the table and writes
 * coverage/workflows/coverage.json and index.html. SFN_WORKFLOW_COVERAGE=0
 * turns it off.
 */
import { rmSync } from "node:fs";
import { WORKFLOW_COVERAGE_DIR, WORKFLOW_COVERAGE_RECORDS, workflowCoverageOn } from "../../src/executor/coverage";

export async function setup(): Promise<void> {
  rmSync(WORKFLOW_COVERAGE_RECORDS, { recursive: true, force: true });
}

export async function teardown(): Promise<void> {
  if (!workflowCoverageOn()) return;
  const { readCoverageRecords, buildCoverageReport, formatCoverage, writeCoverageReport } = await import("../../src/executor/coverage");
  const counts = readCoverageRecords(WORKFLOW_COVERAGE_RECORDS);
  if (Object.keys(counts).length === 0) return; // no test ran a catalogued workflow
  const { workflowNames } = await import("../../src/catalogue");
  const { prepareWorkflow } = await import("../../src/executor/index");
  const definitions: Record<string, Record<string, unknown>> = {};
  // Rendered for the default stage, as the workflow tests run them: state paths do not depend on the stage.
  for (const name of workflowNames()) definitions[name] = (await prepareWorkflow(name, { cwd: "/nonexistent-so-defaults-apply" })).definition;
  const report = buildCoverageReport(definitions, counts);
  writeCoverageReport(report, WORKFLOW_COVERAGE_DIR);
  rmSync(WORKFLOW_COVERAGE_RECORDS, { recursive: true, force: true });
  process.stdout.write(`\n${formatCoverage(report)}\nWritten: coverage/workflows/coverage.json, coverage/workflows/index.html\n`);
}
