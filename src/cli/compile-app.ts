/**
 * Compiles a TypeScript entry (main.ts, or a benchmark variant) into one CommonJS
 * file with esbuild, packages left external, so it runs on plain `node`: tsx's
 * loader hooks cost about a second per synthesis on their own (measured by
 * `npm run bench:synth`). No type checking here; `npm run typecheck` does that.
 */
import { dirname, join, relative } from "node:path";
import { mkdirSync, readFileSync } from "node:fs";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "../config/handlers";

/** Where compiled entries go (ignored by git with node_modules/). */
export const APP_BUILD_DIR = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "app");

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

/** Compiles `entry` (relative to the repository) and returns the .cjs file to run. */
export async function compileApp(entry: string): Promise<string> {
  const outfile = join(APP_BUILD_DIR, relative(REPO_ROOT, join(REPO_ROOT, entry)).replace(/\.ts$/, ".cjs"));
  mkdirSync(dirname(outfile), { recursive: true });
  // esbuild runs plugins only in its asynchronous API.
  await build({
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
  });
  return outfile;
}
