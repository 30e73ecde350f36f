/**
 * `npm run module:check [-- --binary tofu] [--no-stages] [--keep]`
 *
 * The module (npm run module) is judged by Terraform, with terraform:check's
 * helpers (the provider mirror, the moto server, the plan comparison):
 *   1. `fmt -check` of the module and the example roots; `init` and `validate` of the module;
 *   2. for the default stage and for STAGES=dev,prod, the plan of each example root
 *      equals the plan of that stage's own stack (synthesized by npm run synth):
 *      the same resources, actions and planned values; addresses aside (the root's
 *      `module.sfn_workflows.` prefix, and `[0]` of the one resource the module makes
 *      optional with count), and a Lambda `filename` is compared from its `assets/`
 *      part (the module reads it through path.module); prod differs from the defaults
 *      in every setting the module takes (PROD_ENV);
 *      the stages also give the `orders` table by ARN (each its own, in its region),
 *      prod sets the team's PAYMENT_MODE to `live` and rolls order-processing out
 *      at 10% and dev has rolled it back (weight 0) (STAGES_FILES), so the
 *      existing-resource, team-variable and rollout inputs are planned too;
 *      and a fixture project (scripts/module-check-fixture.ts: one more workflow
 *      using an `existing: true` secret and a team variable with a pattern) plans
 *      its default stage the same way;
 *   3. with `owner` and `tags` set, every taggable resource plans them;
 *   4. a 70-character project_name fails `plan` with the project's own message; for
 *      prod, a bad payment_mode and an ARN of another service fail `plan` with the
 *      project's messages, an ARN in another region fails the region
 *      data source's postcondition with the project's message, and a rollout
 *      weight of 150 fails with the project's message; for the fixture, a
 *      partner_code its pattern refuses fails with the project's message, and
 *      leaving out the secret's ARN fails (it is required).
 * --no-stages: the default stage only.
 * Everything runs in a temporary copy of the repository (no .env files), the
 * provider constraint overridden to the mirror's version, the provider pointed at moto.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseResourceArn } from "../src/config/resources";
import { parseRollout } from "../src/deploy/rollout";
import { stageVariableProblem } from "../src/config/stage";
import { RESOURCES, type DeclaredResource } from "../workflows/resources";
import { STAGE_VARIABLES } from "../workflows/stage-variables";
import { applyFixture, FIXTURE_ENV, FIXTURE_VARIABLE } from "./module-check-fixture";
import { startMoto, writeOverride } from "../src/terraform/moto";
import { comparePlans, resourceChanges, type Context, type ResourceChange } from "../src/terraform/plans";
import { cleanEnv, copyRepo } from "../src/terraform/synthesis";
import { CheckFailure, failure, parseArgs, preflight, providerMirror, run, terraformEnv, type RunResult } from "../src/terraform/tools";

const MODULE_NAME = "sfn_workflows";
const PREFIX = `module.${MODULE_NAME}.`;
const TIMEOUT = { synth: 300_000, tf: 300_000 };

interface Variant {
  name: string;
  what: string;
  env: Record<string, string>;
  files?: Record<string, string>;
  /** Changes the repository copy (the fixture project). */
  setup?: (repo: string) => void;
  /** Bad values for a stage's example root: each must fail plan with the messages given. */
  bad?: (stage: string) => BadCase[];
}

interface BadCase {
  what: string;
  edit: (main: string) => string;
  messages: string[];
}

/** prod differs from the defaults in every setting the module takes, and is on the S3 backend (as in terraform:check). */
const PROD_ENV = [
  "REGION=eu-west-1",
  "OWNER=ops-team",
  "LOG_LEVEL=WARN",
  "LOG_RETENTION_DAYS=731",
  "SFN_LOG_EXECUTION_DATA=false",
  "LAMBDA_RESERVED_CONCURRENCY=5",
  "ALARM_EMAIL=ops@example.com",
  "STATE_BACKEND=s3",
  "STATE_BUCKET=my-app-tf-state",
].join("\n");

/**
 * An existing table for each stage (in the stage's region), the team's PAYMENT_MODE other than its default in prod,
 * and a gradual rollout of order-processing: 10% in prod (both routes), rolled back in dev (the previous version only).
 */
