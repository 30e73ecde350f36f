/** The moto server the Terraform check plans and applies against: what moto cannot serve, the actions it lacks, the provider endpoints pointed at it. */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { type Context } from "./plans";
import { CheckFailure } from "./tools";

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
        `${where}: no moto endpoint is known for "${type}". Add its service to SERVICE_ENDPOINTS in src/terraform/moto.ts (or LOCAL_ONLY if it calls no AWS API).`,
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
