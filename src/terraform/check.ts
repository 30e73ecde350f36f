/**
 * `npm run terraform:check [-- --binary tofu] [--no-apply] [--keep]`
 *
 * Terraform is the judge of what the synthesis writes. This script synthesizes,
 * in a temporary copy of the repository (the embedded defaults, no .env files):
 *   default    the default stage;
 *   stages     STAGES=dev,prod with prod on the S3 backend (a `.env.prod` in the copy),
 *              which adds the state-bootstrap stack;
 *   bootstrap  BOOTSTRAP=1 (the bootstrap stack beside the local-state stage);
 * and, for every distinct stack, for its JSON folder (stacks/<stack>) and its HCL
 * folder (hcl/<stack>): `fmt -check` (HCL), `init` from the local provider mirror,
 * `validate`, `plan -out` and `show -json` against a moto server that it starts
 * and stops itself. The JSON and HCL plans must plan the same resource changes.
 * Then `apply` and `destroy` of the default stage against moto (not with --no-apply),
 * minus the resource types moto cannot serve (MOTO_CANNOT_SERVE, the one list).
 *
 * Checks run on copies: the provider version constraint is overridden to the
 * mirror's version (the stack pins the version its bindings were generated for),
 * the backend is replaced by a local one, and the provider points at moto.
 * Nothing in the repository is changed.
 *
 * Where the binary, the provider mirror or moto is missing, it says exactly what
 * is missing and skips, or fails when CI=true or REQUIRE_TERRAFORM=1.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, delimiter, join, resolve } from "node:path";
import { STAGE_VARIABLES } from "../../workflows/stage-variables";

const REPO = resolve(__dirname, "..", "..");

/**
 * Resource types that moto cannot serve, removed from the apply/destroy copy only
 * (never from the product, and still validated and planned). One line each: why.
 */
export const MOTO_CANNOT_SERVE: Readonly<Record<string, string>> = {
  aws_sqs_queue_redrive_allow_policy:
    "moto drops the queue's RedriveAllowPolicy attribute, so the provider waits forever for it to appear after SetQueueAttributes",
};

/**
 * Stand-ins for API actions moto does not implement, patched into the moto
 * server the check starts (the test's moto, not the product). Without them the
 * provider retries the 500 for minutes on every state machine. One line each: why.
 */
export const MOTO_PATCHES: ReadonlyArray<{ service: string; action: string; python: string; why: string }> = [
  {
    service: "stepfunctions",
    action: "validate_state_machine_definition",
    python: `json.dumps({"result": "OK", "diagnostics": [], "truncated": False})`,
    why: "the provider validates every known definition through ValidateStateMachineDefinition, which moto does not implement (the lint has already validated it)",
  },
  {
    service: "stepfunctions",
    action: "list_state_machine_versions",
    // moto keeps the versions that publish = true creates (StateMachine.versions) but has no ListStateMachineVersions.
    python:
      `json.dumps({"stateMachineVersions": [{"stateMachineVersionArn": v.arn, "creationDate": v.creation_date.timestamp() if hasattr(v.creation_date, "timestamp") else 0} ` +
      `for v in sorted(self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn")).versions.values(), key=lambda v: -int(v.arn.rsplit(":", 1)[1]))]})`,
    why: "the provider lists the versions after CreateStateMachine (state_machine_version_arn, which the stage alias routes to); moto keeps them but does not implement ListStateMachineVersions, so the check's moto answers from its own versions",
  },
];

/** The moto server, with MOTO_PATCHES applied, as a python3 -c program. */
function motoProgram(): string {
  const classes: Record<string, string> = { stepfunctions: "moto.stepfunctions.responses:StepFunctionResponse" };
  const lines = ["import json, sys, importlib"];
  for (const p of MOTO_PATCHES) {
    const [module, cls] = classes[p.service].split(":");
    lines.push(`setattr(getattr(importlib.import_module(${JSON.stringify(module)}), ${JSON.stringify(cls)}), ${JSON.stringify(p.action)}, lambda self: ${p.python})`);
  }
  lines.push("from moto.server import main", "main(sys.argv[1:])");
  return lines.join("\n");
}

