/**
 * `sfn-workflows conformance [folder] [--json] [--executor aws-local-stepfunctions] [--write <file.md>] [--filter <text>] [--min-pass-rate <0..1>]`
 *
 * Runs every recorded case in the folder (default ../shared/conformance/cases,
 * beside the repository) through the local executor and prints the pass rate
 * overall, per feature and exact vs placeholder cases, then the failures.
 * Exit 0 even with failures (it is a report), unless `--min-pass-rate` is given
 * and our rate is below it (exit 1: CI's gate).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../errors";
import { defineCommand } from "../command";
import { fromExecutorError } from "../executor-errors";
import { checkOutputFolder } from "../files";

export default defineCommand({
  name: "conformance",
  summary: "run the AWS-recorded conformance cases through the local executor and print the pass rate",
  synopsis: "[<folder>] [--json] [--executor aws-local-stepfunctions] [--write <file.md>] [--filter <text>] [--min-pass-rate <0..1>]",
  description: "Default folder: ../shared/conformance/cases beside the repository. Exit 1 only when --min-pass-rate is given and not reached.",
  positionals: { min: 0, max: 1, name: "a folder of case files" },
  options: {
    json: { type: "boolean", description: "print the figures as JSON" },
    executor: { type: "string", value: "aws-local-stepfunctions", description: "also run the cases through that npm package and compare" },
    write: { type: "string", value: "<file.md>", description: "write the report as Markdown (e.g. docs/conformance.md)" },
    filter: { type: "string", value: "<text>", description: "only cases whose id or file contains the text" },
    "min-pass-rate": { type: "string", value: "<0..1>", description: "exit 1 when our pass rate is below this (CI's gate)" },
  },
  async run({ values, positionals }, io) {
    const { REPO_ROOT } = await import("../../config/handlers");
    const executor = values.executor as string | undefined;
    if (executor !== undefined && executor !== "aws-local-stepfunctions") {
      throw new UsageError({ where: "--executor", what: "the only other executor is aws-local-stepfunctions", received: executor, fix: "write --executor aws-local-stepfunctions or leave it out" }, "conformance");
    }
    const rateText = values["min-pass-rate"] as string | undefined;
    const minPassRate = rateText === undefined ? undefined : Number(rateText);
    if (minPassRate !== undefined && !(rateText!.trim() !== "" && minPassRate >= 0 && minPassRate <= 1)) {
      throw new UsageError({ where: "--min-pass-rate", what: "takes a number from 0 to 1", received: rateText, fix: "write e.g. --min-pass-rate 0.99" }, "conformance");
    }
    const write = values.write as string | undefined;
    if (write !== undefined) checkOutputFolder(resolve(io.cwd, write, ".."), { cwd: io.cwd, where: `--write ${write}` });
    const folder = positionals[0] !== undefined ? resolve(io.cwd, positionals[0]) : resolve(REPO_ROOT, "..", "shared", "conformance", "cases");

    const [{ loadCases }, { awsLocalStepFunctionsExecutor, ourExecutor }, { consoleReport, jsonFigures, markdownReport }, { runSuite }] = await Promise.all([
      import("../../conformance/cases"),
      import("../../conformance/executors"),
      import("../../conformance/report"),
      import("../../conformance/runner"),
    ]);
    let cases = loadCases(folder);
    const filter = values.filter as string | undefined;
    if (filter) cases = cases.filter((c) => c.id.includes(filter) || c.file.includes(filter));
    let ours, other;
    try {
      ours = await runSuite(cases, ourExecutor, folder);
      if (executor === "aws-local-stepfunctions") other = await runSuite(cases, awsLocalStepFunctionsExecutor, folder);
    } catch (error) {
      throw fromExecutorError(error);
    }
    if (values.json) io.stdout(JSON.stringify(jsonFigures(other ?? ours), null, 2));
    else io.stdout(consoleReport(ours, other));

    if (write) {
      // The command that reproduces the report, as the docs show it.
      const flags = Object.entries(values).flatMap(([k, v]) => (k === "debug" || v === undefined || v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, String(v)]));
      const command = ["npm run conformance --", ...positionals, ...flags].join(" ");
      writeFileSync(resolve(io.cwd, write), markdownReport(ours, other, command, REPO_ROOT));
      if (!values.json) io.stdout(`\nWrote ${write}`);
    }
    const figures = jsonFigures(ours);
    const rate = figures.total === 0 ? 0 : figures.passed / figures.total;
    if (minPassRate !== undefined && rate < minPassRate) {
      io.stderr(`conformance: ${figures.passed}/${figures.total} passed (${(rate * 100).toFixed(1)}%), below the required ${(minPassRate * 100).toFixed(1)}%.`);
      return 1;
    }
    return 0;
  },
});
