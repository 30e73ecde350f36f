/**
 * What has to happen before cdktf loads when it loads from node_modules
 * (`cdktf synth`/`deploy` through tsx, tests): the additions and the zip
 * library stand-in of src/build/cdktf-compile.ts (what each is for, and how it
 * was measured, is there), applied as cdktf requires its files. Imported first
 * by modules/app.ts; the patches applied after loading (the preparation pass,
 * the merged-tree resolve) are in app.ts. `npm run synth` compiles the same
 * additions into its app, cdktf bundled in (src/cli/compile-app.ts), and this
 * file then has nothing left to do. SYNTH_FULL=1 (cdktf's own synthesis, what
 * `npm run bench:synth` compares with) leaves cdktf as it is; a file that
 * reads differently is left as it is.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { applyCdktfPatch, CDKTF_PATCHES, deferredArchiver, type CdktfPatch } from "../src/build/cdktf-compile";

export { stableJson } from "../src/build/cdktf-compile";

/** Compiles the files of CDKTF_PATCHES with their additions when cdktf requires them. */
function patchOnLoad(): void {
  try {
    type Loader = (module: Module & { _compile(code: string, filename: string): void }, filename: string) => void;
    const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
    const load = extensions[".js"];
    const pending = new Map<string, CdktfPatch>();
    for (const [id, patch] of Object.entries(CDKTF_PATCHES)) {
      const file = require.resolve(id);
      if (!require.cache[file]) pending.set(file, patch);
    }
    if (pending.size > 0) {
      extensions[".js"] = (module, filename) => {
        const patch = pending.get(filename);
        if (!patch) return load(module, filename);
        pending.delete(filename);
        if (pending.size === 0) extensions[".js"] = load;
        const patched = applyCdktfPatch(readFileSync(filename, "utf8"), patch);
        if (patched === undefined) return load(module, filename);
        module._compile(patched, filename);
      };
    }
  } catch {
    // cdktf's layout changed: it loads its own files as before.
  }
}

/** Puts a stand-in for cdktf's copy of archiver in the require cache: the real module loads on first use. */
function deferArchiver(): void {
  try {
    // cdktf ships its own copy (a bundled dependency): resolve it as cdktf's files do.
    const id = createRequire(require.resolve("cdktf")).resolve("archiver");
    if (require.cache[id]) return;
    const stub = new Module(id);
    stub.filename = id;
    stub.loaded = true;
    stub.exports = deferredArchiver(() => {
      delete require.cache[id];
      return require(id) as ReturnType<Parameters<typeof deferredArchiver>[0]>;
    });
    require.cache[id] = stub;
  } catch {
    // cdktf's layout changed: it loads archiver as before.
  }
}

// SFN_CDKTF_COMPILED_IN is "1" in the compiled synthesis app (set at compile time), where all of this is already done.
if (process.env.SYNTH_FULL !== "1" && process.env.SFN_CDKTF_COMPILED_IN !== "1") {
  deferArchiver();
  patchOnLoad();
}
