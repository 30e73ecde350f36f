import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { CODE_CACHE_RUNNER, compileApp } from "../../src/cli/compile-app";
import { REPO_ROOT } from "../../src/config/handlers";

describe("compileApp", () => {
  it("reuses the compiled app while no file it was built from changes, and rebuilds when one does", async () => {
    const first = await compileApp("main.ts");
    const builtAt = statSync(first).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect(await compileApp("main.ts")).toBe(first);
    expect(statSync(first).mtimeMs).toBe(builtAt);

    const input = join(REPO_ROOT, "modules", "cdktf-preload.ts");
    const now = new Date();
    utimesSync(input, now, now);
    await compileApp("main.ts");
    expect(statSync(first).mtimeMs).toBeGreaterThan(builtAt);
  }, 60_000);

  it("keeps one folder per checkout, so checkouts sharing node_modules do not overwrite each other", async () => {
    const out = await compileApp("main.ts");
    expect(out.startsWith(join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "app"))).toBe(true);
    expect(out).toMatch(/app\/[0-9a-f]{12}\/main\.cjs$/);
  });

  it("compiles cdktf in with its additions and the archiver stand-in; the as-is build requires cdktf from node_modules unchanged", async () => {
    const ours = readFileSync(await compileApp("main.ts"), "utf8");
    const asIs = readFileSync(await compileApp("main.ts", { cdktfAsIs: true }), "utf8");
    expect(ours).not.toMatch(/require\("(cdktf|constructs|@cdktf\/provider-aws)[/"]/);
    expect(ours).toContain("stableJson(jsonTfConfig, 0)");
    expect(ours).toContain('obj.indexOf("{TfToken[") === -1');
    expect(ours).toMatch(/deferredArchiver\d*\(\(\) => require\(".*[/\\]archiver[/\\]index\.js"\)\)/);
    expect(asIs).toMatch(/require\("cdktf"\)/);
    // cdktf's own code (its stack writer) is not in it: node loads cdktf, and modules/cdktf-preload.ts is off under SYNTH_FULL=1.
    expect(asIs).not.toContain("exports2.StackSynthesizer = StackSynthesizer");
    expect(ours).toContain("exports2.StackSynthesizer = StackSynthesizer");
  }, 60_000);

  it("a rebuild removes the code caches of the build it replaces", async () => {
    const out = await compileApp("main.ts");
    const stale = `${out}.1-1.v8cache`;
    writeFileSync(stale, "old");
    utimesSync(join(REPO_ROOT, "main.ts"), new Date(), new Date());
    await compileApp("main.ts");
    expect(existsSync(stale)).toBe(false);
  }, 60_000);
});

describe("the code cache runner", () => {
  const run = (file: string, ...args: string[]) => spawnSync(process.execPath, [CODE_CACHE_RUNNER, file, ...args], { encoding: "utf8" });
  const caches = (file: string) => readdirSync(dirname(file)).filter((n) => n.startsWith(`${basename(file)}.`) && n.endsWith(".v8cache"));

  it("runs the app as node would (argv, require, module), writes the cache after a success, and reads it the next time", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-cache-"));
    const app = join(dir, "app.cjs");
    writeFileSync(join(dir, "dep.cjs"), "module.exports = 41;");
    writeFileSync(app, "console.log(JSON.stringify([process.argv.slice(1), require('./dep.cjs') + 1, module.filename, __dirname, require.cache[__filename] === module]));");
    const expected = JSON.stringify([[app, "x"], 42, app, dir, true]);
    const first = run(app, "x");
    expect(`${first.status} ${first.stderr}${first.stdout.trim()}`).toBe(`0 ${expected}`);
    expect(caches(app)).toHaveLength(1);
    const second = run(app, "x");
    expect(second.stdout.trim()).toBe(expected);
    expect(caches(app)).toHaveLength(1);
  });

  it("writes no cache for an app that failed, and a changed app gets its own", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-cache-"));
    const app = join(dir, "app.cjs");
    writeFileSync(app, "process.exitCode = 1;");
    expect(run(app).status).toBe(1);
    expect(caches(app)).toEqual([]);
    writeFileSync(app, "throw new Error('boom');");
    const thrown = run(app);
    expect(thrown.status).toBe(1);
    expect(thrown.stderr).toContain("boom");
    expect(caches(app)).toEqual([]);
    writeFileSync(app, "1;");
    utimesSync(app, new Date(1_000_000), new Date(1_000_000));
    expect(run(app).status).toBe(0);
    writeFileSync(app, "2;");
    utimesSync(app, new Date(2_000_000), new Date(2_000_000));
    expect(run(app).status).toBe(0);
    expect(caches(app)).toHaveLength(2);
  });
});
