/**
 * `npm run test-state -- <workflow> --state <name> --input <json|file> [--mock <json|file>] [--inspection-level DEBUG] [--json]`
 *
 * Runs one state of a catalogued workflow once, as the TestState API does (see
 * src/executor/test-state.ts, which holds the logic). Exit codes: 0 SUCCEEDED
 * or CAUGHT_ERROR, 1 FAILED or RETRIABLE, 2 the command could not run.
 */
import { readFileSync } from "node:fs";
import { testStateCommand } from "../executor/test-state";

if (require.main === module) {
  // Handlers log JSON lines to stdout; send them to stderr so stdout holds only the result.
  const realWrite = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => process.stderr.write(chunk, ...(rest as []))) as typeof process.stdout.write;
  testStateCommand(process.argv.slice(2), (s) => lines.push(s), (s) => process.stderr.write(s + "\n"), (p) => readFileSync(p, "utf8"))
    .then((code) => {
      process.stdout.write = realWrite;
      if (lines.length) realWrite(lines.join("\n") + "\n");
      process.exitCode = code;
    })
    .catch((e) => {
      process.stdout.write = realWrite;
      process.stderr.write(`Internal error in test-state: ${(e as Error).message}\n`);
      process.exitCode = 2;
    });
}