/** Provider endpoint name for each service prefix of the resource and data source types the stacks use. */
const SERVICE_ENDPOINTS: ReadonlyArray<readonly [prefix: string, endpoint: string]> = [
  ["aws_cloudwatch_log_", "logs"],
  ["aws_cloudwatch_event_", "events"],
  ["aws_cloudwatch_", "cloudwatch"],
  ["aws_iam_", "iam"],
  ["aws_kms_", "kms"],
  ["aws_lambda_", "lambda"],
  ["aws_sfn_", "sfn"],
  ["aws_sns_", "sns"],
  ["aws_sqs_", "sqs"],
  ["aws_s3_", "s3"],
  ["aws_caller_identity", "sts"],
  ["aws_apigatewayv2_", "apigatewayv2"],
  ["aws_scheduler_", "scheduler"],
  ["aws_dynamodb_", "dynamodb"],
  ["aws_secretsmanager_", "secretsmanager"],
];
/** Types that call no AWS API (computed by the provider itself). */
const LOCAL_ONLY = new Set(["aws_iam_policy_document", "aws_partition", "aws_region"]);

const OVERRIDE_FILE = "terraform_check_override.tf.json";
const TIMEOUT_MS = { init: 120_000, validate: 180_000, plan: 300_000, show: 120_000, fmt: 60_000, apply: 900_000, destroy: 900_000, state: 60_000 };

// ---------- arguments and preflight ----------

export interface Options {
  binary: string;
  apply: boolean;
  keep: boolean;
  /** --json-only: skip the HCL copies (for debugging; CI never passes it). */
  jsonOnly: boolean;
  mirror: string;
  concurrency: number;
}

export function parseArgs(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    binary: value("--binary") ?? process.env.TERRAFORM_BINARY ?? "terraform",
    apply: !argv.includes("--no-apply"),
    keep: argv.includes("--keep"),
    jsonOnly: argv.includes("--json-only"),
    mirror: process.env.TF_PROVIDER_MIRROR ?? "/opt/tf-plugins",
    concurrency: Number(value("--concurrency") ?? 2),
  };
}

function which(binary: string): string | undefined {
  if (binary.includes("/")) return existsSync(binary) ? resolve(binary) : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The aws provider versions in the mirror (unpacked layout), newest first. */
export function mirrorVersions(mirror: string): string[] {
  const dir = join(mirror, "registry.terraform.io", "hashicorp", "aws");
  if (!existsSync(dir)) return [];
  const cmp = (a: string, b: string) => {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pb[i] ?? 0) - (pa[i] ?? 0);
    return 0;
  };
  return readdirSync(dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(dir, v, "linux_amd64")))
    .sort(cmp);
}

export function preflight(options: Options): { binary: string; version: string; providerVersion: string } | { missing: string[] } {
  const missing: string[] = [];
  const binary = which(options.binary);
  let version = "";
  if (!binary) {
    missing.push(`${options.binary}: not found on PATH (Terraform: /usr/local/bin/terraform; OpenTofu: bash scripts/build-opentofu.sh)`);
  } else {
    const run = spawnSync(binary, ["version"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } });
    version = (run.stdout ?? "").split("\n")[0] ?? "";
    if (run.status !== 0) missing.push(`${binary}: \`${options.binary} version\` failed: ${(run.stderr || run.stdout || "").trim()}`);
  }
  const versions = mirrorVersions(options.mirror);
  if (versions.length === 0) {
    missing.push(
      `provider mirror: no hashicorp/aws provider under ${join(options.mirror, "registry.terraform.io", "hashicorp", "aws", "<version>", "linux_amd64")} (set TF_PROVIDER_MIRROR to another filesystem mirror)`,
    );
  }
  const moto = spawnSync("python3", ["-c", "import moto.server, flask"], { encoding: "utf8" });
  if (moto.error || moto.status !== 0) missing.push(`moto server: \`python3 -c "import moto.server"\` failed (python3 -m pip install "moto[server]")`);
  if (missing.length > 0 || !binary) return { missing };
  return { binary, version, providerVersion: versions[0] };
}

