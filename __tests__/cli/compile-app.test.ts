import { statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { compileApp } from "../../src/cli/compile-app";
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
});
