/**
 * `sfn-workflows synth` (`npm run synth`): the fast path. Runs the cdktf app (main.ts) directly, without
 * the cdktf CLI, into a temporary folder, adds an HCL copy of every stack under
 * `hcl/<stack>/` written from its JSON by src/hcl (never beside the .tf.json:
 * Terraform would load both), then swaps the result into cdktf.out. A failed
 * synthesis prints one message, exits 1 and leaves the previous cdktf.out
 * untouched. Work folders of synths that were killed (their process is gone)
 * are removed on the next run. Arguments are parsed in src/cli/commands/synth.ts.
 *
 * It compiles the app with esbuild and runs it on plain node in a child process
 * (src/ never imports cdktf; tsx's hooks would cost about a second).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { FileAccessError, ProjectError } from "../errors";
import { writeHclCopies } from "../hcl/folder";
import type { Io } from "./command";
import { CODE_CACHE_RUNNER, compileApp } from "./compile-app";
import { bugTracker } from "./main";

export interface SynthOptions {
  /** Output folder, absolute. @default cdktf.out in the repository */
  readonly out?: string;
  /** Stages to synthesize (STAGES for the app). @default STAGES, else STAGE, else the .env default */
  readonly stages?: readonly string[];
  /** Print the app's full output on failure. */
  readonly debug?: boolean;
  /** How errors name the output folder. @default `--out <out relative to the working folder>` */
  readonly outLabel?: string;
}

interface Report {
  stacks: Array<{ name: string; warnings: Array<{ code: string; file: string; path: string; message: string }> }>;
}

/** Synthesizes into `options.out`; returns the exit code (1: the app failed, the previous output left as it was). */
export async function synthesize(options: SynthOptions, io: Io): Promise<number> {
  const started = performance.now();
  const OUT = options.out ?? join(REPO_ROOT, "cdktf.out");
  const shownOut = relative(io.cwd, OUT) || ".";
  // Beside the output (same filesystem, so the swap is a rename); .gitignore covers `.cdktf.out.*/`.
  let work: string;
  try {
    mkdirSync(dirname(OUT), { recursive: true });
    removeOrphans(OUT);
    work = mkdtempSync(join(dirname(OUT), `${workPrefix(OUT)}${process.pid}-`));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new FileAccessError({ where: options.outLabel ?? `--out ${shownOut}`, what: `cannot create the work folder beside it (${e.code ?? e.message})`, fix: "pass a folder whose parent you can write to" });
  }
  try {
    const json = join(work, "out");
    const reportFile = join(work, "report.json");
    let app: string;
    try {
      app = await compileApp("main.ts", { cdktfAsIs: io.env.SYNTH_FULL === "1" });
    } catch (error) {
      io.stderr(`synth failed: the app does not compile; ${shownOut} was left as it was. ${oneLine((error as Error).message)}`);
      if (options.debug) io.stderr((error as Error).stack ?? "");
      return 1;
    }
    // The code cache is one of the caches SYNTH_NO_CACHE turns off; cdktf as it is (SYNTH_FULL) runs as it did before there was one.
    const plain = io.env.SYNTH_FULL === "1" || io.env.SYNTH_NO_CACHE === "1";
    const child = spawnSync(process.execPath, plain ? [app] : [CODE_CACHE_RUNNER, app], {
      cwd: REPO_ROOT,
      env: {
        ...io.env,
        ...(options.stages && options.stages.length > 0 ? { STAGES: options.stages.join(","), STAGE: "" } : {}),
        CDKTF_OUTDIR: json,
        SYNTH_REPORT_FILE: reportFile,
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.status !== 0) {
      io.stderr(`synth failed; ${shownOut} was left as it was.`);
      io.stderr(appFailure(child.stderr || child.stdout || "", `the app exited with ${child.status ?? child.signal}`, options.debug));
      return 1;
    }
    try {
      writeHclCopies(json);
    } catch (error) {
      if (!(error instanceof ProjectError)) throw error;
      io.stderr(`synth failed; ${shownOut} was left as it was.`);
      io.stderr(error.message);
      return 1;
    }
    swapInto(json, OUT);

    // An app of the team's own (addStages on its own App, constructs added) writes no report: no warnings to list then.
    const report: Report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as Report) : { stacks: [] };
    const stacks = readdirSync(join(OUT, "stacks"))
      .sort()
      .map((name) => {
        const tf = JSON.parse(readFileSync(join(OUT, "stacks", name, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
        const resources = Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
        return { name, resources, warnings: report.stacks.find((s) => s.name === name)?.warnings ?? [] };
      });
    io.stdout(synthSummary(stacks, shownOut, (performance.now() - started) / 1000));
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a successful synth prints: one line per stack (its warnings under it), counting stacks, not lines. */
export function synthSummary(stacks: ReadonlyArray<{ name: string; resources: number; warnings: Report["stacks"][number]["warnings"] }>, out: string, seconds: number): string {
  const lines = [`Synthesized ${stacks.length} stack(s) into ${out}/stacks (JSON) and ${out}/hcl (HCL) in ${seconds.toFixed(2)} s:`];
  for (const stack of stacks) {
    lines.push(`  ${stack.name}: ${stack.resources} resources, ${stack.warnings.length} lint warning(s)`);
    for (const w of stack.warnings) lines.push(`    warning ${w.code} ${w.file} ${w.path || "(root)"}: ${w.message}`);
  }
  return lines.join("\n");
}

/** Replaces `target` with `source` by two renames, so readers never see a half-written folder for long. */
function swapInto(source: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}

/** `.cdktf.out.synth-` for cdktf.out: the work folders' names, followed by the owning pid. */
function workPrefix(out: string): string {
  return `.${basename(out)}.synth-`;
}

/**
 * Removes work folders left beside `out` by synths that were killed: a
 * `.<out>.synth-<pid>-*` or `<out>.old-<pid>` whose process is gone. Folders of
 * a running synth stay. Names without a pid (from before pids were recorded)
 * are removed when older than an hour.
 */
export function removeOrphans(out: string): string[] {
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const prefix = workPrefix(out);
  const old = `${basename(out)}.old-`;
  const removed: string[] = [];
  for (const entry of readdirSync(parent)) {
    const rest = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry.startsWith(old) ? entry.slice(old.length) : undefined;
    if (rest === undefined) continue;
    const pid = /^(\d+)(-|$)/.exec(rest)?.[1];
    const path = join(parent, entry);
    const orphaned = pid !== undefined ? !isAlive(Number(pid)) : Date.now() - statSync(path).mtimeMs > 3_600_000;
    if (orphaned) {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The app's output on failure: its project errors as they are (they already say
 * what, where and how to fix); a crash as one line naming it a bug, with the
 * stack only under --debug.
 */
function appFailure(output: string, fallback: string, debug = false): string {
  const text = output.trim() || fallback;
  if (debug || !/^\s+at /m.test(text)) return text;
  const first = text.split("\n").find((l) => /^\w*Error\b|^\w+: /.test(l)) ?? text.split("\n")[0];
  return `The app crashed, a bug in sfn-workflows (please report it, with the command you ran, to ${bugTracker()}): ${first.trim()}. Run again with --debug to see the stack trace.`;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " | ");
}
