// cdktf's jest matchers (toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...).
import { Testing } from "cdktf";

Testing.setupJest();

// Workflow coverage: runWorkflow records what each test file's executions took (see scripts/jest/workflow-coverage.ts).
import { enableWorkflowCoverage, flushWorkflowCoverage, WORKFLOW_COVERAGE_RECORDS, workflowCoverageOn } from "../src/executor/coverage";

if (workflowCoverageOn()) {
  enableWorkflowCoverage();
  afterAll(() => {
    flushWorkflowCoverage(WORKFLOW_COVERAGE_RECORDS);
  });
}

// The executor's matchers (toHaveVisited, toHaveFailedWith, toHaveSucceededWith).
import "../src/executor/jest";
