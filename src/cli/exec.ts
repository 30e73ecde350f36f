/**
 * `npm run exec -- <workflow> --input <file|json> [--stage <stage>]
 *     [--mock-config <file> --test-case <name>] [--definition <file>] [--s3-dir <folder>] [--json]`
 *
 * Runs a catalogued workflow (or a definition file) in the local executor with
 * the real handlers, on a virtual clock. Prints the final status, the output
 * and the states visited with their durations; `--json` prints only the
 * result as JSON. Handler logs go to stderr so stdout stays parseable.
 *
 * Exit codes: 0 the execution succeeded, 1 it failed or timed out, 2 the
 * command could not run (bad arguments, unreadable file, unknown workflow).
 */
import { readFileSync } from "node:fs";
import { ExecutionResult, InvalidDefinitionError, RunOptions, prepareWorkflow, runDefinition } from "../executor/index";
import { formatVisits, stateVisits } from "../executor/summary";
import { findWorkflow } from "../../workflows/catalogue";

export const USAGE = `Usage: npm run exec -- <workflow> --input <file|json> [--stage <stage>] [--mock-config <file> --test-case <name>] [--definition <file>] [--s3-dir <folder>] [--json]`;

/** A problem with the command line or its files: one line, with the fix. */
export class UsageError extends Error {}

export interface ExecArgs {
  workflow?: string;
  input: unknown;
  stage?: string;
  mockConfig?: string;
  testCase?: string;
  definition?: string;
  /** A folder standing for S3 (`<folder>/<bucket>/<key>`) for distributed Map ItemReader/ResultWriter. */
  s3Dir?: string;
  json: boolean;
}

export function parseArgs(argv: readonly string[]): ExecArgs {
  const args: Partial<ExecArgs> & { json: boolean } = { json: false };
  let inputArg: string | undefined;
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value. ${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--input":
        inputArg = value(i++, a);
        break;
      case "--stage":
        args.stage = value(i++, a);
        break;
      case "--mock-config":
        args.mockConfig = value(i++, a);
        break;
      case "--test-case":
        args.testCase = value(i++, a);
        break;
      case "--definition":
        args.definition = value(i++, a);
        break;
      case "--s3-dir":
        args.s3Dir = value(i++, a);
        break;
      case "--json":
        args.json = true;
        break;
      default:
        if (a.startsWith("-")) throw new UsageError(`Unknown option "${a}". ${USAGE}`);
        if (args.workflow !== undefined) throw new UsageError(`Only one workflow per run (got "${args.workflow}" and "${a}"). ${USAGE}`);
        args.workflow = a;
    }
  }
  if (args.workflow === undefined && args.definition === undefined) throw new UsageError(`Name a workflow or pass --definition <file>. ${USAGE}`);
  if (inputArg === undefined) throw new UsageError(`--input is required: a JSON value ('{"orderId":"o-1"}') or a JSON file. ${USAGE}`);
  if ((args.mockConfig === undefined) !== (args.testCase === undefined)) {
    throw new UsageError("--mock-config and --test-case go together: the test case names which mocked responses to use.");
  }
  return { ...args, input: parseInput(inputArg) };
}

/** `--input` is inline JSON when it parses as JSON, else a file path. */
export function parseInput(arg: string): unknown {
  const trimmed = arg.trim();
  if (/^[[{"]/.test(trimmed) || /^(-?\d|true$|false$|null$)/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`--input is not valid JSON: ${(err as Error).message}. Quote it for the shell, e.g. --input '{"orderId":"o-1"}', or pass a file.`);
    }
  }
  let text: string;
  try {
    text = readFileSync(arg, "utf8");
  } catch (err) {
    throw new UsageError(`--input ${arg}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Pass an existing JSON file or inline JSON.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--input ${arg}: the file is not valid JSON (${(err as Error).message}). Fix the file.`);
  }
}

function readDefinition(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`--definition ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Pass a rendered ASL JSON file.`);
  }
}

/** Runs the command; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let result: ExecutionResult;
  try {
    const args = parseArgs(argv);
    const options: RunOptions = { ...(args.mockConfig ? { mockConfig: args.mockConfig, testCase: args.testCase } : {}), ...(args.s3Dir ? { s3Dir: args.s3Dir } : {}) };
    if (args.definition !== undefined) {
      const text = readDefinition(args.definition);
      // A catalogued name also brings its handlers; any other name only keys the mock config.
      const catalogued = args.workflow !== undefined && findWorkflow(args.workflow) !== undefined;
      const prepared = catalogued ? await prepareWorkflow(args.workflow!, { stage: args.stage }) : undefined;
      result = await runDefinition(text, args.input, {
        ...options,
        stateMachineName: prepared?.stateMachineName,
        mockStateMachineName: args.workflow,
        region: prepared?.region,
        resolveHandler: prepared?.resolveHandler,
      });
    } else {
      const prepared = await prepareWorkflow(args.workflow!, { stage: args.stage });
      result = await runDefinition(prepared.definition, args.input, {
        ...options,
        stateMachineName: prepared.stateMachineName,
        mockStateMachineName: args.workflow,
        region: prepared.region,
        resolveHandler: prepared.resolveHandler,
      });
    }
    if (args.json) {
      const { history, ...rest } = result;
      out(JSON.stringify({ ...rest, history }, null, 2));
    } else {
      out(`Status: ${result.status}`);
      if (result.status === "SUCCEEDED") out(`Output: ${JSON.stringify(result.output, null, 2)}`);
      else if (result.status === "FAILED") {
        out(`Error:  ${result.error ?? "(none)"}`);
        out(`Cause:  ${result.cause ?? "(none)"}`);
      }
      out(`Virtual time: ${result.startDate.toISOString()} -> ${result.stopDate.toISOString()}`);
      out("");
      out(formatVisits(stateVisits(result.history)));
    }
    return result.status === "SUCCEEDED" ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InvalidDefinitionError || isProjectError(e) || isMockConfigError(e)) {
      err((e as Error).message);
      return 2;
    }
    throw e;
  }
}

function isProjectError(e: unknown): boolean {
  // src/errors.ts's ProjectError family (unknown workflow, config, template); matched by name to keep this file's imports light.
  return e instanceof Error && ["ProjectError", "ConfigError", "TemplateError", "UnknownWorkflowError", "WorkflowLintError"].includes(e.name);
}

function isMockConfigError(e: unknown): boolean {
  return e instanceof Error && /^(Mock config|runDefinition:)/.test(e.message);
}

if (require.main === module) {
  // Handlers log JSON lines to stdout; send them to stderr so stdout holds only the result.
  const realWrite = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => process.stderr.write(chunk, ...(rest as []))) as typeof process.stdout.write;
  main(process.argv.slice(2), (s) => lines.push(s), (s) => process.stderr.write(s + "\n"))
    .then((code) => {
      process.stdout.write = realWrite;
      if (lines.length) realWrite(lines.join("\n") + "\n");
      process.exitCode = code;
    })
    .catch((e) => {
      process.stdout.write = realWrite;
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    });
}
