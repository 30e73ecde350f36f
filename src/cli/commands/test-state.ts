/**
 * `sfn-workflows test-state <workflow> --state <name> --input <json|file> [--mock <json|file>]
 *     [--variables <json|file>] [--context <json|file>] [--state-configuration <json|file>]
 *     [--inspection-level INFO|DEBUG|TRACE] [--stage <stage>] [--json]`
 *
 * Runs one state of a catalogued workflow once, as the TestState API does
 * (src/executor/test-state-workflow.ts holds the logic). Exit 0 SUCCEEDED or
 * CAUGHT_ERROR, 1 FAILED or RETRIABLE, 2 the command could not run.
 */
import { withStdoutOnStderr } from "../../executor/stdout-to-stderr";
import { UsageError } from "../../errors";
import { defineCommand, type Io } from "../command";
import { parseJson, readTextFile } from "../files";

const LEVELS = ["INFO", "DEBUG", "TRACE"];

/** A flag's JSON: inline when it looks like JSON, else a file. */
function jsonFlag(flag: string, arg: string, io: Pick<Io, "cwd">): unknown {
  const fix = `pass inline JSON quoted for the shell (--${flag} '{"a":1}') or the path of a JSON file`;
  const trimmed = arg.trim();
  if (/^[[{"]/.test(trimmed) || /^(-?\d|true$|false$|null$)/.test(trimmed)) return parseJson(trimmed, `--${flag}`, fix);
  if (trimmed === "") throw new UsageError({ where: `--${flag}`, what: "is empty", fix }, "test-state");
  return parseJson(readTextFile(arg, { cwd: io.cwd, where: `--${flag} ${arg}`, fix }), `--${flag} ${arg}`, "fix the file's JSON");
}

export default defineCommand({
  name: "test-state",
  summary: "run one state of a workflow once, as the TestState API does (status, output, next state, inspection data)",
  synopsis: "<workflow> --state <name> --input <file|json> [--mock <file|json>] [--inspection-level DEBUG] [--json]",
  description:
    "The state runs through the local executor's own handler with the workflow's real Lambda handlers, or the mock. " +
    "Exit 0 SUCCEEDED or CAUGHT_ERROR, 1 FAILED or RETRIABLE.",
  positionals: { min: 1, max: 1, name: "a workflow name" },
  options: {
    state: { type: "string", value: "<name>", description: "the state to test (required; states inside Parallel and Map too)" },
    input: { type: "string", value: "<file|json>", description: "the state's input (required)" },
    mock: { type: "string", value: "<file|json>", description: 'TestState\'s mock: {"result": ...} or {"errorOutput": {"error": ..., "cause": ...}}' },
    variables: { type: "string", value: "<file|json>", description: "variables in scope before the state" },
    context: { type: "string", value: "<file|json>", description: "context object fields" },
    "state-configuration": { type: "string", value: "<file|json>", description: "retrierRetryCount, errorCausedByState, mapIterationFailureCount, mapItemReaderData" },
    "inspection-level": { type: "string", value: "<level>", description: "INFO (default), DEBUG or TRACE" },
    stage: { type: "string", value: "<stage>", description: "stage whose configuration renders the workflow (default: STAGE, else .env, else dev)" },
    json: { type: "boolean", description: "print the TestState response as JSON" },
  },
  async run({ values, positionals }, io) {
    if (values.state === undefined) throw new UsageError({ what: "--state is required", fix: "name the state to test" }, "test-state");
    if (values.input === undefined) throw new UsageError({ what: "--input is required", fix: `pass the state's input as inline JSON or a JSON file` }, "test-state");
    const level = String(values["inspection-level"] ?? "INFO").toUpperCase();
    if (!LEVELS.includes(level)) throw new UsageError({ where: "--inspection-level", what: "must be INFO, DEBUG or TRACE", received: values["inspection-level"] }, "test-state");
    const json = (flag: string) => (values[flag] === undefined ? undefined : jsonFlag(flag, values[flag] as string, io));
    const args = {
      workflow: positionals[0],
      state: values.state as string,
      input: json("input"),
      mock: json("mock"),
      variables: json("variables"),
      context: json("context"),
      stateConfiguration: json("state-configuration") as never,
      inspectionLevel: level as "INFO",
      stage: values.stage as string | undefined,
      cwd: io.cwd,
    };
    const [{ testWorkflowState, formatTestState }, { getWorkflow }, { loadStageConfig }] = await Promise.all([
      import("../../executor/test-state-workflow"),
      import("../../catalogue"),
      import("../../config/stage"),
    ]);
    getWorkflow(args.workflow);
    loadStageConfig({ cwd: io.cwd, env: io.env, stage: args.stage });
    const response = await withStdoutOnStderr(() => testWorkflowState(args));
    io.stdout(values.json ? JSON.stringify(response, null, 2) : formatTestState(response));
    return response.status === "SUCCEEDED" || response.status === "CAUGHT_ERROR" ? 0 : 1;
  },
});