// ---------- processes ----------

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  timedOut: boolean;
}

export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, seconds: (performance.now() - started) / 1000, timedOut });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: `${stderr}${error.message}`, seconds: (performance.now() - started) / 1000, timedOut });
    });
  });
}

export class CheckFailure extends Error {}

export function failure(where: string, step: string, r: RunResult, limitMs?: number): CheckFailure {
  const why = r.timedOut ? `timed out after ${(limitMs ?? 0) / 1000} s` : `exited ${r.code}`;
  const stdoutTail = r.stdout.trim().split("\n").slice(-40).join("\n");
  return new CheckFailure(
    `${where}: \`${step}\` ${why}.\n--- stderr ---\n${r.stderr.trim() || "(empty)"}\n--- stdout (last 40 lines) ---\n${stdoutTail || "(empty)"}`,
  );
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface Moto {
  url: string;
  stop(): void;
  reset(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("python3", ["-c", motoProgram(), "-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  process.on("exit", stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) {
    stop();
    throw new Error(`moto server did not answer on ${url} within 60 s: ${stderr.trim()}`);
  }
  return {
    url,
    stop,
    reset: async () => {
      await fetch(`${url}/moto-api/reset`, { method: "POST" });
    },
  };
}

// ---------- synthesis ----------

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

interface Stack {
  /** e.g. default/my-app-dev */
  id: string;
  name: string;
  variant: string;
  json: string;
  hcl: string;
  /** Other variants that synthesized the very same stack (checked once). */
  sameAs: string[];
}

async function synthesize(work: string): Promise<Stack[]> {
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
function requiredAws(dir: string): string {
  const doc = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { terraform?: { required_providers?: { aws?: { version?: string } } } };
  return doc.terraform?.required_providers?.aws?.version ?? "(no constraint)";
}

// ---------- one Terraform working copy ----------

type Flavor = "json" | "hcl";

export interface Plan {
  seconds: Record<string, number>;
  changes: Map<string, ResourceChange>;
}

export interface ResourceChange {
  address: string;
  actions: string[];
  after: unknown;
  afterUnknown: unknown;
}

export interface Context {
  binary: string;
  tool: string;
  providerVersion: string;
  env: NodeJS.ProcessEnv;
  moto: Moto;
  work: string;
}

/** Types (resources and data sources) declared in a folder: from .tf.json by structure, from .tf by pattern. */
function declaredTypes(dir: string): Set<string> {
  const types = new Set<string>();
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".tf.json")) {
      const doc = JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, Record<string, unknown> | undefined>;
      for (const t of Object.keys(doc.resource ?? {})) types.add(t);
      for (const t of Object.keys(doc.data ?? {})) types.add(t);
    } else if (f.endsWith(".tf")) {
      for (const m of readFileSync(join(dir, f), "utf8").matchAll(/^\s*(?:resource|data)\s+"([a-z0-9_]+)"/gm)) types.add(m[1]);
    }
  }
  return types;
}

export function endpointsFor(where: string, dir: string, motoUrl: string): Record<string, string> {
  const endpoints: Record<string, string> = { sts: motoUrl };
  for (const type of declaredTypes(dir)) {
    if (LOCAL_ONLY.has(type)) continue;
    const hit = SERVICE_ENDPOINTS.find(([prefix]) => type.startsWith(prefix));
    if (!hit) {
      throw new CheckFailure(
        `${where}: no moto endpoint is known for "${type}". Add its service to SERVICE_ENDPOINTS in src/terraform/check.ts (or LOCAL_ONLY if it calls no AWS API).`,
      );
    }
    endpoints[hit[1]] = motoUrl;
  }
  return endpoints;
}

/** The override: the mirror's provider version, a local backend, and the provider pointed at moto. */
/** `typesFrom`: the folder whose resource types need endpoints (a root that calls a module: the module's folder). */
export function writeOverride(dir: string, ctx: Context, where: string, typesFrom = dir): void {
  const override = {
    terraform: {
      required_providers: { aws: { source: "hashicorp/aws", version: ctx.providerVersion } },
      backend: { local: { path: join(dir, "terraform.tfstate") } },
    },
    provider: {
      aws: {
        access_key: "testing",
        secret_key: "testing",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        s3_use_path_style: true,
        endpoints: [endpointsFor(where, typesFrom, ctx.moto.url)],
      },
    },
  };
  writeFileSync(join(dir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
}

async function step(ctx: Context, where: string, dir: string, args: string[], timeoutMs: number, seconds: Record<string, number>, label = args[0]): Promise<RunResult> {
  const r = await run(ctx.binary, args, dir, ctx.env, timeoutMs);
  seconds[label] = (seconds[label] ?? 0) + r.seconds;
  if (r.code !== 0) throw failure(where, `${ctx.tool} ${args.join(" ")}`, r, timeoutMs);
  return r;
}

async function prepare(ctx: Context, where: string, source: string, dir: string, flavor: Flavor, seconds: Record<string, number>): Promise<void> {
  cpSync(source, dir, { recursive: true });
  if (flavor === "hcl") {
    if (!readdirSync(dir).some((f) => f.endsWith(".tf"))) throw new CheckFailure(`${where}: no .tf file in ${source}`);
    // Before the override file exists (fmt reads only .tf files anyway).
    await step(ctx, where, dir, ["fmt", "-check", "-diff", "-no-color"], TIMEOUT_MS.fmt, seconds);
  }
  writeOverride(dir, ctx, where);
  await step(ctx, where, dir, ["init", "-input=false", "-no-color"], TIMEOUT_MS.init, seconds);
}

async function planFolder(ctx: Context, stack: Stack, flavor: Flavor): Promise<Plan> {
  const where = `${stack.id} (${flavor === "json" ? "JSON" : "HCL"}, ${flavor === "json" ? "stacks" : "hcl"}/${stack.name})`;
  const dir = join(ctx.work, "tf", `${stack.variant}-${stack.name}-${flavor}`);
  const seconds: Record<string, number> = {};
  await prepare(ctx, where, flavor === "json" ? stack.json : stack.hcl, dir, flavor, seconds);
  await step(ctx, where, dir, ["validate", "-no-color"], TIMEOUT_MS.validate, seconds);
  await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=check.tfplan"], TIMEOUT_MS.plan, seconds);
  const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", "check.tfplan"], TIMEOUT_MS.show, seconds);
  return { seconds, changes: resourceChanges(shown.stdout) };
}

export function resourceChanges(planJson: string): Map<string, ResourceChange> {
  const plan = JSON.parse(planJson) as {
    resource_changes?: Array<{ address: string; change: { actions: string[]; after: unknown; after_unknown: unknown } }>;
  };
  const changes = new Map<string, ResourceChange>();
  for (const rc of plan.resource_changes ?? []) {
    changes.set(rc.address, { address: rc.address, actions: rc.change.actions, after: rc.change.after, afterUnknown: rc.change.after_unknown });
  }
  return changes;
}

// ---------- comparing the JSON and HCL plans ----------

/** Readable differences between two plans' resource changes (empty when equal). Nothing is normalised. */
export function comparePlans(json: Map<string, ResourceChange>, hcl: Map<string, ResourceChange>, limit = 40): string[] {
  const lines: string[] = [];
  for (const address of json.keys()) if (!hcl.has(address)) lines.push(`  only in the JSON plan: ${address}`);
  for (const address of hcl.keys()) if (!json.has(address)) lines.push(`  only in the HCL plan:  ${address}`);
  for (const [address, a] of json) {
    const b = hcl.get(address);
    if (!b) continue;
    if (a.actions.join(",") !== b.actions.join(",")) lines.push(`  ${address}: actions JSON [${a.actions}] vs HCL [${b.actions}]`);
    for (const [label, x, y] of [["after", a.after, b.after], ["after_unknown", a.afterUnknown, b.afterUnknown]] as const) {
      for (const d of diffValues(x, y, "")) lines.push(`  ${address} ${label}${d}`);
    }
  }
  if (lines.length > limit) return [...lines.slice(0, limit), `  ... and ${lines.length - limit} more difference(s)`];
  return lines;
}

function diffValues(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => diffValues(v, b[i], `${path}[${i}]`));
  const show = (v: unknown) => {
    const text = v === undefined ? "(absent)" : JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 200)}...` : text;
  };
  return [`${path || ""}:\n      JSON: ${show(a)}\n      HCL:  ${show(b)}`];
}

// ---------- apply and destroy against moto ----------

/** Removes the resource types moto cannot serve from a JSON stack copy; returns what was removed. */
export function withoutUnservable(doc: Record<string, unknown>): { doc: Record<string, unknown>; removed: string[] } {
  const resources = { ...((doc.resource ?? {}) as Record<string, Record<string, unknown>>) };
  const removed: string[] = [];
  for (const type of Object.keys(MOTO_CANNOT_SERVE)) {
    for (const name of Object.keys(resources[type] ?? {})) removed.push(`${type}.${name}`);
    delete resources[type];
  }
  const text = JSON.stringify({ ...doc, resource: resources });
  const still = removed.filter((address) => text.includes(`${address}.`) || text.includes(`"${address}"`));
  if (still.length > 0) {
    throw new CheckFailure(`apply copy: ${still.join(", ")} is referenced by other blocks; removing it from the moto copy would not leave a valid configuration.`);
  }
  return { doc: { ...doc, resource: resources }, removed };
}

function count(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

interface ApplyResult {
  /** Per rollout weight: the addresses a plan against the applied stage would change. */
  rollout: RolloutStep[];
  planned: number;
  created: number;
  inState: number;
  destroyed: number;
  left: number;
  removed: string[];
  seconds: Record<string, number>;
}

async function applyAndDestroy(ctx: Context, stack: Stack): Promise<ApplyResult> {
  const where = `${stack.id} (JSON, apply/destroy against moto)`;
  const dir = join(ctx.work, "tf", `${stack.variant}-${stack.name}-apply`);
  const seconds: Record<string, number> = {};
  cpSync(stack.json, dir, { recursive: true });
  const file = join(dir, "cdk.tf.json");
  const { doc, removed } = withoutUnservable(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  writeOverride(dir, ctx, where);
  await step(ctx, where, dir, ["init", "-input=false", "-no-color"], TIMEOUT_MS.init, seconds);
  let planned = 0;
  let applied: RunResult | undefined;
  // moto's threaded server can answer a create with a server error after storing the resource under load;
  // the provider's retry then gets EntityAlreadyExists. Such a run is moto's, not the stack's: start once
  // more from an empty moto and an empty state, and say so. A second failure fails the check.
  for (let attempt = 1; applied === undefined; attempt++) {
    await ctx.moto.reset();
    rmSync(join(dir, "terraform.tfstate"), { force: true });
    rmSync(join(dir, "terraform.tfstate.backup"), { force: true });
    await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-out=apply.tfplan"], TIMEOUT_MS.plan, seconds);
    const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", "apply.tfplan"], TIMEOUT_MS.show, seconds);
    planned = [...resourceChanges(shown.stdout).values()].filter((c) => c.actions.includes("create")).length;
    try {
      applied = await step(ctx, where, dir, ["apply", "-input=false", "-no-color", "-parallelism=4", "apply.tfplan"], TIMEOUT_MS.apply, seconds);
    } catch (error) {
      if (attempt > 1 || !(error instanceof CheckFailure) || !/already exists|AlreadyExists/.test(error.message)) throw error;
      console.log(`  apply attempt 1 failed on a duplicate create against moto (${/Error: ([^\n]*)/.exec(error.message)?.[1] ?? "already exists"}); starting again from an empty moto and state`);
    }
  }
  const created = count(applied.stdout, /Resources: (\d+) added/) ?? -1;
  const inState = (await step(ctx, where, dir, ["state", "list"], TIMEOUT_MS.state, seconds, "state")).stdout.trim().split("\n").filter((l) => l && !l.startsWith("data.")).length;
  const rollout = await rolloutPlans(ctx, stack, dir, seconds);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const destroyedRun = await step(ctx, where, dir, ["destroy", "-auto-approve", "-input=false", "-no-color"], TIMEOUT_MS.destroy, seconds);
  const destroyed = count(destroyedRun.stdout, /Resources: (\d+) destroyed/) ?? -1;
  const left = (await step(ctx, where, dir, ["state", "list"], TIMEOUT_MS.state, seconds, "state")).stdout.trim().split("\n").filter((l) => l && !l.startsWith("data.")).length;
  return { rollout, planned, created, inState, destroyed, left, removed, seconds };
}

/** The workflow whose gradual rollout is planned against the applied stage. */
const ROLLOUT_WORKFLOW = { variable: "ROLLOUT_ORDER_PROCESSING", alias: "aws_sfn_alias.order_processing" };
/** 100% is the stage without a rollout: the baseline the other steps are compared with. */
export const ROLLOUT_WEIGHTS = [100, 10, 50] as const;

export interface RolloutStep {
  weight: number;
  /** Addresses whose planned change (actions, planned values) differs from the plan at 100%. */
  differs: string[];
  /** How many resources the plan at this weight would change at all (moto drift included). */
  changes: number;
}

/**
 * A gradual rollout is one change of the alias's routing: with the default
 * stage applied, synthesize it again at each weight (previous version 1, the
 * one the apply published), plan against the applied state, and compare each
 * plan with the plan at 100% (no rollout). moto does not hand back every
 * attribute as AWS would, so a plan against it shows drift; comparing plans
 * against the same state cancels that out, and whatever differs is what the
 * rollout changes.
 */
async function rolloutPlans(ctx: Context, stack: Stack, dir: string, seconds: Record<string, number>): Promise<RolloutStep[]> {
  const repo = join(ctx.work, `repo-${stack.variant}`);
  const plans = new Map<number, Map<string, ResourceChange>>();
  for (const weight of ROLLOUT_WEIGHTS) {
    const where = `${stack.id} (JSON, rollout at ${weight}% planned against the applied stage)`;
    const synthDir = join(ctx.work, `synth-rollout-${weight}`);
    const env = cleanEnv({ [ROLLOUT_WORKFLOW.variable]: `previous=1,weight=${weight}` });
    const r = await run(process.execPath, [join(repo, "bin", "sfn-workflows.mjs"), "synth", "--out", synthDir], repo, env, 300_000);
    if (r.code !== 0) throw failure(`synthesis (${ROLLOUT_WORKFLOW.variable}=previous=1,weight=${weight})`, "npm run synth", r, 300_000);
    const json = JSON.parse(readFileSync(join(synthDir, "stacks", stack.name, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(withoutUnservable(json).doc, null, 2));
    await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-refresh=false", `-out=rollout-${weight}.tfplan`], TIMEOUT_MS.plan, seconds, `rollout ${weight}% plan`);
    const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", `rollout-${weight}.tfplan`], TIMEOUT_MS.show, seconds, `rollout ${weight}% show`);
    plans.set(weight, resourceChanges(shown.stdout));
  }
  return rolloutSteps(plans);
}

/** Each weight's plan compared with the plan at 100%. */
export function rolloutSteps(plans: ReadonlyMap<number, ReadonlyMap<string, { actions: string[]; after: unknown }>>): RolloutStep[] {
  const base = plans.get(100) ?? new Map();
  const changing = (m: ReadonlyMap<string, { actions: string[] }>) => [...m.values()].filter((c) => !c.actions.every((a) => a === "no-op" || a === "read")).length;
  return [...plans.entries()].map(([weight, plan]) => {
    const addresses = new Set([...plan.keys(), ...base.keys()]);
    const differs = [...addresses]
      .filter((a) => JSON.stringify({ x: plan.get(a)?.actions, y: plan.get(a)?.after }) !== JSON.stringify({ x: base.get(a)?.actions, y: base.get(a)?.after }))
      .sort();
    return { weight, differs, changes: changing(plan) };
  });
}

/** What each rollout step must change relative to 100%: the alias alone. */
export function rolloutProblems(steps: readonly RolloutStep[]): string[] {
  return steps.flatMap(({ weight, differs }) => {
    const expected = weight === 100 ? [] : [ROLLOUT_WORKFLOW.alias];
    return JSON.stringify(differs) === JSON.stringify(expected)
      ? []
      : [`rollout at ${weight}%: expected the plan to differ from 100% in ${expected.length ? expected.join(", ") : "nothing"}; it differs in ${differs.length ? differs.join(", ") : "nothing"}`];
  });
}

// ---------- main ----------

function times(seconds: Record<string, number>): string {
  return Object.entries(seconds)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(", ");
}

async function pool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, size) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}

/** A CLI configuration (returned: its path) that installs the aws provider from the mirror, under both registry hostnames. */
export function providerMirror(work: string, mirrorRoot: string, providerVersion: string): string {
  // The mirror under both registry hostnames: OpenTofu resolves "hashicorp/aws" to registry.opentofu.org.
  const mirror = join(work, "mirror");
  // Terraform does not follow a symlinked provider folder, only a symlinked platform folder (it links those itself).
  const source = join(mirrorRoot, "registry.terraform.io", "hashicorp", "aws", providerVersion);
  for (const host of ["registry.terraform.io", "registry.opentofu.org"]) {
    const target = join(mirror, host, "hashicorp", "aws", providerVersion);
    mkdirSync(target, { recursive: true });
    for (const platform of readdirSync(source)) symlinkSync(join(source, platform), join(target, platform));
  }
  const providers = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"].map((p) => JSON.stringify(p)).join(", ");
  const cliConfig = join(work, "cli.tfrc");
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = [${providers}]\n  }\n  direct {\n    exclude = [${providers}]\n  }\n}\n`,
  );
  return cliConfig;
}

