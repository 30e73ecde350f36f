/**
 * The module's validations of the team's stage variables and of existing
 * resources' ARNs, run by Terraform: a bad value fails `terraform plan` with
 * the message the project's own validation gives for it (src/config/stage.ts,
 * src/config/resources.ts), a partition or region other than the provider's
 * fails the region data source's postconditions, and good values plan, with
 * the name, account and URL read from the ARN as the project reads them.
 *
 * A module of only variables.tf, locals and the region data source, built from
 * fixture declarations (a list, a pattern, a free-text rule; a table, a bucket,
 * a queue and an `existing: true` secret); the provider runs offline (no AWS
 * call). Needs Terraform and the provider mirror; skips without them unless
 * REQUIRE_TERRAFORM=1 (or CI=true). TERRAFORM_BINARY=tofu runs it with OpenTofu.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseResourceArn, resourceValues } from "../../src/config/resources";
import { stageVariableProblem } from "../../src/config/stage";
import { writeHcl } from "../../src/hcl/write";
import { regionData } from "../../src/module/build";
import { existingLocals, inputsOf } from "../../src/module/inputs";
import { teamInputs } from "../../src/module/team-variables";
import { variablesTf } from "../../src/module/variables";
import { mirrorVersions, providerMirror, terraformEnv } from "../../src/terraform/tools";
import type { DeclaredResource } from "../../workflows/resources";
import type { StageVariable } from "../../workflows/stage-variables";

const required = process.env.REQUIRE_TERRAFORM === "1" || process.env.CI === "true";
const binary = process.env.TERRAFORM_BINARY ?? "terraform";
const mirror = process.env.TF_PROVIDER_MIRROR ?? "/opt/tf-plugins";
const versions = mirrorVersions(mirror);
const found = spawnSync(binary, ["version"], { encoding: "utf8" }).status === 0 && versions.length > 0;

const MODE: StageVariable = { name: "PAYMENT_MODE", description: "Payment environment.", rule: ["sandbox", "live"], default: "sandbox" };
const REGION_CODE: StageVariable = { name: "REGION_CODE", description: "Short region code.", rule: /^[a-z]{2}[0-9]$/, default: "eu1" };
const NOTE: StageVariable = { name: "NOTE", description: "Free text.", rule: /^.{1,20}$/, default: "note" };
const TABLE: DeclaredResource = { kind: "dynamodb-table", name: "orders", description: "Orders.", partitionKey: { name: "orderId", type: "S" } };
const BUCKET: DeclaredResource = { kind: "s3-bucket", name: "receipts", description: "Receipts." };
const QUEUE: DeclaredResource = { kind: "sqs-queue", name: "jobs", description: "Jobs." };
const SECRET: DeclaredResource = { kind: "secret", name: "api-key", description: "API key.", existing: true };
const REGION = "us-east-1";

const GOOD: Record<string, string> = {
  payment_mode: "live",
  region_code: "us2",
  note: "a note",
  orders_arn: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders",
  receipts_arn: "arn:aws:s3:::legacy-receipts",
  jobs_arn: "arn:aws:sqs:us-east-1:111122223333:legacy-jobs.fifo",
  api_key_arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-AbC123",
};

function tf(dir: string, env: NodeJS.ProcessEnv, args: string[]) {
  return spawnSync(binary, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
}

/** The error messages of a failed plan (its JSON diagnostics' detail, without Terraform's note on where the rule is). */
function planErrors(dir: string, env: NodeJS.ProcessEnv, vars: Record<string, string>): string[] {
  const r = tf(dir, env, ["plan", "-json", "-input=false", "-lock=false", ...Object.entries({ ...GOOD, ...vars }).map(([k, v]) => `-var=${k}=${v}`)]);
  return r.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type: string; diagnostic?: { severity: string; detail: string } })
    .filter((m) => m.type === "diagnostic" && m.diagnostic?.severity === "error")
    .map((m) => m.diagnostic!.detail.split("\n\n")[0]);
}

