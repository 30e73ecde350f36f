/**
 * Finds the synthesis to compare against (`--base`): a folder that holds one,
 * or a git ref, which is checked out into a temporary `git worktree`,
 * synthesized there with the project's own `npm run synth`, read, and removed.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve as resolvePath } from "node:path";
import { ReviewError, reviewMessages } from "./errors";
import { type Synth, findStacksDir, listStacks, loadSynth } from "./synth";

export interface BaseSynths {
  /** How the base is named in the report: `main (abc1234)` or a folder. */
  readonly label: string;
  /** One synthesis per requested stack. */
  readonly synths: ReadonlyMap<string, Synth>;
}

function readStacks(stacksDir: string, stacks: readonly string[], base: string): Map<string, Synth> {
  const available = listStacks(stacksDir);
  const out = new Map<string, Synth>();
  for (const stack of stacks) {
    if (!available.includes(stack)) throw new ReviewError(reviewMessages.baseStackMissing(base, stack, available));
    out.set(stack, loadSynth(stacksDir, stack));
  }
  return out;
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The commit a ref names, or undefined when it names none. */
export function resolveRef(cwd: string, ref: string): string | undefined {
  // `--end-of-options` keeps a ref such as `--output=x` from being read as an option.
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export interface BaseOptions {
  /** The repository (and where relative folders are resolved). */
  readonly cwd: string;
  /** The stacks to read, e.g. `my-app-dev`. */
  readonly stacks: readonly string[];
  /** Stage names to synthesize at a git ref (STAGES for the synth). */
  readonly stages: readonly string[];
  /** Synth command run inside the worktree. @default ["npm", "run", "--silent", "synth"] */
  readonly synthCommand?: readonly string[];
  /** @default 300000 (5 minutes) */
  readonly timeoutMs?: number;
}

/** Reads the base synthesis named by `--base`: an existing folder first, else a git ref. */
export function loadBase(base: string, options: BaseOptions): BaseSynths {
  const folder = resolvePath(options.cwd, base);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    const stacksDir = findStacksDir(folder);
    if (!stacksDir) throw new ReviewError(reviewMessages.baseHoldsNoSynth(base));
    return { label: `the synthesis in ${relative(options.cwd, folder) || "."}`, synths: readStacks(stacksDir, options.stacks, base) };
  }
  const commit = resolveRef(options.cwd, base);
  if (!commit) throw new ReviewError(reviewMessages.unknownRef(base));
  return synthesizeAtRef(base, commit, options);
}

/**
 * `npm run synth` when the ref has one whose script file exists; otherwise the
 * cdktf app from the ref's cdktf.json (older commits predate the synth script).
 */
export function defaultSynthCommand(tree: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(tree, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    const script = pkg.scripts?.synth;
    const file = script ? /\b([\w./-]+\.[cm]?[jt]s)\b/.exec(script)?.[1] : undefined;
    if (script && (!file || existsSync(join(tree, file)))) return ["npm", "run", "--silent", "synth"];
    const app = (JSON.parse(readFileSync(join(tree, "cdktf.json"), "utf8")) as { app?: string }).app;
    if (app) return ["sh", "-c", app];
  } catch {
    // Fall through: the error from running npm names the problem better than a guess here.
  }
  return ["npm", "run", "--silent", "synth"];
}

function synthesizeAtRef(ref: string, commit: string, options: BaseOptions): BaseSynths {
  const root = git(options.cwd, ["rev-parse", "--show-toplevel"]);
  const temp = mkdtempSync(join(tmpdir(), "review-base-"));
  const tree = join(temp, "tree");
  try {
    git(root, ["worktree", "add", "--detach", "--force", tree, commit]);
    // The worktree has no node_modules (ignored by git): borrow ours rather than install.
    if (existsSync(join(root, "node_modules"))) symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir");
    // Stage configuration is ignored by git too; the base must be synthesized with the same settings.
    for (const entry of readdirSync(root)) {
      if (entry === ".env" || entry.startsWith(".env.")) cpSync(join(root, entry), join(tree, entry));
    }
    const [command, ...args] = options.synthCommand ?? defaultSynthCommand(tree);
    const run = spawnSync(command, args, {
      cwd: tree,
      encoding: "utf8",
      env: { ...process.env, STAGES: options.stages.join(","), STAGE: options.stages[0], CDKTF_OUTDIR: join(tree, "cdktf.out") },
      timeout: options.timeoutMs ?? 300_000,
    });
    if (run.error || run.status !== 0) {
      const detail = run.error ? run.error.message : `exit ${run.status}: ${(run.stderr || run.stdout || "").split("\n").slice(-8).join("\n")}`;
      throw new ReviewError(reviewMessages.baseSynthFailed(ref, detail));
    }
    const stacksDir = findStacksDir(tree);
    if (!stacksDir) throw new ReviewError(reviewMessages.baseSynthFailed(ref, "the synth wrote no cdktf.out/stacks"));
    return { label: `${ref} (${commit.slice(0, 7)})`, synths: readStacks(stacksDir, options.stacks, ref) };
  } finally {
    try {
      git(root, ["worktree", "remove", "--force", tree]);
    } catch {
      // Not registered (add failed): removing the folder below is enough; prune forgets any stale entry.
      spawnSync("git", ["worktree", "prune"], { cwd: root });
    }
    rmSync(temp, { recursive: true, force: true });
  }
}
