/**
 * `sfn-workflows exec <workflow> --input <file|json> [--stage <stage>]
 *     [--mock-config <file> --test-case <name>] [--definition <file>] [--s3-dir <folder>] [--json]`
 *
 * Runs a catalogued workflow (or a definition file) in the local executor with
 * the real handlers, on a virtual clock. Prints the final status, the output
 * and the states visited with their durations; `--json` prints only the
 * result as JSON. Handler logs go to stderr so stdout stays parseable.
 * Exit 1 when the execution fails or times out.
 */
import { withStdoutOnStderr } from "../../executor/stdout-to-stderr";
import { existsSync, statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { UsageError } from "../../errors";
import { defineCommand, type Io } from "../command";
import { fromExecutorError } from "../executor-errors";
import { parseJson, readTextFile } from "../files";

const INPUT_FIX = `pass inline JSON quoted for the shell (--input '{"orderId":"o-1"}') or the path of a JSON file`;

/** `--input` is inline JSON when it looks like JSON, else a file path. */
export function readInput(arg: string, io: Pick<Io, "cwd">): unknown {
  const trimmed = arg.trim();
  if (/^[[{"]/.test(trimmed) || /^(-?\d|true$|false$|null$)/.test(trimmed)) return parseJson(trimmed, "--input", INPUT_FIX);
  if (trimmed === "") throw new UsageError({ where: "--input", what: "is empty", fix: INPUT_FIX }, "exec");
  const text = readTextFile(arg, { cwd: io.cwd, where: `--input ${arg}`, fix: INPUT_FIX });
  return parseJson(text, `--input ${arg}`, "fix the file's JSON");
}

export default defineCommand({
  name: "exec",
  summary: "run a workflow locally with the real handlers on a virtual clock",
  synopsis: "<workflow> --input <file|json> [--stage <stage>] [--mock-config <file> --test-case <name>] [--definition <file>] [--s3-dir <folder>] [--json]",
  description: "Prints the status, the output and the states visited (stdout); handler logs go to stderr. Exit 1 when the execution fails or times out.",
  positionals: { min: 0, max: 1, name: "a workflow name" },
  options: {
    input: { type: "string", value: "<file|json>", description: "the execution input: inline JSON or a JSON file (required)" },
    stage: { type: "string", value: "<stage>", description: "stage whose configuration renders the workflow (default: STAGE, else .env, else dev)" },
    definition: { type: "string", value: "<file>", description: "run this ASL JSON file instead of the catalogued template" },
    "mock-config": { type: "string", value: "<file>", description: "Step Functions Local MockConfigFile.json (with --test-case)" },
    "test-case": { type: "string", value: "<name>", description: "the test case under StateMachines.<workflow>.TestCases" },
    "s3-dir": { type: "string", value: "<folder>", description: "a folder standing for S3 (<folder>/<bucket>/<key>) for a distributed Map's ItemReader and ResultWriter" },
    json: { type: "boolean", description: "print only the result object as JSON" },
  },
  async run({ values, positionals }, io) {
    const workflow = positionals[0];
    const definitionFile = values.definition as string | undefined;
    const mockConfigFile = values["mock-config"] as string | undefined;
    const testCase = values["test-case"] as string | undefined;
    if (workflow === undefined && definitionFile === undefined) {
      throw new UsageError({ what: "name a workflow or pass --definition <file>" }, "exec");
    }
    if (values.input === undefined) throw new UsageError({ what: "--input is required", fix: INPUT_FIX }, "exec");
    if ((mockConfigFile === undefined) !== (testCase === undefined)) {
      throw new UsageError({ what: "--mock-config and --test-case go together", fix: "the test case names which mocked responses to use; pass both" }, "exec");
    }
    const input = readInput(values.input as string, io);
    const s3Dir = values["s3-dir"] === undefined ? undefined : resolvePath(io.cwd, values["s3-dir"] as string);
    if (s3Dir !== undefined && !(existsSync(s3Dir) && statSync(s3Dir).isDirectory())) {
      throw new UsageError({ where: `--s3-dir ${values["s3-dir"] as string}`, what: "is not a folder", fix: "pass a folder laid out as <folder>/<bucket>/<key>" }, "exec");
    }
    const definition =
      definitionFile === undefined
        ? undefined
        : parseJson(readTextFile(definitionFile, { cwd: io.cwd, where: `--definition ${definitionFile}`, fix: "pass a rendered ASL JSON file" }), `--definition ${definitionFile}`, "fix the file's JSON");
    if (definition !== undefined && (definition === null || typeof definition !== "object" || Array.isArray(definition))) {
      throw new UsageError({ where: `--definition ${definitionFile}`, what: "is not a JSON object (a state machine definition)", fix: "pass a rendered ASL JSON file" }, "exec");
    }
    const mockConfig =
      mockConfigFile === undefined
        ? undefined
        : parseJson(readTextFile(mockConfigFile, { cwd: io.cwd, where: `--mock-config ${mockConfigFile}`, fix: "pass the path of a MockConfigFile.json" }), `--mock-config ${mockConfigFile}`, "fix the file's JSON");

    const [{ prepareWorkflow, runDefinition }, { formatVisits, stateVisits }, { findWorkflow, getWorkflow }, { loadStageConfig }] = await Promise.all([
      import("../../executor/index"),
      import("../../executor/summary"),
      import("../../catalogue"),
      import("../../config/stage"),
    ]);
    try {
      // A catalogued name also brings its handlers; with --definition any other name only keys the mock config.
      if (definition === undefined) getWorkflow(workflow!);
      const catalogued = workflow !== undefined && findWorkflow(workflow) !== undefined;
      // prepareWorkflow reads process.env; check the configuration this command was given first.
      if (catalogued) loadStageConfig({ cwd: io.cwd, env: io.env, stage: values.stage as string | undefined });
      const prepared = catalogued ? await prepareWorkflow(workflow!, { stage: values.stage as string | undefined, cwd: io.cwd }) : undefined;
      const result = await withStdoutOnStderr(() =>
        runDefinition((definition as object | undefined) ?? prepared!.definition, input, {
          ...(mockConfig !== undefined ? { mockConfig: mockConfig as never, testCase } : {}),
          ...(s3Dir !== undefined ? { s3Dir } : {}),
          stateMachineName: prepared?.stateMachineName,
          mockStateMachineName: workflow,
          region: prepared?.region,
          resolveHandler: prepared?.resolveHandler,
        }),
      );
      const { executionCost, formatCost } = await import("../../executor/cost");
      const cost = executionCost(result, { type: workflow !== undefined ? findWorkflow(workflow)?.type : undefined });
      if (values.json) {
        const { history, ...rest } = result;
        io.stdout(JSON.stringify({ ...rest, cost, history }, null, 2));
      } else {
        io.stdout(`Status: ${result.status}`);
        if (result.status === "SUCCEEDED") io.stdout(`Output: ${JSON.stringify(result.output, null, 2)}`);
        else if (result.status === "FAILED") {
          io.stdout(`Error:  ${result.error ?? "(none)"}`);
          io.stdout(`Cause:  ${result.cause ?? "(none)"}`);
        }
        io.stdout(`Virtual time: ${result.startDate.toISOString()} -> ${result.stopDate.toISOString()}`);
        io.stdout("");
        io.stdout(formatVisits(stateVisits(result.history)));
        io.stdout("");
        io.stdout(formatCost(cost));
      }
      return result.status === "SUCCEEDED" ? 0 : 1;
    } catch (error) {
      throw fromExecutorError(error);
    }
  },
});

