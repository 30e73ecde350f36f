/**
 * Compiles a TypeScript entry (main.ts, or a benchmark variant) into one CommonJS
 * file with esbuild, packages left external, so it runs on plain `node`: tsx's
 * loader hooks cost about a second per synthesis on their own (measured by
 * `npm run bench:synth`). No type checking here; `npm run typecheck` does that.
 */
import { dirname, join, relative } from "node:path";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "../config/handlers";

/**
 * Where compiled entries go (ignored by git with node_modules/): one folder per
 * checkout, since the code pins the checkout's own paths and two checkouts may
 * share one node_modules (a worktree with a linked node_modules).
 */
export const APP_BUILD_DIR = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "app", createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12));

/**
 * Bundling moves every module into one file, which would change what
 * `__dirname` means (src/config/handlers.ts finds the repository with it):
 * pin each project file's own folder instead.
 */
const keepDirname: Plugin = {
  name: "keep-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      // Only the project's own files: in an installed copy the project itself sits under a node_modules/.
      if (relative(REPO_ROOT, args.path).split(/[\\/]/)[0] === "node_modules") return undefined;
      const source = readFileSync(args.path, "utf8").replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents: source, loader: "ts" };
    });
  },
};

/** The project files a compiled entry was built from, with their sizes and modification times. */
type Inputs = Record<string, [size: number, mtimeMs: number]>;

function stamp(file: string): [number, number] | undefined {
  try {
    const st = statSync(file);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** The compiled file is current when every file it was built from is unchanged (a new import means an edited file). */
function current(outfile: string): boolean {
  let inputs: Inputs;
  try {
    inputs = JSON.parse(readFileSync(`${outfile}.inputs.json`, "utf8")) as Inputs;
  } catch {
    return false;
  }
  if (!stamp(outfile)) return false;
  return Object.entries(inputs).every(([file, [size, mtimeMs]]) => {
    const now = stamp(join(REPO_ROOT, file));
    return now !== undefined && now[0] === size && now[1] === mtimeMs;
  });
}

/**
 * Compiles `entry` (relative to the repository) and returns the .cjs file to
 * run. Skips esbuild when no file the last build read has changed
 * (SYNTH_NO_CACHE=1 always builds). Written by rename, so a synthesis running
 * beside this one never reads a half-written file.
 */
export async function compileApp(entry: string): Promise<string> {
  const outfile = join(APP_BUILD_DIR, relative(REPO_ROOT, join(REPO_ROOT, entry)).replace(/\.ts$/, ".cjs"));
  if (process.env.SYNTH_NO_CACHE !== "1" && current(outfile)) return outfile;
  mkdirSync(dirname(outfile), { recursive: true });
  // esbuild runs plugins only in its asynchronous API.
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    logLevel: "silent",
    plugins: [keepDirname],
    write: false,
    metafile: true,
  });
  const inputs: Inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const st = stamp(join(REPO_ROOT, file));
    if (st) inputs[file] = st;
  }
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, outfile);
  writeFileSync(`${tmp}.inputs`, JSON.stringify(inputs));
  renameSync(`${tmp}.inputs`, `${outfile}.inputs.json`);
  return outfile;
}