const ORDERS_ARN = { dev: "arn:aws:dynamodb:us-east-1:111122223333:table/dev-orders", prod: "arn:aws:dynamodb:eu-west-1:444455556666:table/prod-orders" };
const ROLLOUT = { variable: "ROLLOUT_ORDER_PROCESSING", dev: "previous=1,weight=0", prod: "previous=1,weight=10" };
const STAGES_FILES: Record<string, string> = {
  ".env.dev": `RESOURCE_ORDERS_ARN=${ORDERS_ARN.dev}\n${ROLLOUT.variable}=${ROLLOUT.dev}\n`,
  ".env.prod": `${PROD_ENV}\nPAYMENT_MODE=live\nRESOURCE_ORDERS_ARN=${ORDERS_ARN.prod}\n${ROLLOUT.variable}=${ROLLOUT.prod}\n`,
};

/** The root's changes under the stack's addresses, the Lambda filenames from `assets/` on. */
export function normalisedModuleChanges(changes: Map<string, ResourceChange>, stack: ReadonlyMap<string, unknown>, prefix = PREFIX): Map<string, ResourceChange> {
  const out = new Map<string, ResourceChange>();
  for (const [address, c] of changes) {
    let bare = address.startsWith(prefix) ? address.slice(prefix.length) : address;
    // A resource the module makes optional with count (the alarm e-mail subscription) is `x[0]` where the stack has `x`.
    if (bare.endsWith("[0]") && !stack.has(bare) && stack.has(bare.slice(0, -3))) bare = bare.slice(0, -3);
    out.set(bare, { ...c, address: bare, after: normaliseFilename(bare, c.after) });
  }
  return out;
}

function normaliseFilename(address: string, after: unknown): unknown {
  if (!address.startsWith("aws_lambda_function.") || typeof after !== "object" || after === null) return after;
  const a = after as Record<string, unknown>;
  if (typeof a.filename !== "string") return after;
  const i = a.filename.indexOf("assets/");
  return i < 0 ? after : { ...a, filename: a.filename.slice(i) };
}

async function tf(ctx: Context, where: string, dir: string, args: string[]): Promise<RunResult> {
  const r = await run(ctx.binary, args, dir, ctx.env, TIMEOUT.tf);
  if (r.code !== 0) throw failure(where, `${ctx.tool} ${args.join(" ")}`, r, TIMEOUT.tf);
  return r;
}

