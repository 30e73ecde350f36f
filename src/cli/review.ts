/**
 * `npm run review -- [--stage <s>] [--base <dir or git ref>] [--plan <plan.json>] [--out <dir>]`
 * Writes review.md (a pull-request comment) and review.html per stage. See src/review/README.md.
 */
import { ProjectError } from "../errors";
import { USAGE, parseArgs, runReview } from "../review/run";

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  await runReview(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (!(error instanceof ProjectError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  },
);
