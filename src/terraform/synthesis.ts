/** The Terraform check's synthesis: the variants (default, dev+prod, bootstrap) synthesized in a clean copy of the repository, one entry per distinct stack. */
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { STAGE_VARIABLES } from "../../workflows/stage-variables";
import { REPO, failure, run } from "./tools";

interface Variant {
  name: string;
  what: string;
  env: Record<string, string>;
  files?: Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { name: "default", what: "default stage", env: {} },
  {
    name: "stages",
    what: "STAGES=dev,prod, prod on the S3 backend (.env.prod: STATE_BACKEND=s3 STATE_BUCKET=my-app-tf-state)",
    env: { STAGES: "dev,prod" },
    files: { ".env.prod": "STATE_BACKEND=s3\nSTATE_BUCKET=my-app-tf-state\n" },
  },
  { name: "bootstrap", what: "BOOTSTRAP=1", env: { BOOTSTRAP: "1" } },
];

/** Configuration variables the synthesis reads: not inherited from the caller's shell, so every run checks the same stacks. */
const CONFIG_KEYS = /^(ROLLOUT_[A-Z0-9_]+|RESOURCE_[A-Z0-9_]+|PROJECT_NAME|STAGE|STAGES|REGION|OWNER|LOG_LEVEL|LOG_RETENTION_DAYS|SFN_LOG_EXECUTION_DATA|LAMBDA_RESERVED_CONCURRENCY|ALARM_EMAIL|STATE_[A-Z_]+|BOOTSTRAP|CDKTF_OUTDIR|SYNTH_[A-Z_]+)$/;

export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The team's own stage variables too (workflows/stage-variables.ts).
  const team = new Set(STAGE_VARIABLES.map((v) => v.name));
  for (const [k, v] of Object.entries(process.env)) if (!CONFIG_KEYS.test(k) && !team.has(k)) env[k] = v;
  return { ...env, ...extra };
}

/** A copy of the repository without git, node_modules, outputs or .env files (node_modules is linked). */
export function copyRepo(target: string): void {
  const skip = new Set([".git", "node_modules", "cdktf.out", "coverage"]);
  cpSync(REPO, target, {
    recursive: true,
    filter: (src) => {
      if (src === REPO) return true;
      const name = basename(src);
      if (src.startsWith(join(REPO, "/")) && src.slice(REPO.length + 1).split("/").length === 1) {
        if (skip.has(name) || name.startsWith(".cdktf.out") || name.startsWith(".env")) return false;
      }
      return !(name.endsWith(".tfstate") || name === ".terraform");
    },
  });
  symlinkSync(realpathSync(join(REPO, "node_modules")), join(target, "node_modules"));
}

export interface Stack {
  /** e.g. default/my-app-dev */
  id: string;
  name: string;
  variant: string;
  json: string;
  hcl: string;
  /** Other variants that synthesized the very same stack (checked once). */
  sameAs: string[];
}

export async function synthesize(work: string): Promise<Stack[]> {
  const stacks: Stack[] = [];
  const seen = new Map<string, Stack>();
  for (const variant of VARIANTS) {
    const repo = join(work, `repo-${variant.name}`);
    copyRepo(repo);
    for (const [file, text] of Object.entries(variant.files ?? {})) writeFileSync(join(repo, file), text);
    const out = join(work, `synth-${variant.name}`);
    // One at a time: the synthesis compiles the app into node_modules/.cache, shared by the copies.
    const r = await run(process.execPath, [join(repo, "bin", "sfn-workflows.mjs"), "synth", "--out", out], repo, cleanEnv(variant.env), 300_000);
    if (r.code !== 0) throw failure(`synthesis (${variant.what})`, "npm run synth", r, 300_000);
    console.log(`synth ${variant.name} (${variant.what}): ${r.seconds.toFixed(1)} s`);
    for (const name of readdirSync(join(out, "stacks")).sort()) {
      const json = join(out, "stacks", name);
      const hcl = join(out, "hcl", name);
      const hash = createHash("sha256").update(folderDigest(json)).update(existsSync(hcl) ? folderDigest(hcl) : "").digest("hex");
      const twin = seen.get(hash);
      if (twin) {
        twin.sameAs.push(`${variant.name}/${name}`);
        continue;
      }
      const stack: Stack = { id: `${variant.name}/${name}`, name, variant: variant.name, json, hcl, sameAs: [] };
      seen.set(hash, stack);
      stacks.push(stack);
    }
  }
  return stacks;
}

/** The Terraform files of a folder (not the bundled assets, which follow the code). */
function folderDigest(dir: string): string {
  return readdirSync(dir)
    .filter((f) => /\.tf(\.json)?$/.test(f))
    .sort()
    .map((f) => `${f}\n${readFileSync(join(dir, f), "utf8")}`)
    .join("\n");
}

/** The aws provider version constraint a synthesized JSON stack declares. */
export function requiredAws(dir: string): string {
  const doc = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { terraform?: { required_providers?: { aws?: { version?: string } } } };
  return doc.terraform?.required_providers?.aws?.version ?? "(no constraint)";
}

// ---------- one Terraform working copy ----------
