import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { loadStageConfigs } from "../../src/config/stage";
import { REPO_ROOT } from "../../src/config/handlers";
import { addStages, synthApp, synthStages } from "../../modules/app";
import { writeHclCopies } from "../../src/hcl/folder";

const temp = (label: string) => mkdtempSync(join(tmpdir(), `main-${label}-`));
const envDir = temp("env");

/** Every file under `dir`, relative, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

describe("two stages side by side (STAGES)", () => {
  test("one stack per stage, with per-stage names, state files and tags", () => {
    writeFileSync(join(envDir, ".env.prod"), "LOG_LEVEL=WARN\nLAMBDA_RESERVED_CONCURRENCY=50\n");
    const configs = loadStageConfigs({ cwd: envDir, env: { STAGES: "dev,prod" } });
    const app = Testing.app();
    const stacks = addStages(app, configs);
    expect(stacks.map((s) => s.node.id)).toEqual(["my-app-dev", "my-app-prod"]);
    const [dev, prod] = stacks.map((s) => JSON.parse(Testing.synth(s)));
    expect(dev.terraform.backend.local.path).toBe("../../../terraform.my-app-dev.tfstate");
    expect(prod.terraform.backend.local.path).toBe("../../../terraform.my-app-prod.tfstate");
    const names = (tf: any) => Object.values(tf.resource.aws_sfn_state_machine).map((m: any) => m.name);
    expect(names(prod).every((n: string) => n.startsWith("my-app-prod-"))).toBe(true);
    expect(names(dev).every((n: string) => n.startsWith("my-app-dev-"))).toBe(true);
    expect(prod.provider.aws[0].default_tags[0].tags.stage).toBe("prod");
    const fn = Object.values(prod.resource.aws_lambda_function)[0] as any;
    expect(fn.environment.variables.LOG_LEVEL).toBe("WARN");
    expect(fn.reserved_concurrent_executions).toBe(50);
  });
});

let first: Map<string, Buffer>;
let second: Map<string, Buffer>;
let configsForFull: ReturnType<typeof loadStageConfigs>;

describe("determinism and portability", () => {
  beforeAll(() => {
    const configs = loadStageConfigs({ cwd: envDir, env: { STAGES: "dev,prod" } });
    const a = temp("a");
    const b = temp("b");
    synthStages(configs, { outdir: a, bootstrap: true });
    synthStages(configs, { outdir: b, bootstrap: true });
    writeHclCopies(a);
    writeHclCopies(b);
    first = tree(a);
    second = tree(b);
    configsForFull = configs;
  });

  test("skipping cdktf's preparation pass gives the bytes of a normal cdktf synthesis", () => {
    const full = temp("full");
    synthStages(configsForFull, { outdir: full, bootstrap: true, full: true });
    const normal = tree(full);
    const fast = new Map([...first].filter(([file]) => !file.startsWith("hcl")));
    expect([...normal.keys()].sort()).toEqual([...fast.keys()].sort());
    for (const [file, bytes] of normal) expect(`${file} ${bytes.equals(fast.get(file)!)}`).toBe(`${file} true`);
  });

  test("a reference from one stack into another is noticed and synthesized the normal way (remote state)", () => {
    const build = (app: Parameters<Parameters<typeof synthApp>[0]>[0]) => {
      const a = new TerraformStack(app, "a");
      new AwsProvider(a, "aws", { region: "us-east-1" });
      const queue = new SqsQueue(a, "q", { name: "q" });
      const b = new TerraformStack(app, "b");
      new AwsProvider(b, "aws", { region: "us-east-1" });
      new TerraformOutput(b, "arn", { value: queue.arn });
    };
    const fast = temp("cross-fast");
    const full = temp("cross-full");
    synthApp(build, { outdir: fast });
    synthApp(build, { outdir: full, full: true });
    const stackB = (dir: string) => readFileSync(join(dir, "stacks", "b", "cdk.tf.json"), "utf8");
    expect(stackB(full)).toContain("terraform_remote_state");
    expect(stackB(fast)).toBe(stackB(full));
    expect(readFileSync(join(fast, "stacks", "a", "cdk.tf.json"), "utf8")).toBe(readFileSync(join(full, "stacks", "a", "cdk.tf.json"), "utf8"));
  });

  test("resolving the merged tree once gives cdktf's bytes: escapes, literal ${...}, undefined values, and a stack override holding a token", () => {
    const build = (app: Parameters<Parameters<typeof synthApp>[0]>[0]) => {
      const a = new TerraformStack(app, "a");
      new AwsProvider(a, "aws", { region: "us-east-1" });
      const queue = new SqsQueue(a, "q", { name: "q", tags: { text: "$${HOME} %%{if} ${HOME} %{endif}", ref: `arn is ${"${"}aws_sqs_queue.q.arn}`, none: undefined as unknown as string } });
      new TerraformOutput(a, "arn", { value: `queue ${queue.arn} and $\{literal}` });
      const b = new TerraformStack(app, "b");
      new AwsProvider(b, "aws", { region: "us-east-1" });
      const other = new SqsQueue(b, "q", { name: "q-b" });
      b.addOverride("locals.queue_arn", other.arn);
    };
    const fast = temp("once-fast");
    const full = temp("once-full");
    synthApp(build, { outdir: fast });
    synthApp(build, { outdir: full, full: true });
    for (const stack of ["a", "b"]) {
      const read = (dir: string) => readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect(read(fast)).toBe(read(full));
    }
    expect(readFileSync(join(fast, "stacks", "b", "cdk.tf.json"), "utf8")).toContain("${aws_sqs_queue.q.arn}");
  });

  test("synthesizing twice gives identical bytes, archives included", () => {
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    for (const [file, bytes] of first) expect(`${file} ${bytes.equals(second.get(file)!)}`).toBe(`${file} true`);
    expect([...first.keys()].filter((f) => f.endsWith(".zip")).length).toBeGreaterThan(10);
  });

  test("no absolute paths or machine-specific folders in the output", () => {
    for (const [file, bytes] of first) {
      if (file.endsWith(".zip")) continue;
      const text = bytes.toString("utf8");
      expect(`${file}: ${text.includes(REPO_ROOT)}`).toBe(`${file}: false`);
      expect(`${file}: ${text.includes(tmpdir())}`).toBe(`${file}: false`);
    }
  });

  test("HCL lives in its own folder, never beside the JSON", () => {
    const files = [...first.keys()];
    expect(files).toContain(join("stacks", "my-app-dev", "cdk.tf.json"));
    expect(files).toContain(join("hcl", "my-app-dev", "cdk.tf"));
    expect(files.filter((f) => f.startsWith("stacks") && f.endsWith("cdk.tf"))).toEqual([]);
    expect(first.get(join("hcl", "my-app-dev", "cdk.tf"))!.toString()).toMatch(/^terraform \{/);
    // The Lambda archives sit beside the HCL too, at the same relative paths.
    const assets = (root: string) => files.filter((f) => f.startsWith(root) && f.endsWith(".zip")).map((f) => f.slice(root.length)).sort();
    expect(assets(join("hcl", "my-app-dev") + "/")).toEqual(assets(join("stacks", "my-app-dev") + "/"));
    expect(assets(join("hcl", "my-app-dev") + "/").length).toBeGreaterThan(10);
  });
});

describe("npm run synth", () => {
  const run = (out: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(REPO_ROOT, "bin/sfn-workflows.mjs"), "synth", "--out", out], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, STAGES: "", STAGE: "" },
      encoding: "utf8",
    });

  test("an invalid configuration prints one clear message, exits 2 and leaves the previous output untouched", () => {
    const out = join(temp("fail"), "cdktf.out");
    mkdirSync(out);
    writeFileSync(join(out, "previous.txt"), "kept");
    const result = run(out, { REGION: "mars-1" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('REGION must be an AWS region, one of the 48 listed in src/config/regions.ts (closest: "ca-west-1"). Received: "mars-1"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual(["previous.txt"]);
    expect(readdirSync(join(out, "..")).filter((f) => f.startsWith(".cdktf.out"))).toEqual([]);
  });

  test("writes JSON under stacks/ and HCL under hcl/, and summarizes", () => {
    const out = join(temp("ok"), "cdktf.out");
    // SYNTH_NO_CACHE: the child bundles every handler afresh, so the byte comparison below covers esbuild and the zip too.
    const result = run(out, { SYNTH_NO_CACHE: "1" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/my-app-dev: \d+ resources, \d+ lint warning\(s\)/);
    expect(existsSync(join(out, "stacks", "my-app-dev", "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(out, "hcl", "my-app-dev", "cdk.tf"))).toBe(true);
    expect(existsSync(join(out, "stacks", "my-app-dev", "cdk.tf"))).toBe(false);
    // A separate process (fresh bundles) gives the same bytes as the in-process synth above.
    const again = tree(join(out, "stacks", "my-app-dev"));
    expect(again.size).toBeGreaterThan(10);
    for (const [file, bytes] of again) expect(`${file} ${bytes.equals(first.get(join("stacks", "my-app-dev", file)) ?? Buffer.alloc(0))}`).toBe(`${file} true`);
  });
});
