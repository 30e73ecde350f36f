/**
 * Compiles a TypeScript entry (main.ts, or a benchmark variant) into one CommonJS
 * file with esbuild, so it runs on plain `node`: tsx's loader hooks cost about
 * a second per synthesis on their own (measured by `npm run bench:synth`).
 * cdktf, the provider classes and constructs are compiled in, with the
 * additions of src/build/cdktf-compile.ts; every other package is required at
 * run time from node_modules. No type checking here; `npm run typecheck` does that.
 */
import { basename, dirname, join, relative } from "node:path";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "../config/handlers";
import { applyCdktfPatch, CDKTF_PATCHES } from "../build/cdktf-compile";

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

/**
 * The packages compiled into the app. A synthesis otherwise resolves, reads
 * and compiles 418 files of them one by one (373 of cdktf's own): loading them
 * took 125 ms of a 290 ms default-stage synthesis, and 66 ms as one file
 * (node, measured on this app's imports).
 */
const COMPILED_IN = ["cdktf", "@cdktf/provider-aws", "constructs"];
const INSIDE_COMPILED_IN = /[\\/]node_modules[\\/](?:cdktf|@cdktf[\\/]provider-aws|constructs)[\\/]/;

const packageOf = (spec: string) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

/**
 * Compiles COMPILED_IN (and the dependencies cdktf ships inside itself) into
 * the app, with cdktf's two files as src/build/cdktf-compile.ts amends them,
 * and its zip library as the stand-in that loads the real one on first use.
 * modules/cdktf-preload.ts is told (SFN_CDKTF_COMPILED_IN) that it has nothing left to do.
 */
const cdktfCompiledIn: Plugin = {
  name: "cdktf-compiled-in",
  setup(build) {
    const fromRoot = createRequire(join(REPO_ROOT, "package.json"));
    const patches = new Map(Object.entries(CDKTF_PATCHES).map(([id, patch]) => [fromRoot.resolve(id), patch]));
    const archiverStandIns = new Set<string>();
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === "entry-point" || isBuiltin(args.path)) return undefined;
      if (INSIDE_COMPILED_IN.test(args.importer)) {
        if (args.path !== "archiver") return undefined;
        const real = createRequire(args.importer).resolve("archiver");
        archiverStandIns.add(real);
        return { path: real, namespace: "archiver-stand-in" };
      }
      return COMPILED_IN.includes(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
    // The stand-in requires the real module at run time, by its path.
    build.onResolve({ filter: /./, namespace: "archiver-stand-in" }, (args) =>
      archiverStandIns.has(args.path) ? { path: args.path, external: true } : undefined,
    );
    build.onLoad({ filter: /./, namespace: "archiver-stand-in" }, (args) => ({
      contents: `const { deferredArchiver } = require(${JSON.stringify(join(REPO_ROOT, "src/build/cdktf-compile.ts"))});\nmodule.exports = deferredArchiver(() => require(${JSON.stringify(args.path)}));\n`,
      resolveDir: REPO_ROOT,
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/].*\.js$/ }, (args) => {
      const patch = patches.get(args.path);
      if (!patch) return undefined;
      const patched = applyCdktfPatch(readFileSync(args.path, "utf8"), patch);
      return patched === undefined ? undefined : { contents: patched, loader: "js" };
    });
  },
};

/** Runs a compiled app with a V8 code cache beside it (`node <runner> <app.cjs>`); see the file. */
export const CODE_CACHE_RUNNER = join(REPO_ROOT, "src", "cli", "run-with-code-cache.cjs");

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

export interface CompileOptions {
  /**
   * cdktf as it is: every package required at run time from node_modules and
   * nothing amended, as the synthesis ran before (SYNTH_FULL=1 runs this
   * build; `npm run bench:synth` compares with it).
   */
  readonly cdktfAsIs?: boolean;
}

/**
 * Compiles `entry` (relative to the repository) and returns the .cjs file to
 * run. Skips esbuild when no file the last build read has changed
 * (SYNTH_NO_CACHE=1 always builds). Written by rename, so a synthesis running
 * beside this one never reads a half-written file.
 */
export async function compileApp(entry: string, options: CompileOptions = {}): Promise<string> {
  const suffix = options.cdktfAsIs ? ".as-is.cjs" : ".cjs";
  const outfile = join(APP_BUILD_DIR, relative(REPO_ROOT, join(REPO_ROOT, entry)).replace(/\.ts$/, suffix));
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
    logLevel: "silent",
    write: false,
    metafile: true,
    ...(options.cdktfAsIs
      ? { packages: "external", plugins: [keepDirname] }
      : { plugins: [keepDirname, cdktfCompiledIn], define: { "process.env.SFN_CDKTF_COMPILED_IN": JSON.stringify("1") } }),
  });
  const inputs: Inputs = {};
  // This file too: how the app is compiled is part of what it is.
  for (const file of [...Object.keys(result.metafile.inputs), join("src", "cli", "compile-app.ts")]) {
    const st = stamp(join(REPO_ROOT, file));
    if (st) inputs[file] = st;
  }
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, outfile);
  // The code caches of the build this one replaces (each is named after its build: never wrong, only unused).
  for (const name of readdirSync(dirname(outfile))) {
    if (name.startsWith(`${basename(outfile)}.`) && name.endsWith(".v8cache")) rmSync(join(dirname(outfile), name), { force: true });
  }
  writeFileSync(`${tmp}.inputs`, JSON.stringify(inputs));
  renameSync(`${tmp}.inputs`, `${outfile}.inputs.json`);
  return outfile;
}
