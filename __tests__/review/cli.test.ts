import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, cli } from "../cli/helpers";
import { defaultSynthCommand, loadBase } from "../../src/review/base";
import { FIXTURE_DIR, FIXTURE_SYNTH, fixtureJson, tempDir } from "./helpers";

/** A project folder without .env, so the stage defaults (my-app, dev) apply. */
function project(): { cwd: string; out: string } {
  const cwd = tempDir();
  return { cwd, out: join(cwd, "review-out") };
}

/** `sfn-workflows review <argv>` in this process; a failure rejects with its one-line message. */
async function run(cwd: string, argv: string[]): Promise<void> {
  const r = await cli(["review", ...argv], { cwd });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.trim()}`);
}

describe("npm run review", () => {
  test("writes review.md and review.html for the stage, nothing else left behind", async () => {
    const { cwd, out } = project();
    await run(cwd, ["--synth", FIXTURE_SYNTH, "--out", out]);
    expect(readdirSync(out)).toEqual(["dev"]);
    expect(readdirSync(join(out, "dev")).sort()).toEqual(["review.html", "review.md"]);
    expect(readFileSync(join(out, "dev", "review.md"), "utf8")).toMatch(/^# Infrastructure review: my-app-dev \(stage dev\)\n/);
    const html = readFileSync(join(out, "dev", "review.html"), "utf8");
    expect(html).toContain('<pre class="mermaid">flowchart TD');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  test("the default synthesis and output folders are cdktf.out and cdktf.out/review", async () => {
    const { cwd } = project();
    cpSync(FIXTURE_SYNTH, join(cwd, "cdktf.out"), { recursive: true });
    await run(cwd, []);
    expect(existsSync(join(cwd, "cdktf.out", "review", "dev", "review.md"))).toBe(true);
  });

  test("--base with a folder holding a cdktf.out, and --plan", async () => {
    const { cwd, out } = project();
    const base = join(cwd, "base");
    const json = fixtureJson() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete json.resource.aws_sns_topic;
    json.resource.aws_sqs_queue.order_processing_queue_0F1E2D.name = "old-name";
    mkdirSync(join(base, "cdktf.out", "stacks", "my-app-dev"), { recursive: true });
    writeFileSync(join(base, "cdktf.out", "stacks", "my-app-dev", "cdk.tf.json"), JSON.stringify(json));
    await run(cwd, ["--synth", FIXTURE_SYNTH, "--out", out, "--base", "base", "--plan", join(FIXTURE_DIR, "plans", "plan.json")]);
    const md = readFileSync(join(out, "dev", "review.md"), "utf8");
    expect(md).toContain("## Changes since the synthesis in base");
    expect(md).toContain("| replaced | `aws_sqs_queue.order_processing_queue_0F1E2D` | **replacement** (forced by `name`).");
    expect(md).toContain("## Terraform plan");
    // The examples ran on both sides: the base's definitions are the same here.
    expect(md).toContain("| `order-processing` | STANDARD | 3 state transitions → 3 state transitions | $0.075000 → $0.075000 | no change |");
  });
});

describe("bad input: a clear error, and nothing written", () => {
  const PREVIOUS = "previous review\n";

  /** Runs with an earlier review in place, which must survive the failure untouched. */
  async function failure(argv: (cwd: string) => string[]): Promise<string> {
    const { cwd, out } = project();
    mkdirSync(join(out, "dev"), { recursive: true });
    writeFileSync(join(out, "dev", "review.md"), PREVIOUS);
    let message = "";
    await run(cwd, [...argv(cwd), "--out", out]).then(
      () => {
        throw new Error("expected the review to fail");
      },
      (error: Error) => {
        message = error.message.replace(/^exit 2: /, "");
      },
    );
    expect(readdirSync(out)).toEqual(["dev"]);
    expect(readdirSync(join(out, "dev"))).toEqual(["review.md"]);
    expect(readFileSync(join(out, "dev", "review.md"), "utf8")).toBe(PREVIOUS);
    return message;
  }

  test("an unknown stage", async () => {
    expect(await failure(() => ["--synth", FIXTURE_SYNTH, "--stage", "prod"])).toBe(
      `No synthesized stack "my-app-prod" in ${join(FIXTURE_SYNTH, "stacks")}. Stacks found: my-app-dev. ` +
        "Fix: run `npm run synth` for this stage (STAGE=<stage> npm run synth) or pass a stage that exists with --stage.",
    );
  });

  test("a stage name that is not valid", async () => {
    expect(await failure(() => ["--synth", FIXTURE_SYNTH, "--stage", "Prod!"])).toContain('STAGE must start with a lower-case letter and use only a-z, 0-9 and \'-\', not ending in \'-\'. Received: "Prod!"');
  });

  test("no synthesis at all", async () => {
    expect(await failure((cwd) => ["--synth", join(cwd, "nothing")])).toMatch(/^No synthesized stack "my-app-dev" in .*nothing\/stacks\. No stacks found there\. Fix: run `npm run synth`/);
  });

  test("a base folder that holds no synthesis", async () => {
    const message = await failure((cwd) => {
      mkdirSync(join(cwd, "empty"));
      return ["--synth", FIXTURE_SYNTH, "--base", "empty"];
    });
    expect(message).toBe(
      "--base empty: this folder holds no synthesis (looked for empty/cdktf.out/stacks, empty/stacks). " +
        "Fix: pass a folder that contains a cdktf.out (or its stacks/ folder), or a git ref such as main or HEAD~1.",
    );
  });

  test("a git ref that does not exist", async () => {
    expect(await failure(() => ["--synth", FIXTURE_SYNTH, "--base", "no-such-branch-4f1c"])).toBe(
      "--base no-such-branch-4f1c: neither a folder nor a git ref that exists in this repository. " +
        "Fix: pass an existing folder holding a cdktf.out, or a branch, tag or commit (git fetch it first if it is remote).",
    );
  });

  test("a plan file that is not a Terraform JSON plan", async () => {
    const plan = join(FIXTURE_DIR, "plans", "state.json");
    expect(await failure(() => ["--synth", FIXTURE_SYNTH, "--plan", plan])).toBe(
      `--plan ${plan} is not a Terraform JSON plan: it has "values" but no "resource_changes": it looks like a state (terraform show -json without a plan file). ` +
        "Fix: create it with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`.",
    );
  });

  test("a plan for several stages at once", async () => {
    const message = await failure((cwd) => {
      cpSync(join(FIXTURE_SYNTH, "stacks", "my-app-dev"), join(cwd, "two", "stacks", "my-app-dev"), { recursive: true });
      cpSync(join(FIXTURE_SYNTH, "stacks", "my-app-dev"), join(cwd, "two", "stacks", "my-app-qa"), { recursive: true });
      return ["--synth", join(cwd, "two"), "--stage", "dev", "--stage", "qa", "--plan", join(FIXTURE_DIR, "plans", "plan.json")];
    });
    expect(message).toMatch(/^--plan belongs to one stage, but 2 stages are selected \(dev, qa\); pass --stage\. Run `sfn-workflows review --help`/);
  });

  test("several stages: one folder each", async () => {
    const { cwd, out } = project();
    cpSync(join(FIXTURE_SYNTH, "stacks", "my-app-dev"), join(cwd, "two", "stacks", "my-app-dev"), { recursive: true });
    cpSync(join(FIXTURE_SYNTH, "stacks", "my-app-dev"), join(cwd, "two", "stacks", "my-app-qa"), { recursive: true });
    await run(cwd, ["--synth", join(cwd, "two"), "--out", out, "--stage", "dev", "--stage", "qa"]);
    expect(readdirSync(out).sort()).toEqual(["dev", "qa"]);
    expect(readFileSync(join(out, "qa", "review.md"), "utf8")).toMatch(/^# Infrastructure review: my-app-qa \(stage qa\)/);
  });

  test.each([
    [["--stage"], "--stage needs a value. Fix: write --stage <stage>. Run `sfn-workflows review --help` for the usage.\n"],
    [["--out", "a", "--out", "b"], "--out is given twice. Fix: give it once. Run `sfn-workflows review --help` for the usage.\n"],
    [["--frobnicate"], /^Unknown option "--frobnicate"\. Known options: --stage, --base, .*\n$/],
  ])("arguments %j: one line, exit 2", async (argv, message) => {
    const r = await cli(["review", ...argv]);
    expect(r.code).toBe(2);
    if (typeof message === "string") expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  test("the installed command exits 2 and prints the message", () => {
    const r = bin(["review", "--synth", FIXTURE_SYNTH, "--stage", "prod", "--out", join(tempDir(), "o")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^No synthesized stack "my-app-prod" in .*\n$/);
    expect(r.stdout).toBe("");
  });
});

describe("--base <git ref>", () => {
  /** A throwaway repository whose "synth" writes the fixture stack for the stages it is given. */
  function repository(): string {
    const repo = tempDir("review-repo-");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    git("init", "-q");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    writeFileSync(join(repo, "stack.json"), JSON.stringify(fixtureJson()));
    writeFileSync(
      join(repo, "synth.js"),
      `const fs = require("fs");
for (const stage of process.env.STAGES.split(",")) {
  fs.mkdirSync("cdktf.out/stacks/my-app-" + stage, { recursive: true });
  fs.copyFileSync("stack.json", "cdktf.out/stacks/my-app-" + stage + "/cdk.tf.json");
}`,
    );
    git("add", ".");
    git("commit", "-q", "-m", "base");
    return repo;
  }

  test("synthesizes the ref in a temporary worktree and removes it afterwards", () => {
    const repo = repository();
    const base = loadBase("HEAD", { cwd: repo, stacks: ["my-app-dev"], stages: ["dev"], synthCommand: ["node", "synth.js"] });
    expect(base.label).toMatch(/^HEAD \([0-9a-f]{7}\)$/);
    expect([...base.synths.keys()]).toEqual(["my-app-dev"]);
    expect(base.synths.get("my-app-dev")?.blocks.has("aws_sqs_queue.order_processing_queue_0F1E2D")).toBe(true);
    const worktrees = execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: repo, encoding: "utf8" });
    expect(worktrees.match(/^worktree /gm)).toHaveLength(1);
  });

  test("a failing synth at the ref is reported and the worktree is still removed", () => {
    const repo = repository();
    expect(() => loadBase("HEAD", { cwd: repo, stacks: ["my-app-dev"], stages: ["dev"], synthCommand: ["node", "-e", "console.error('boom'); process.exit(3)"] })).toThrow(
      /^--base HEAD: synthesizing the base in a temporary git worktree failed: exit 3: boom/,
    );
    const worktrees = execFileSync("git", ["worktree", "list", "--porcelain"], { cwd: repo, encoding: "utf8" });
    expect(worktrees.match(/^worktree /gm)).toHaveLength(1);
  });

  test("a base without the stage's stack", () => {
    const repo = repository();
    expect(() => loadBase("HEAD", { cwd: repo, stacks: ["other-dev"], stages: ["dev"], synthCommand: ["node", "synth.js"] })).toThrow(
      '--base HEAD: the base synthesis has no stack "other-dev" (it has: my-app-dev). Fix: pass a base synthesized for the same stage.',
    );
  });
});

describe("the synth command used at a base ref", () => {
  test("npm run synth when its script file exists at the ref, else the cdktf app of the ref's cdktf.json", () => {
    const tree = tempDir();
    writeFileSync(join(tree, "package.json"), JSON.stringify({ scripts: { synth: "tsx src/cli/synth.ts" } }));
    writeFileSync(join(tree, "cdktf.json"), JSON.stringify({ app: "npx tsx main.ts" }));
    expect(defaultSynthCommand(tree)).toEqual(["sh", "-c", "npx tsx main.ts"]);
    mkdirSync(join(tree, "src", "cli"), { recursive: true });
    writeFileSync(join(tree, "src", "cli", "synth.ts"), "");
    expect(defaultSynthCommand(tree)).toEqual(["npm", "run", "--silent", "synth"]);
  });
});
