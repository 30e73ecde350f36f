/**
 * `npm run synth`: the fast path. Runs the cdktf app (main.ts) directly, without
 * the cdktf CLI, into a temporary folder, adds an HCL copy of every stack under
 * `hcl/<stack>/` written from its JSON by src/hcl (never beside the .tf.json:
 * Terraform would load both), then swaps the result into cdktf.out. A failed synthesis prints one message,
 * exits 1 and leaves the previous cdktf.out untouched.
 *
 * It compiles the app with esbuild and runs it on plain node in a child process
 * (src/ never imports cdktf; tsx's hooks would cost about a second).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { ProjectError } from "../errors";
import { writeHclCopies } from "../hcl/folder";
import { compileApp } from "./compile-app";

/** `--out <dir>` (tests use a temporary folder). @default cdktf.out in the repository */
function outDir(argv: readonly string[]): string {
  const i = argv.indexOf("--out");
  return i >= 0 && argv[i + 1] ? resolve(argv[i + 1]) : join(REPO_ROOT, "cdktf.out");
}
const OUT = outDir(process.argv.slice(2));

interface Report {
  stacks: Array<{ name: string; warnings: Array<{ code: string; file: string; path: string; message: string }> }>;
}

async function main(): Promise<number> {
  const started = performance.now();
  // Beside the output (same filesystem, so the swap is a rename); .gitignore covers `.cdktf.out.*/`.
  mkdirSync(dirname(OUT), { recursive: true });
  const work = mkdtempSync(join(dirname(OUT), ".cdktf.out.synth-"));
  try {
    const json = join(work, "out");
    const reportFile = join(work, "report.json");
    let app: string;
    try {
      app = await compileApp("main.ts");
    } catch (error) {
      process.stderr.write(`synth failed; ${relative(process.cwd(), OUT) || "."} was left as it was.\n${(error as Error).message}\n`);
      return 1;
    }
    const child = spawnSync(process.execPath, [app], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: json, SYNTH_REPORT_FILE: reportFile },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.status !== 0) {
      const detail = (child.stderr || child.stdout || "").trim() || `the app exited with ${child.status ?? child.signal}`;
      process.stderr.write(`synth failed; cdktf.out was left as it was.\n${detail}\n`);
      return 1;
    }
    try {
      writeHclCopies(json);
    } catch (error) {
      if (!(error instanceof ProjectError)) throw error;
      process.stderr.write(`synth failed; cdktf.out was left as it was.\n${error.message}\n`);
      return 1;
    }
    swapInto(json, OUT);

    // An app of the team's own (addStages on its own App, constructs added) writes no report: no warnings to list then.
    const report: Report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as Report) : { stacks: [] };
    const lines: string[] = [];
    let stacks = 0;
    for (const stack of readdirSync(join(OUT, "stacks")).sort()) {
      const tf = JSON.parse(readFileSync(join(OUT, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
      const resources = Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
      const warnings = report.stacks.find((s) => s.name === stack)?.warnings ?? [];
      stacks += 1;
      lines.push(`  ${stack}: ${resources} resources, ${warnings.length} lint warning(s)`);
      for (const w of warnings) lines.push(`    warning ${w.code} ${w.file} ${w.path || "(root)"}: ${w.message}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const out = relative(process.cwd(), OUT) || ".";
    process.stdout.write(`Synthesized ${stacks} stack(s) into ${out}/stacks (JSON) and ${out}/hcl (HCL) in ${seconds} s:\n${lines.join("\n")}\n`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Replaces `target` with `source` by two renames, so readers never see a half-written folder for long. */
function swapInto(source: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}

main().then((code) => {
  process.exitCode = code;
});
