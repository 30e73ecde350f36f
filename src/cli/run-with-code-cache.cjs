/**
 * Runs a compiled synthesis app (src/cli/compile-app.ts) the way `node app.cjs`
 * would, with a V8 code cache beside it: the first run writes the code V8
 * compiled (the functions the synthesis ran included), later runs start from
 * it instead of parsing and compiling 2 MB of cdktf and provider classes
 * again (node 20 has no module.enableCompileCache; `npm run bench:synth`
 * measures the difference).
 *
 *   node src/cli/run-with-code-cache.cjs <app.cjs> [args...]
 *
 * The cache is named after the size and modification time of the file it was
 * compiled from, read through the same file descriptor as the source, so a
 * cache never meets another build of the app (V8 itself checks only the
 * source's length); compile-app removes the caches of a build it replaces.
 * A cache V8 rejects (another node version) is written anew. Written only
 * when the app succeeded, by rename, and never fatal: without it the app runs
 * as it would.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const file = path.resolve(process.argv[2]);
// The app sees itself as the script, as with `node app.cjs`.
process.argv.splice(1, 1);

const fd = fs.openSync(file, "r");
let source;
let cacheFile;
try {
  const stat = fs.fstatSync(fd);
  cacheFile = `${file}.${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`;
  source = fs.readFileSync(fd, "utf8");
} finally {
  fs.closeSync(fd);
}

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache yet: this run writes it.
}

const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData,
  ...(dynamicImport ? { importModuleDynamically: dynamicImport } : {}),
});

if (cachedData === undefined || script.cachedDataRejected) {
  process.once("exit", (code) => {
    if (code !== 0 || process.exitCode) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  });
}

const app = new Module(file, null);
app.filename = file;
app.paths = Module._nodeModulePaths(path.dirname(file));
require.cache[file] = app;
script.runInThisContext().call(app.exports, app.exports, Module.createRequire(file), app, file, path.dirname(file));
app.loaded = true;
