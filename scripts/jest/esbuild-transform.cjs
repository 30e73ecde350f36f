// Jest transform on esbuild (already a dependency for the Lambda bundles).
// TypeScript 7 breaks ts-jest, and @swc/jest pulls platform binaries that
// this project's registry does not serve for every platform, which breaks `npm ci`.
// Types are checked separately by `npm run typecheck`.
const { transformSync } = require("esbuild");
const { createHash } = require("node:crypto");

// import() becomes require(), as ts-jest and @swc/jest do for CommonJS: jest runs CommonJS unless
// started with --experimental-vm-modules.
const OPTIONS = { format: "cjs", target: "node20", sourcemap: "inline", platform: "node", supported: { "dynamic-import": false } };

// The key covers this file too, so changing the options invalidates jest's cache.
const SELF = require("node:fs").readFileSync(__filename);

module.exports = {
  process(source, path) {
    const loader = path.endsWith(".tsx") ? "tsx" : path.endsWith(".ts") || path.endsWith(".mts") || path.endsWith(".cts") ? "ts" : "js";
    const { code } = transformSync(source, { ...OPTIONS, loader, sourcefile: path });
    return { code };
  },
  getCacheKey(source, path) {
    return createHash("sha256").update(source).update(path).update(require("esbuild/package.json").version).update(SELF).digest("hex");
  },
};