/** The environment Terraform runs with: the mirror's CLI configuration, no prompts, no telemetry, fake credentials. */
export function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  // The mirror is unpacked: without a plugin cache, init links .terraform/providers to it (no 700 MB copy per stack).
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.TF_DATA_DIR;
  delete env.TF_CLI_ARGS;
  return env;
}

export async function main(): Promise<number> {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  const required = process.env.CI === "true" || process.env.REQUIRE_TERRAFORM === "1";
  const found = preflight(options);
  if ("missing" in found) {
    const what = found.missing.map((m) => `  - ${m}`).join("\n");
    if (required) {
      console.error(`terraform:check cannot run (CI=true or REQUIRE_TERRAFORM=1 makes this a failure). Missing:\n${what}`);
      return 1;
    }
    console.log(`terraform:check skipped (set REQUIRE_TERRAFORM=1 to make this a failure). Missing:\n${what}`);
    return 0;
  }
  const tool = basename(options.binary);
  console.log(`${found.version} (${found.binary}); provider hashicorp/aws ${found.providerVersion} from the mirror ${options.mirror}`);

  const work = mkdtempSync(join(tmpdir(), "terraform-check-"));
  const cliConfig = providerMirror(work, options.mirror, found.providerVersion);
  let moto: Moto | undefined;
  try {
    moto = await startMoto();
    const env = terraformEnv(cliConfig);
    const ctx: Context = { binary: found.binary, tool, providerVersion: found.providerVersion, env, moto, work };
    mkdirSync(join(work, "tf"));

    const stacks = await synthesize(work);
    const asked = new Set(stacks.map((s) => requiredAws(s.json)));
    console.log(
      `note: the stacks ask for hashicorp/aws ${[...asked].join(", ")}; these checks override it to ${found.providerVersion}, the mirror's version.`,
    );
    const flavors: readonly Flavor[] = options.jsonOnly ? ["json"] : ["json", "hcl"];
    const tasks = stacks.flatMap((stack) => flavors.map((flavor) => ({ stack, flavor })));
    const plans = await pool(tasks, options.concurrency, ({ stack, flavor }) => planFolder(ctx, stack, flavor));

    let mismatch = false;
    console.log(`\n${tool}: fmt -check (HCL), init, validate, plan and show of every stack against moto (${moto.url}):`);
    for (const stack of stacks) {
      const json = plans[tasks.findIndex((t) => t.stack === stack && t.flavor === "json")];
      const hcl = options.jsonOnly ? undefined : plans[tasks.findIndex((t) => t.stack === stack && t.flavor === "hcl")];
      const creates = [...json.changes.values()].filter((c) => c.actions.includes("create")).length;
      const also = stack.sameAs.length > 0 ? ` (same stack in ${stack.sameAs.join(", ")})` : "";
      console.log(`  ${stack.id}${also}: ${json.changes.size} resources planned (${creates} to create)`);
      console.log(`    JSON: ${times(json.seconds)}`);
      if (!hcl) {
        console.log(`    HCL:  not checked (--json-only)`);
        continue;
      }
      console.log(`    HCL:  ${times(hcl.seconds)}`);
      const diff = comparePlans(json.changes, hcl.changes);
      if (diff.length > 0) {
        mismatch = true;
        console.log(`    JSON and HCL plans DIFFER:\n${diff.join("\n")}`);
      } else {
        console.log(`    JSON and HCL plans are equal (${json.changes.size} resource changes: addresses, actions, planned values)`);
      }
    }
    if (mismatch) {
      console.error(`\nterraform:check failed: the HCL copy does not plan what the JSON plans (see above).`);
      return 1;
    }

    if (options.apply) {
      const target = stacks.find((s) => s.variant === "default");
      if (!target) throw new CheckFailure("no default-stage stack was synthesized");
      console.log(`\n${tool}: apply and destroy of ${target.id} against moto. Left out of this copy only (moto cannot serve them):`);
      for (const [type, why] of Object.entries(MOTO_CANNOT_SERVE)) console.log(`  - ${type}: ${why}`);
      console.log(`  and moto answers these actions it lacks with a fixed reply:`);
      for (const p of MOTO_PATCHES) console.log(`  - ${p.service} ${p.action}: ${p.why}`);
      const r = await applyAndDestroy(ctx, target);
      console.log(`  left out: ${r.removed.length > 0 ? r.removed.join(", ") : "(none in this stack)"}`);
      console.log(`  planned ${r.planned} to create, created ${r.created} (${r.inState} in state), destroyed ${r.destroyed} (${r.left} left in state)`);
      for (const step of r.rollout) {
        console.log(
          step.weight === 100
            ? `  rollout ${ROLLOUT_WORKFLOW.variable}=previous=1,weight=100 (no rollout): the baseline plan (${step.changes} changes against moto's answers, which drop attributes AWS keeps)`
            : `  rollout ${ROLLOUT_WORKFLOW.variable}=previous=1,weight=${step.weight}: the plan differs from 100% in ${step.differs.length ? step.differs.join(", ") : "nothing"}`,
        );
      }
      console.log(`  ${times(r.seconds)}`);
      const rolloutWrong = rolloutProblems(r.rollout);
      if (rolloutWrong.length > 0) {
        console.error(`terraform:check failed: ${target.id}: ${rolloutWrong.join("; ")}`);
        return 1;
      }
      if (r.created !== r.planned || r.inState !== r.planned || r.destroyed !== r.planned || r.left !== 0) {
        console.error(`terraform:check failed: ${target.id}: apply/destroy counts do not match the plan (see above).`);
        return 1;
      }
    }
    console.log(`\nterraform:check passed with ${tool} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return 0;
  } catch (error) {
    if (error instanceof CheckFailure) {
      console.error(`\nterraform:check failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    moto?.stop();
    if (options.keep) console.log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
