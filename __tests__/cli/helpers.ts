import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { REPO_ROOT } from "../../src/config/handlers";

export { REPO_ROOT };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sfn-workflows <argv>` in this process. The environment holds no STAGE,
 * STAGES or other configuration unless given, so the embedded defaults apply;
 * cwd defaults to an empty temporary folder (no .env).
 */
export async function cli(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    cwd: options.cwd ?? tempDir(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
  return { code, stdout: out.length ? `${out.join("\n")}\n` : "", stderr: err.length ? `${err.join("\n")}\n` : "" };
}

/** Runs the real bin with node, as a user would (one per command at most: it costs a process). */
export function bin(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "sfn-workflows.mjs"), ...argv], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "sfn-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
