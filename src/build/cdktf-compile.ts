/**
 * Work cdktf does that gives nothing to this project, and what takes its
 * place: the text additions to two of cdktf's files and a stand-in for its zip
 * library. Pure text and functions, free of cdktf, so that both places that
 * apply them share one definition:
 *   - src/cli/compile-app.ts compiles them into the synthesis app, with cdktf
 *     itself bundled in (what `npm run synth` runs);
 *   - modules/cdktf-preload.ts applies them when cdktf loads from node_modules
 *     (`cdktf synth`/`deploy` through tsx, tests).
 * Each was measured with node --cpu-prof on the synthesis; the output is
 * byte-identical to cdktf's own (__tests__/main/app.test.ts,
 * __tests__/modules/cdktf-preload.test.ts).
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
 *   a repeated indent per value). Replaced by `stableJson` below (its own text
 *   is compiled in): the same output byte for byte (sorted keys, two-space
 *   indent, empty objects and arrays as `{\n}` with the indent, undefined
 *   members left out, toJSON honoured), for the resolved tree, which has no cycles.
 * - archiver: cdktf loads it (and its streams) as soon as it is required,
 *   about 60 ms of a default-stage synthesis, but uses it only to zip a
 *   directory asset. Every asset here is a FILE (the handler zips are built by
 *   src/build): the stand-in loads the real module on first use, so a team
 *   that adds a directory asset pays the load then and nothing else changes.
 */

export interface CdktfPatch {
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

/** The additions, by the file's id as cdktf's package exports it. */
export const CDKTF_PATCHES: Readonly<Record<string, CdktfPatch>> = {
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

/** `source` with `patch` applied, or undefined when the file reads differently (a cdktf that changed is left as it is). */
export function applyCdktfPatch(source: string, patch: CdktfPatch): string | undefined {
  if (source.split(patch.find).length !== 2 || !patch.uses.every((line) => source.includes(line))) return undefined;
  return source.replace(patch.find, patch.replace) + (patch.append?.() ?? "");
}

type Fn = (...args: unknown[]) => unknown;

/** What cdktf gets for `require("archiver")`: the same calls, the real module loaded by `load` on first use. */
export function deferredArchiver(load: () => Fn & Record<string, Fn>): Fn & Record<"create" | "registerFormat" | "isRegisteredFormat", Fn> {
  let real: (Fn & Record<string, Fn>) | undefined;
  const get = () => (real ??= load());
  // archiver's other exports load it as well.
  const method = (name: string): Fn => (...args) => get()[name](...args);
  return Object.assign((...args: unknown[]) => get()(...args), {
    create: method("create"),
    registerFormat: method("registerFormat"),
    isRegisteredFormat: method("isRegisteredFormat"),
  });
}
