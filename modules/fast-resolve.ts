/**
 * cdktf resolves every value of every resource to find its tokens, and for
 * each plain string it first builds a resolution context (three closures) and
 * runs three regular expressions, although a string with no token marker
 * comes back unchanged: about a third of a large synthesis goes to strings
 * (node --cpu-prof, 100 workflows x 3 stages). This adds, at the top of
 * cdktf's own resolve function (tokens/private/resolve.js, compiled from its
 * text when cdktf requires it), a return for exactly those strings: no
 * `{TfToken[` marker (string, list and map tokens all carry one), not one of
 * the two map-token placeholder values (which cdktf rejects), and no encoded
 * number (cdktf's own number test). Everything else takes cdktf's path. The
 * output is byte-identical to cdktf's own synthesis (__tests__/main/app.test.ts).
 * Imported first by modules/app.ts, before cdktf. SYNTH_FULL=1 (what
 * `npm run bench:synth` compares with) leaves cdktf as it is; if the file
 * ever reads differently, nothing is patched.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";

const ANCHOR = "function resolve(obj, options) {\n";
const FAST_PATH = `    if (typeof obj === "string" && obj.indexOf("{TfToken[") === -1 && obj !== token_1.Token.STRING_MAP_TOKEN_VALUE && obj !== token_1.Token.ANY_MAP_TOKEN_VALUE && !encoding_1.TokenString.forNumbers(obj).test()) {
        return obj;
    }
`;

if (process.env.SYNTH_FULL !== "1") {
  try {
    const file = require.resolve("cdktf/lib/tokens/private/resolve.js");
    type Loader = (module: Module & { _compile(code: string, filename: string): void }, filename: string) => void;
    const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
    const load = extensions[".js"];
    if (!require.cache[file]) {
      // Compiled in its turn, when cdktf requires it (cdktf's modules require each other in a cycle).
      extensions[".js"] = (module, filename) => {
        if (filename !== file) return load(module, filename);
        extensions[".js"] = load;
        const source = readFileSync(filename, "utf8");
        const uses = ['const encoding_1 = require("./encoding");', 'const token_1 = require("../token");'];
        if (source.split(ANCHOR).length !== 2 || !uses.every((line) => source.includes(line))) return load(module, filename);
        module._compile(source.replace(ANCHOR, ANCHOR + FAST_PATH), filename);
      };
    }
  } catch {
    // cdktf's layout changed: it loads its own resolve as before.
  }
}
export {};
