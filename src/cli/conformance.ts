/**
 * npm run conformance -- [folder] [--json] [--executor aws-local-stepfunctions] [--write docs/conformance.md] [--filter text]
 *
 * Runs every recorded case in the folder (default ../shared/conformance/cases)
 * through the local executor and prints the pass rate overall, per feature and
 * exact vs placeholder cases, then the failures. `--executor
 * aws-local-stepfunctions` also runs the cases through that npm package and
 * prints its rate beside ours (with --json, its figures are the ones printed).
 * Exit code 0 even with failures (it is a report), unless `--min-pass-rate
 * <0..1>` is given and our rate is below it (exit 1: CI's gate); 2 for a bad
 * folder or bad arguments.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CaseFolderError, loadCases } from "../conformance/cases";
import { awsLocalStepFunctionsExecutor, ourExecutor } from "../conformance/executors";
import { consoleReport, jsonFigures, markdownReport } from "../conformance/report";
import { runSuite, SuiteReport } from "../conformance/runner";

const REPO_ROOT = resolve(__dirname, "..", "..");
const DEFAULT_FOLDER = resolve(REPO_ROOT, "..", "shared", "conformance", "cases");
const USAGE =
  "usage: npm run conformance -- [folder] [--json] [--executor aws-local-stepfunctions] [--write <file.md>] [--filter <text>] [--min-pass-rate <0..1>]";

interface Args {
  folder: string;
  json: boolean;
  executor?: "aws-local-stepfunctions";
  write?: string;
  filter?: string;
  minPassRate?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { folder: DEFAULT_FOLDER, json: false };
  let folderSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value. ${USAGE}`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--executor") {
      const v = value();
      if (v !== "aws-local-stepfunctions") throw new UsageError(`unknown --executor "${v}": the only other executor is aws-local-stepfunctions. ${USAGE}`);
      args.executor = v;
    } else if (a === "--write") args.write = value();
    else if (a === "--filter") args.filter = value();
    else if (a === "--min-pass-rate") {
      const v = value();
      const rate = Number(v);
      if (!(rate >= 0 && rate <= 1)) throw new UsageError(`--min-pass-rate takes a number from 0 to 1, e.g. 0.99. Received: "${v}". ${USAGE}`);
      args.minPassRate = rate;
    }
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}. ${USAGE}`);
    else if (folderSet) throw new UsageError(`only one folder can be given (got "${args.folder}" and "${a}"). ${USAGE}`);
    else {
      args.folder = resolve(a);
      folderSet = true;
    }
  }
  return args;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Args;
  let cases;
  try {
    args = parseArgs(process.argv.slice(2));
    cases = loadCases(args.folder);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CaseFolderError) {
      process.stderr.write(`conformance: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.filter) cases = cases.filter((c) => c.id.includes(args.filter!) || c.file.includes(args.filter!));
  const ours = await runSuite(cases, ourExecutor, args.folder);
  let other: SuiteReport | undefined;
  if (args.executor === "aws-local-stepfunctions") other = await runSuite(cases, awsLocalStepFunctionsExecutor, args.folder);

  if (args.json) process.stdout.write(`${JSON.stringify(jsonFigures(other ?? ours), null, 2)}\n`);
  else process.stdout.write(`${consoleReport(ours, other)}\n`);

  if (args.write) {
    const command = ["npm run conformance --", ...process.argv.slice(2)].join(" ");
    writeFileSync(resolve(args.write), markdownReport(ours, other, command, REPO_ROOT));
    if (!args.json) process.stdout.write(`\nWrote ${args.write}\n`);
  }
  const figures = jsonFigures(ours);
  const rate = figures.total === 0 ? 0 : figures.passed / figures.total;
  if (args.minPassRate !== undefined && rate < args.minPassRate) {
    process.stderr.write(`conformance: ${figures.passed}/${figures.total} passed (${(rate * 100).toFixed(1)}%), below the required ${(args.minPassRate * 100).toFixed(1)}%.\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`conformance: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
