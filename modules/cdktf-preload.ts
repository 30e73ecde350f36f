/**
 * What has to happen before cdktf loads, for work it does that gives nothing
 * here (each measured with node --cpu-prof on the compiled app). Imported
 * first by modules/app.ts; the patches applied after loading (the preparation
 * pass, the merged-tree resolve) are in app.ts. SYNTH_FULL=1 (cdktf's own
 * synthesis, what `npm run bench:synth` compares with) leaves cdktf as it is;
 * a file that reads differently is left as it is. The output is byte-identical
 * to cdktf's own synthesis (__tests__/main/app.test.ts), and
 * __tests__/modules/cdktf-preload.test.ts checks that each piece is in place.
 *
 * 1. The zip library. cdktf loads `archiver` (and its streams) as soon as it
 *    is required, about 60 ms of a default-stage synthesis, but uses it only
 *    to zip a directory asset. Every asset here is a FILE (the handler zips
 *    are built by src/build): a stand-in in the require cache loads the real
 *    module on first use, so a team that adds a directory asset pays the load
 *    then and nothing else changes.
 *
 * 2. Two of cdktf's own files, compiled with one addition each when cdktf
 * requires them (its modules require each other in a cycle, so they load in
 * their turn), for work that gives nothing here (node --cpu-prof, 100
 * workflows x 3 stages):
 *
 * - tokens/private/resolve.js: cdktf resolves every value of every resource,
 *   and for each plain string first builds a resolution context (three
 *   closures) and runs three regular expressions, although a string with no
 *   token marker comes back unchanged: about a third of a large synthesis.
 *   Added at the top of its resolve function: a return for exactly those
 *   strings: no `{TfToken[` marker (string, list and map tokens all carry
 *   one), not one of the two map-token placeholder values (which cdktf
 *   rejects), and no encoded number (cdktf's own number test).
 * - synthesize/synthesizer.js: the stack's JSON is written with
 *   json-stable-stringify (a bound call, a replacer call, a cycle search and
 *   a repeated indent per value). Replaced by `stableJson` below (its own text is compiled in): the same
 *   output byte for byte (sorted keys, two-space indent, empty objects and
 *   arrays as `{\n}` with the indent, undefined members left out, toJSON
 *   honoured), for the resolved tree, which has no cycles.
 *
 * Everything else takes cdktf's path.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";

interface Patch {
  /** The text the file must contain exactly once, and what replaces it. */
  readonly find: string;
  readonly replace: string;
  /** Lines the replacement relies on. */
  readonly uses: readonly string[];
  /** Code added at the end of the file. @default none */
  readonly append?: () => string;
}

/**
 * json-stable-stringify(value, { space: 2 }) for data without cycles, byte for
 * byte. Self-contained: its text is compiled into cdktf's synthesizer.
 */
export function stableJson(node: unknown, level: number): string | undefined {
  if (node && typeof (node as { toJSON?: unknown }).toJSON === "function") node = (node as { toJSON(): unknown }).toJSON();
  if (node === undefined) return undefined;
  if (typeof node !== "object" || node === null) return JSON.stringify(node);
  const indent = "\n" + "  ".repeat(level);
  const inner = indent + "  ";
  let out = "";
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) out += (i === 0 ? "" : ",") + inner + (stableJson(node[i], level + 1) || "null");
    return "[" + out + indent + "]";
  }
  const keys = Object.keys(node).sort();
  let first = true;
  for (const key of keys) {
    const value = stableJson((node as Record<string, unknown>)[key], level + 1);
    if (!value) continue;
    out += (first ? "" : ",") + inner + JSON.stringify(key) + ": " + value;
    first = false;
  }
  return "{" + out + indent + "}";
}


const PATCHES: Readonly<Record<string, Patch>> = {
  "cdktf/lib/tokens/private/resolve.js": {
    find: "function resolve(obj, options) {\n",
    replace: `function resolve(obj, options) {
    if (typeof obj === "string" && obj.indexOf("{TfToken[") === -1 && obj !== token_1.Token.STRING_MAP_TOKEN_VALUE && obj !== token_1.Token.ANY_MAP_TOKEN_VALUE && !encoding_1.TokenString.forNumbers(obj).test()) {
        return obj;
    }
`,
    uses: ['const encoding_1 = require("./encoding");', 'const token_1 = require("../token");'],
  },
  "cdktf/lib/synthesize/synthesizer.js": {
    find: "stringify(jsonTfConfig, { space: 2 })",
    replace: "stableJson(jsonTfConfig, 0)",
    uses: [],
    // A named function expression: its own recursive calls keep working whatever a bundler renamed it to.
    append: () => `\nconst stableJson = ${stableJson.toString()};\n`,
  },
};

/** Compiles the files of PATCHES with their additions when cdktf requires them. */
function patchOnLoad(): void {
  try {
    type Loader = (module: Module & { _compile(code: string, filename: string): void }, filename: string) => void;
    const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
    const load = extensions[".js"];
    const pending = new Map<string, Patch>();
    for (const [id, patch] of Object.entries(PATCHES)) {
      const file = require.resolve(id);
      if (!require.cache[file]) pending.set(file, patch);
    }
    if (pending.size > 0) {
      extensions[".js"] = (module, filename) => {
        const patch = pending.get(filename);
        if (!patch) return load(module, filename);
        pending.delete(filename);
        if (pending.size === 0) extensions[".js"] = load;
        const source = readFileSync(filename, "utf8");
        if (source.split(patch.find).length !== 2 || !patch.uses.every((line) => source.includes(line))) return load(module, filename);
        module._compile(source.replace(patch.find, patch.replace) + (patch.append?.() ?? ""), filename);
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
    type Fn = (...args: unknown[]) => unknown;
    const load = (): Fn & Record<string, Fn> => {
      delete require.cache[id];
      return require(id) as Fn & Record<string, Fn>;
    };
    // archiver's other exports load it as well.
    const method = (name: string): Fn => (...args) => load()[name](...args);
    const stub = new Module(id);
    stub.filename = id;
    stub.loaded = true;
    stub.exports = Object.assign((...args: unknown[]) => load()(...args), {
      create: method("create"),
      registerFormat: method("registerFormat"),
      isRegisteredFormat: method("isRegisteredFormat"),
    });
    require.cache[id] = stub;
  } catch {
    // cdktf's layout changed: it loads archiver as before.
  }
}

if (process.env.SYNTH_FULL !== "1") {
  deferArchiver();
  patchOnLoad();
}
