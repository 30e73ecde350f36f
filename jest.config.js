/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)sx?$": "<rootDir>/scripts/jest/esbuild-transform.cjs",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Workflow coverage: per-test-file records aggregated into coverage/workflows/ (scripts/jest/workflow-coverage.ts).
  globalSetup: "<rootDir>/scripts/jest/workflow-coverage-setup.ts",
  globalTeardown: "<rootDir>/scripts/jest/workflow-coverage-teardown.ts",
  // cdktf synthesis, moto start-up and the browser test are slower than a unit test.
  testTimeout: 60000,
  maxWorkers: 2,
};
