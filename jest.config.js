/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // cdktf synthesis and moto start-up are slower than a unit test.
  testTimeout: 60000,
  maxWorkers: 2,
};