async function plan(ctx: Context, where: string, dir: string): Promise<Map<string, ResourceChange>> {
  await tf(ctx, where, dir, ["init", "-input=false", "-no-color"]);
  await tf(ctx, where, dir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=check.tfplan"]);
  const shown = await tf(ctx, where, dir, ["show", "-json", "-no-color", "check.tfplan"]);
  return resourceChanges(shown.stdout);
}

/** The module copy asks for the mirror's provider version (the module itself asks for the bindings' 6.x). */
function overrideModuleVersion(moduleDir: string, providerVersion: string): void {
  writeFileSync(
    join(moduleDir, "terraform_check_override.tf.json"),
    `${JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: providerVersion } } } }, null, 2)}\n`,
  );
}

/** A copy of the example root's tree with its main.tf edited, ready to plan (no state of the original). */
function editedRoot(ctx: Context, tree: string, stage: string, name: string, edit: (main: string) => string): string {
  const copy = join(ctx.work, "tf", `${name}-${stage}`);
  cpSync(tree, copy, { recursive: true });
  const root = join(copy, "module-examples", stage);
  for (const f of readdirSync(root)) if (f.startsWith("terraform") || f === ".terraform") rmSync(join(root, f), { recursive: true, force: true });
  writeOverride(root, ctx, name, join(copy, "module"));
  const main = join(root, "main.tf");
  const before = readFileSync(main, "utf8");
  const after = edit(before);
  if (after === before) throw new CheckFailure(`${name}: the edit of ${stage}'s example root changed nothing (the root changed shape)`);
  writeFileSync(main, after);
  return root;
}

/** Plans a root that must fail; returns the output with the box drawing and line breaks folded to spaces. */
async function failedPlan(ctx: Context, where: string, root: string): Promise<string> {
  await tf(ctx, where, root, ["init", "-input=false", "-no-color"]);
  const r = await run(ctx.binary, ["plan", "-input=false", "-no-color", "-lock=false"], root, ctx.env, TIMEOUT.tf);
  const text = `${r.stderr}\n${r.stdout}`.replace(/[│\s]+/g, " ");
  if (r.code === 0) throw new CheckFailure(`${where}: plan succeeded; it must fail`);
  return text;
}

/** The `<name> = "..."` argument of the module block set to `value`. */
const setArgument = (name: string, value: string) => (main: string) => main.replace(new RegExp(`(\\n  ${name}\\s+= )"[^"]*"`), `$1${JSON.stringify(value)}`);

const declared = (name: string) => {
  const decl = RESOURCES.find((r) => r.name === name) as DeclaredResource | undefined;
  if (!decl) throw new CheckFailure(`bad inputs: workflows/resources.ts declares no "${name}"; update scripts/module-check.ts`);
  return decl;
};
const variable = (name: string) => {
  const v = STAGE_VARIABLES.find((x) => x.name === name);
  if (!v) throw new CheckFailure(`bad inputs: workflows/stage-variables.ts declares no ${name}; update scripts/module-check.ts`);
  return v;
};
const arnProblem = (decl: DeclaredResource, arn: string, region: string) => {
  const m = parseResourceArn(decl, arn, region);
  if (typeof m !== "string") throw new CheckFailure(`bad inputs: the project accepts ${arn}`);
  return m;
};

/**
 * prod's team variable and existing resource with bad values: a payment_mode
 * outside its list and an ARN of another service fail the variables'
 * validations, an ARN in another region the region data source's postcondition,
 * each with the message the project gives for the same value.
 */
function prodBadCases(): BadCase[] {
  const otherService = "arn:aws:sns:eu-west-1:444455556666:table/prod-orders";
  const otherRegion = "arn:aws:dynamodb:us-east-1:444455556666:table/prod-orders";
  return [
    {
      what: "bad payment_mode and orders_arn of another service",
      edit: (main) => setArgument("orders_arn", otherService)(setArgument("payment_mode", "bogus")(main)),
      messages: [stageVariableProblem(variable("PAYMENT_MODE"), "bogus")!, arnProblem(declared("orders"), otherService, "eu-west-1")],
    },
    { what: "orders_arn in another region", edit: setArgument("orders_arn", otherRegion), messages: [arnProblem(declared("orders"), otherRegion, "eu-west-1")] },
    {
      what: "rollout weight 150",
      edit: (main) => main.replace(/(\n  rollouts\s+= \{ "order-processing" = \{ previous_version = 1, weight = )10( \} \})/, "$1150$2"),
      messages: [rolloutProblem(ROLLOUT.variable, "previous=1,weight=150")],
    },
  ];
}

/** The project's message for a ROLLOUT_* value it refuses. */
function rolloutProblem(variable: string, value: string): string {
  const m = parseRollout(variable, value);
  if (typeof m !== "string") throw new CheckFailure(`bad inputs: the project accepts ${variable}=${value}`);
  return m;
}

/** The fixture: a value its pattern refuses, and the secret's ARN left out (it is required). */
function fixtureBadCases(): BadCase[] {
  return [
    { what: "partner_code the pattern refuses", edit: setArgument("partner_code", "EU1"), messages: [stageVariableProblem(FIXTURE_VARIABLE, "EU1")!] },
    { what: "partner_key_arn left out", edit: (main) => main.replace(/\n  partner_key_arn\s+= "[^"]*"/, ""), messages: ['The argument "partner_key_arn" is required'] },
  ];
}

async function badInputs(ctx: Context, tree: string, stage: string, cases: readonly BadCase[]): Promise<boolean> {
  let ok = true;
  for (const { what, edit, messages } of cases) {
    const text = await failedPlan(ctx, what, editedRoot(ctx, tree, stage, what.replace(/\W+/g, "-"), edit));
    const missing = messages.filter((m) => !text.includes(m.replace(/\s+/g, " ")));
    if (missing.length > 0) {
      ok = false;
      console.log(`${what}: expected plan to fail with the project's messages; missing ${missing.map((m) => JSON.stringify(m)).join(", ")}:\n${text.slice(0, 2000)}`);
    } else {
      console.log(`${what}: plan fails with: ${messages.join(" | ")}`);
    }
  }
  return ok;
}

async function main(): Promise<number> {
  const started = performance.now();
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  const required = process.env.CI === "true" || process.env.REQUIRE_TERRAFORM === "1";
  const found = preflight(options);
  if ("missing" in found) {
    const what = found.missing.map((m) => `  - ${m}`).join("\n");
    if (required) {
      console.error(`module:check cannot run (CI=true or REQUIRE_TERRAFORM=1 makes this a failure). Missing:\n${what}`);
      return 1;
    }
    console.log(`module:check skipped (set REQUIRE_TERRAFORM=1 to make this a failure). Missing:\n${what}`);
    return 0;
  }
  const tool = basename(options.binary);
  console.log(`${found.version} (${found.binary}); provider hashicorp/aws ${found.providerVersion} from the mirror ${options.mirror}`);
  const variants: Variant[] = [{ name: "default", what: "the default stage", env: {} }];
  if (!argv.includes("--no-stages")) {
    const shown = Object.entries(STAGES_FILES).map(([file, text]) => `${file}: ${text.trim().split("\n").join(" ")}`).join("; ");
    variants.push({ name: "stages", what: `STAGES=dev,prod, ${shown}`, env: { STAGES: "dev,prod" }, files: STAGES_FILES, bad: (stage) => (stage === "prod" ? prodBadCases() : []) });
    variants.push({
      name: "fixture",
      what: `the default stage of the fixture project (scripts/module-check-fixture.ts: an existing: true secret, a stage variable with a pattern), .env: ${FIXTURE_ENV.split("\n").join(" ")}`,
      env: {},
      setup: applyFixture,
      bad: fixtureBadCases,
    });
  }

  const work = mkdtempSync(join(tmpdir(), "module-check-"));
  const cliConfig = providerMirror(work, options.mirror, found.providerVersion);
  const moto = await startMoto();
  const ctx: Context = { binary: found.binary, tool, providerVersion: found.providerVersion, env: terraformEnv(cliConfig), moto, work };
  let failed = false;
  try {
    for (const variant of variants) {
      const repo = join(work, `repo-${variant.name}`);
      copyRepo(repo);
      variant.setup?.(repo);
      for (const [file, text] of Object.entries(variant.files ?? {})) writeFileSync(join(repo, file), text);
      const bin = join(repo, "bin", "sfn-workflows.mjs");
      console.log(`${variant.name}: ${variant.what}`);
      const out = join(work, `out-${variant.name}`);
      for (const [what, args] of [
        ["npm run synth", ["synth", "--out", join(out, "synth")]],
        ["npm run module", ["module", "--out", join(out, "module"), "--examples", join(out, "module-examples")]],
      ] as const) {
        const r = await run(process.execPath, [bin, ...args], repo, cleanEnv(variant.env), TIMEOUT.synth);
        if (r.code !== 0) throw failure(`${variant.name}`, what, r, TIMEOUT.synth);
      }
      const moduleDir = join(out, "module");

      if (variant.name === "default") {
        await tf(ctx, "module (fmt)", out, ["fmt", "-check", "-diff", "-recursive", "-no-color", "module", "module-examples"]);
        const copy = join(work, "tf", "module-validate", "module");
        cpSync(moduleDir, copy, { recursive: true });
        overrideModuleVersion(copy, found.providerVersion);
        await tf(ctx, "module (validate)", copy, ["init", "-input=false", "-no-color"]);
        await tf(ctx, "module (validate)", copy, ["validate", "-no-color"]);
        console.log(`module: fmt -check (module and example roots) and validate passed`);
      }

      for (const stage of readdirSync(join(out, "module-examples")).sort()) {
        const stackName = readdirSync(join(out, "synth", "stacks")).find((s) => s.endsWith(`-${stage}`));
        if (!stackName) throw new CheckFailure(`${variant.name}/${stage}: no stack was synthesized for the stage`);
        const where = `${variant.name}/${stage}`;
        const stackDir = join(work, "tf", `${variant.name}-${stage}-stack`);
        cpSync(join(out, "synth", "stacks", stackName), stackDir, { recursive: true });
        writeOverride(stackDir, ctx, `${where} (stack)`);
        const tree = join(work, "tf", `${variant.name}-${stage}-root`);
        cpSync(moduleDir, join(tree, "module"), { recursive: true });
        cpSync(join(out, "module-examples", stage), join(tree, "module-examples", stage), { recursive: true });
        overrideModuleVersion(join(tree, "module"), found.providerVersion);
        const root = join(tree, "module-examples", stage);
        writeOverride(root, ctx, `${where} (example root)`, join(tree, "module"));
        const [stack, example] = await Promise.all([plan(ctx, `${where} (stack)`, stackDir), plan(ctx, `${where} (example root)`, root)]);
        const diff = comparePlans(stack, normalisedModuleChanges(example, stack));
        const creates = [...stack.values()].filter((c) => c.actions.includes("create")).length;
        if (diff.length > 0) {
          failed = true;
          console.log(`${where}: the example root does NOT plan what the stage stack plans:\n${diff.join("\n").replace(/JSON/g, "stack").replace(/HCL/g, "module")}`);
        } else {
          console.log(`${where}: example root plan equals the stage stack's plan (${stack.size} resource changes, ${creates} to create; addresses under ${PREFIX})`);
        }

        if (variant.name === "default") {
          // var.tags and var.owner reach every taggable resource.
          const taggedRoot = editedRoot(ctx, tree, stage, "tags", (main) => main.replace(/\n}\n$/, '\n  owner = "module-check"\n  tags  = { CostCenter = "42" }\n}\n'));
          const withTags = await plan(ctx, "tags", taggedRoot);
          const taggable = [...withTags.values()].filter((c) => c.actions.includes("create") && typeof c.after === "object" && c.after !== null && "tags_all" in c.after);
          const missing = taggable.filter((c) => {
            const tags = (c.after as { tags?: Record<string, string> | null }).tags ?? {};
            return tags.CostCenter !== "42" || tags.Owner !== "module-check";
          });
          if (missing.length > 0 || taggable.length === 0) {
            failed = true;
            console.log(`tags: owner and tags missing on ${missing.length} of ${taggable.length} taggable resources: ${missing.slice(0, 5).map((c) => c.address).join(", ")}`);
          } else {
            console.log(`tags: owner and tags set on all ${taggable.length} taggable resources`);
          }

          // A 70-character project_name: the project's own message, from Terraform.
          const longName = `p${"a".repeat(69)}`;
          const badRoot = editedRoot(ctx, tree, stage, "bad-name", (main) => main.replace(/project_name(\s+)= "[^"]*"/, `project_name$1= "${longName}"`));
          const text = await failedPlan(ctx, "bad project_name", badRoot);
          const expected = `PROJECT_NAME and STAGE make "${longName}-${stage}-`;
          if (!text.includes(expected)) {
            failed = true;
            console.log(`bad project_name: expected plan to fail with ${JSON.stringify(expected)}...:\n${text.slice(0, 2000)}`);
          } else {
            const message = /PROJECT_NAME and STAGE make .*? by \d+\./.exec(text)?.[0] ?? expected;
            console.log(`bad project_name (70 characters): plan fails with the project's message: ${message}`);
          }
        }

        if (!(await badInputs(ctx, tree, stage, variant.bad?.(stage) ?? []))) failed = true;
      }
    }
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    console.error(`\nmodule:check failed: ${error.message}`);
    return 1;
  } finally {
    moto.stop();
    if (argv.includes("--keep")) console.log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (failed) {
    console.error(`\nmodule:check failed (see above).`);
    return 1;
  }
  console.log(`\nmodule:check passed with ${tool} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return 0;
}

if (require.main === module) {
  mkdirSync(tmpdir(), { recursive: true });
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`module:check failed: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
