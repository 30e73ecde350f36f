/**
 * Mocked Task responses: AWS Step Functions Local's MockConfigFile.json
 * format (so a team's existing mocks work unchanged), and plain per-state
 * functions for tests.
 */
import { readFileSync } from "node:fs";
import { MockConfigError, StatesError } from "./errors";

/** A per-state mock: gets the Task's effective parameters and the 0-based invocation number; returns the result or throws. */
export type StateMock = (parameters: unknown, invocation: number) => unknown;

export type MockedResponse = { Return: unknown } | { Throw: { Error: string; Cause?: string } };

export interface MockConfigFile {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockedResponse>>;
}

/** Reads and checks a MockConfigFile.json; errors name the file and what to fix. */
export function loadMockConfig(path: string): MockConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new MockConfigError(`Mock config ${path}: cannot read the file (${(err as Error).message}). Pass the path of a MockConfigFile.json.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MockConfigError(`Mock config ${path}: not valid JSON (${(err as Error).message}).`);
  }
  return checkMockConfig(parsed, path);
}

export function checkMockConfig(value: unknown, where = "mock config"): MockConfigFile {
  const v = value as Partial<MockConfigFile> | null;
  if (!v || typeof v !== "object" || typeof v.StateMachines !== "object" || typeof v.MockedResponses !== "object") {
    throw new MockConfigError(`${where}: expected an object with "StateMachines" and "MockedResponses" (Step Functions Local's MockConfigFile format).`);
  }
  return v as MockConfigFile;
}

/**
 * The mocks of one test case as per-state functions. `stateMachine` is the
 * key under StateMachines (the workflow name); `testCase` the key under its TestCases.
 */
export function mocksFromConfig(config: MockConfigFile, stateMachine: string, testCase: string): Record<string, StateMock> {
  const machine = config.StateMachines[stateMachine];
  if (!machine) {
    throw new MockConfigError(`Mock config: no state machine "${stateMachine}" under StateMachines (found: ${Object.keys(config.StateMachines).join(", ") || "none"}).`);
  }
  const cases = machine.TestCases ?? {};
  const mapping = cases[testCase];
  if (!mapping) {
    throw new MockConfigError(`Mock config: state machine "${stateMachine}" has no test case "${testCase}" (found: ${Object.keys(cases).join(", ") || "none"}).`);
  }
  const mocks: Record<string, StateMock> = {};
  for (const [stateName, responseName] of Object.entries(mapping)) {
    const responses = config.MockedResponses[responseName];
    if (!responses) {
      throw new MockConfigError(`Mock config: test case "${testCase}" maps state "${stateName}" to "${responseName}", which is not under MockedResponses.`);
    }
    const table = parseResponseTable(responses, responseName);
    mocks[stateName] = (_parameters, invocation) => {
      const response = table.find((r) => invocation >= r.from && invocation <= r.to)?.response;
      if (!response) {
        throw new StatesError(
          "States.Runtime",
          `mocked response "${responseName}" has no entry for invocation ${invocation} of state "${stateName}" (defined: ${Object.keys(responses).join(", ")})`,
        );
      }
      if ("Throw" in response) throw new StatesError(response.Throw.Error, response.Throw.Cause);
      return response.Return;
    };
  }
  return mocks;
}

function parseResponseTable(responses: Record<string, MockedResponse>, name: string) {
  return Object.entries(responses).map(([key, response]) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (!m) throw new MockConfigError(`Mock config: mocked response "${name}" has key "${key}"; keys are invocation numbers ("0") or ranges ("1-2").`);
    if (!response || typeof response !== "object" || (!("Return" in response) && !("Throw" in response))) {
      throw new MockConfigError(`Mock config: mocked response "${name}"."${key}" needs "Return" or "Throw".`);
    }
    return { from: Number(m[1]), to: Number(m[2] ?? m[1]), response };
  });
}
