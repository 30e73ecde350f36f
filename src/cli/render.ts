/**
 * `npm run render -- <workflow> [--stage <stage>] [--target local]`
 * Prints the rendered, linted ASL of one catalogued workflow for the current
 * stage, pretty-printed with sorted keys. Lint warnings go to stderr.
 */
import { loadStageConfig } from "../config/stage";
import { getWorkflow, workflowNames } from "../../workflows/catalogue";
import { formatFinding } from "../asl/lint";
import { renderWorkflow } from "../render/render";
import { ProjectError } from "../errors";

const USAGE = `Usage: npm run render -- <workflow> [--stage <stage>]
Workflows: ${workflowNames().join(", ")}`;

function main(argv: string[]): number {
  let stage: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stage") stage = argv[++i];
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith("-")) {
      console.error(`Unknown option "${arg}".\n${USAGE}`);
      return 2;
    } else positional.push(arg);
  }
  if (positional.length !== 1 || (argv.includes("--stage") && !stage)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadStageConfig({ stage });
  const rendered = renderWorkflow(getWorkflow(positional[0]), config);
  for (const finding of rendered.findings) console.error(formatFinding(finding));
  process.stdout.write(rendered.json + "\n");
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ProjectError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