(found ? describe : describe.skip)(`module validations in ${binary}`, () => {
  const work = mkdtempSync(join(tmpdir(), "module-validations-"));
  const env = terraformEnv(providerMirror(work, mirror, versions[0] ?? ""));
  const root = join(work, "root");
  // As if every configured stage gave the four resources by ARN.
  const inputs = inputsOf(teamInputs([MODE, REGION_CODE, NOTE]), [TABLE, BUCKET, QUEUE, SECRET]);

  beforeAll(() => {
    const module = join(work, "module");
    mkdirSync(module, { recursive: true });
    mkdirSync(root, { recursive: true });
    writeFileSync(join(module, "versions.tf"), writeHcl({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } }, "versions.tf"));
    writeFileSync(join(module, "variables.tf"), variablesTf(inputs));
    writeFileSync(join(module, "main.tf"), `${regionData(inputs)}\ndata "aws_partition" "current" {}\n`);
    writeFileSync(join(module, "locals.tf"), writeHcl({ locals: { existing_resources: existingLocals(inputs)! } }, "locals.tf"));
    writeFileSync(join(module, "outputs.tf"), 'output "existing" {\n  value = local.existing_resources\n}\n');
    const names = Object.keys(GOOD);
    writeFileSync(
      join(root, "main.tf"),
      [
        `provider "aws" {\n  region                      = "${REGION}"\n  skip_credentials_validation = true\n  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n  skip_region_validation      = true\n}\n`,
        ...names.map((n) => `variable "${n}" {\n  type = string\n}\n`),
        `module "m" {\n  source       = "../module"\n  project_name = "my-app"\n  stage        = "dev"\n${names.map((n) => `  ${n} = var.${n}`).join("\n")}\n}\n`,
        'output "existing" {\n  value = module.m.existing\n}\n',
      ].join("\n"),
    );
    const init = tf(root, env, ["init", "-input=false", "-no-color"]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("good values plan; the name, account and URL are read from the ARN as the project reads them", () => {
    const r = tf(root, env, ["plan", "-input=false", "-lock=false", "-no-color", "-out=p.tfplan", ...Object.entries(GOOD).map(([k, v]) => `-var=${k}=${v}`)]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const shown = JSON.parse(tf(root, env, ["show", "-json", "p.tfplan"]).stdout) as { planned_values: { outputs: { existing: { value: Record<string, Record<string, string>> } } } };
    const existing = shown.planned_values.outputs.existing.value;
    for (const decl of [TABLE, BUCKET, QUEUE, SECRET]) {
      const parsed = parseResourceArn(decl, GOOD[`${decl.name.replace(/-/g, "_")}_arn`], REGION);
      if (typeof parsed === "string") throw new Error(parsed);
      const values = resourceValues(decl.kind, { partition: "aws", region: parsed.region, accountId: parsed.accountId, name: parsed.name });
      expect(existing[decl.name.replace(/-/g, "_")]).toEqual({
        name: parsed.name,
        ...(decl.kind === "s3-bucket" ? {} : { account_id: parsed.accountId }),
        ...(decl.kind === "sqs-queue" ? { url: values.url } : {}),
      });
    }
  }, 60_000);

  const project = (decl: DeclaredResource, arn: string) => {
    const message = parseResourceArn(decl, arn, REGION);
    if (typeof message !== "string") throw new Error(`the project accepts ${arn}`);
    return message;
  };
  // Grouped so that each plan fails each variable once (Terraform reports every failing variable).
  const cases: Array<[string, Record<string, string>, () => string[]]> = [
    [
      "a value outside the list, a value the pattern refuses, a quote the rule lets through, not an ARN, an S3 ARN with a region, a secret without its suffix",
      { payment_mode: "bogus", region_code: "EU1", note: 'say "hi"', orders_arn: "legacy-orders", receipts_arn: "arn:aws:s3:us-east-1::b1", api_key_arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:key" },
      () => [
        stageVariableProblem(MODE, "bogus")!,
        stageVariableProblem(REGION_CODE, "EU1")!,
        stageVariableProblem(NOTE, 'say "hi"')!,
        project(TABLE, "legacy-orders"),
        project(BUCKET, "arn:aws:s3:us-east-1::b1"),
        project(SECRET, "arn:aws:secretsmanager:us-east-1:111122223333:secret:key"),
      ],
    ],
    ["another service", { orders_arn: "arn:aws:sns:us-east-1:111122223333:table/x" }, () => [project(TABLE, "arn:aws:sns:us-east-1:111122223333:table/x")]],
    ["a short account", { orders_arn: "arn:aws:dynamodb:us-east-1:1234:table/x" }, () => [project(TABLE, "arn:aws:dynamodb:us-east-1:1234:table/x")]],
    ["another resource type", { orders_arn: "arn:aws:dynamodb:us-east-1:111122223333:stream/x" }, () => [project(TABLE, "arn:aws:dynamodb:us-east-1:111122223333:stream/x")]],
    [
      "another region, another partition (postconditions of the region data source)",
      { jobs_arn: "arn:aws:sqs:eu-west-1:111122223333:jobs", orders_arn: "arn:aws-cn:dynamodb:us-east-1:111122223333:table/legacy" },
      () => [project(TABLE, "arn:aws-cn:dynamodb:us-east-1:111122223333:table/legacy"), project(QUEUE, "arn:aws:sqs:eu-west-1:111122223333:jobs")],
    ],
  ];
  test.each(cases)("%s: plan fails with the project's messages", (_what, vars, expected) => {
    expect(planErrors(root, env, vars).sort()).toEqual(expected().sort());
  }, 60_000);
});

test("Terraform and the provider mirror are there when required", () => {
  if (required) expect(found).toBe(true);
});
