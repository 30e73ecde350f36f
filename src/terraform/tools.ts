/** The Terraform check's tools: its options, the binary and provider mirror it needs, running a command with a time limit, the CLI configuration. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");

export const TIMEOUT_MS = { init: 120_000, validate: 180_000, plan: 300_000, show: 120_000, fmt: 60_000, apply: 900_000, destroy: 900_000, state: 60_000 };

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

export function which(binary: string): string | undefined {
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

export function times(seconds: Record<string, number>): string {
  return Object.entries(seconds)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(", ");
}

export async function pool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
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
