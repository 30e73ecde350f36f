import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { removeOrphans, synthSummary } from "../../src/cli/synth";
import { defaultOut } from "../../src/cli/commands/synth";
import { cli, tempDir } from "./helpers";

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("synth", () => {
  test("--stage is honoured: only that stage's stack is synthesized, and the summary counts stacks", async () => {
    const out = join(tempDir(), "cdktf.out");
    const r = await cli(["synth", "--stage", "prod", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, "stacks"))).toEqual(["my-app-prod"]);
    expect(r.stdout).toMatch(/^Synthesized 1 stack\(s\) into .*cdktf\.out\/stacks \(JSON\)/);
    // Nothing is left beside the output.
    expect(readdirSync(join(out, ".."))).toEqual(["cdktf.out"]);
  });

  test("the synthesis (cdktf compiled in with its additions, run from the code cache) writes the bytes of cdktf's own (SYNTH_FULL=1)", async () => {
    const [ours, full] = [join(tempDir(), "ours"), join(tempDir(), "full")];
    for (const [out, env] of [[ours, {}], [full, { SYNTH_FULL: "1" }], [ours, {}]] as const) {
      const r = await cli(["synth", "--stage", "dev", "--stage", "prod", "--out", out], { env });
      expect(`${r.code} ${r.stderr}`).toBe("0 ");
    }
    const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length));
    expect(files(ours).sort()).toEqual(files(full).sort());
    expect(files(ours).length).toBeGreaterThan(10);
    for (const file of files(full)) expect(`${file} ${readFileSync(join(ours, file)).equals(readFileSync(join(full, file)))}`).toBe(`${file} true`);
  }, 60_000);

  test("the summary counts stacks, not lines (warnings print under their stack)", () => {
    const warning = { code: "SFN130", file: "workflows/x.asl.json.hbs", path: "States.A", message: "no TimeoutSeconds" };
    const text = synthSummary(
      [
        { name: "a", resources: 3, warnings: [warning, warning] },
        { name: "b", resources: 4, warnings: [] },
        { name: "c", resources: 5, warnings: [warning] },
      ],
      "cdktf.out",
      1.234,
    );
    expect(text.split("\n")[0]).toBe("Synthesized 3 stack(s) into cdktf.out/stacks (JSON) and cdktf.out/hcl (HCL) in 1.23 s:");
    expect(text.split("\n")).toHaveLength(7);
  });

  test("work folders of killed synths (their pid is gone) are removed; a running synth's folders stay", () => {
    const root = tempDir();
    const out = join(root, "cdktf.out");
    const dead = deadPid();
    const folders = {
      deadWork: `.cdktf.out.synth-${dead}-AbC123`,
      deadOld: `cdktf.out.old-${dead}`,
      liveWork: `.cdktf.out.synth-${process.pid}-XyZ789`,
      legacyStale: ".cdktf.out.synth-Qw3rTy",
      legacyFresh: ".cdktf.out.synth-As4dFg",
      unrelated: ".other.synth-1",
    };
    for (const name of Object.values(folders)) mkdirSync(join(root, name, "out"), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(root, folders.legacyStale), twoHoursAgo, twoHoursAgo);
    const removed = removeOrphans(out).map((p) => p.slice(root.length + 1)).sort();
    expect(removed).toEqual([folders.deadWork, folders.legacyStale, folders.deadOld].sort());
    expect(readdirSync(root).sort()).toEqual([folders.legacyFresh, folders.liveWork, folders.unrelated].sort());
  });

  test("a bad output folder is one line, exit 2, and nothing is created", async () => {
    const root = tempDir();
    const r = await cli(["synth", "--out", join(root, "nested", "deeper", "cdktf.out"), "--stage", "Bad!"]);
    expect(r.code).toBe(2);
    expect(existsSync(join(root, "nested"))).toBe(false);
  });
});

describe("synth's default output folder", () => {
  it("is cdktf.out in the repository of a clone", () => {
    expect(defaultOut("/home/me/shop", "/home/me/shop/workflows")).toBe("/home/me/shop/cdktf.out");
  });

  it("is cdktf.out in the working folder when the project is installed as a dependency, never inside node_modules", () => {
    expect(defaultOut("/home/me/app/node_modules/sfn-workflows", "/home/me/app")).toBe("/home/me/app/cdktf.out");
  });
});
