/** modules/cdktf-preload.ts: what happens before cdktf loads is in place, and cdktf is left as it is under SYNTH_FULL=1. */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { stableJson } from "../../modules/cdktf-preload";
import { REPO_ROOT } from "../../src/config/handlers";

describe("the deferred archiver", () => {
  const probe = (env: Record<string, string>) => {
    const script = `
      require("./modules/cdktf-preload");
      require("cdktf");
      const real = () => Object.keys(require.cache).some((k) => /[\\\\/]archiver[\\\\/]lib[\\\\/]/.test(k));
      const before = real();
      const { createRequire } = require("node:module");
      const archiver = createRequire(require.resolve("cdktf"))("archiver");
      const zip = archiver("zip", { zlib: { level: 9 } });
      console.log(JSON.stringify({ before, after: real(), works: typeof zip.append === "function" && typeof zip.finalize === "function" }));`;
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout) as { before: boolean; after: boolean; works: boolean };
  };

  it("is not loaded with cdktf, and loads on first use with its real behaviour", () => {
    expect(probe({ SYNTH_FULL: "" })).toEqual({ before: false, after: true, works: true });
  });

  it("is loaded eagerly, as cdktf does, under SYNTH_FULL=1", () => {
    expect(probe({ SYNTH_FULL: "1" })).toEqual({ before: true, after: true, works: true });
  });
});

describe("cdktf's resolve and stack writer with their additions", () => {
  const patched = (env: Record<string, string>) => {
    const script = `
      require("./modules/cdktf-preload");
      require("cdktf");
      const { resolve } = require("cdktf/lib/tokens/private/resolve.js");
      const { StackSynthesizer } = require("cdktf/lib/synthesize/synthesizer.js");
      const both = [resolve.toString().includes('indexOf("{TfToken[")'), StackSynthesizer.prototype.synthesize.toString().includes("stableJson(jsonTfConfig, 0)")];
      process.stdout.write(both.join(","));`;
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
    if (child.status !== 0) throw new Error(child.stderr);
    return child.stdout;
  };

  it("is in place for the synthesis, so a cdktf that reads differently would be noticed here", () => {
    expect(patched({ SYNTH_FULL: "" })).toBe("true,true");
  });

  it("is left out under SYNTH_FULL=1 (cdktf as it is)", () => {
    expect(patched({ SYNTH_FULL: "1" })).toBe("false,false");
  });
});

describe("stableJson", () => {
  // cdktf's own copy, the one its synthesizer requires.
  const reference = createRequire(require.resolve("cdktf"))("json-stable-stringify") as (value: unknown, options: { space: number }) => string;

  const random = (depth: number, seed: { n: number }): unknown => {
    const r = () => ((seed.n = (seed.n * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = r();
    if (depth > 4 || pick < 0.3) {
      const leaves = [null, true, false, 0, -0, 1.5, 1e21, -2e-7, "", "s", "${aws_x.y.arn}", "\u2028 \"q\" \\", undefined, () => 1, NaN, Infinity];
      return leaves[Math.floor(r() * leaves.length)];
    }
    if (pick < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => random(depth + 1, seed));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(r() * 5); i > 0; i--) o[["b", "a", "//", "Z", "é", "10", "2", "__proto__x"][Math.floor(r() * 8)] + (r() < 0.5 ? "" : String(i))] = random(depth + 1, seed);
    if (r() < 0.1) return { toJSON: () => o };
    return o;
  };

  it("writes json-stable-stringify's bytes (space 2) for 2,000 random trees: empty containers, undefined, functions, toJSON, key order", () => {
    const seed = { n: 42 };
    for (let i = 0; i < 2000; i++) {
      const tree = random(0, seed);
      expect(stableJson(tree, 0)).toBe(reference(tree, { space: 2 }));
    }
  });
});
