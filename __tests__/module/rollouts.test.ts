/**
 * The gradual rollout as a module input (src/module/rollouts.ts): the stage
 * aliases of the sentinel synthesis become routed by var.rollouts, a stage's
 * ROLLOUT_* settings become its example root's `rollouts` argument, and,
 * run by Terraform, the locals route and describe each alias as
 * src/deploy/rollout.ts does for every step (none, 0, 10, 50, 100), and bad
 * values fail plan with the project's messages. The Terraform part needs no
 * provider; it skips without Terraform unless REQUIRE_TERRAFORM=1 (or CI=true);
 * TERRAFORM_BINARY=tofu runs it with OpenTofu.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig } from "../../src/config/stage";
import { aliasDescription, aliasRoutes, parseRollout, type Rollout, rolloutVariable } from "../../src/deploy/rollout";
import { UnknownWorkflowError } from "../../src/errors";
import { writeHcl } from "../../src/hcl/write";
import { exampleRoot } from "../../src/module/examples";
import { NO_INPUTS } from "../../src/module/inputs";
import { moduleReadme } from "../../src/module/readme";
import { rolloutArgument, rolloutLocals, routeAliasesByVariable } from "../../src/module/rollouts";
import { SENTINELS, sentinelEnv } from "../../src/module/sentinel";
import type { JsonObject } from "../../src/module/transform";
import { variablesTf } from "../../src/module/variables";
import { terraformEnv } from "../../src/terraform/tools";
import { WORKFLOWS } from "../../workflows/catalogue";

const WORKFLOW_NAMES = ["order-processing", "sequential", "parallel", "map", "choice"];

/** A transformed stack's alias as the synthesis makes it for `rollout`. */
function alias(machine: string, rollout: Rollout | undefined): JsonObject {
  return {
    name: "${var.stage}",
    description: aliasDescription("${var.stage}", rollout),
    routing_configuration: aliasRoutes(rollout).map((r) => ({
      state_machine_version_arn: r.version === "current" ? `\${aws_sfn_state_machine.${machine}.state_machine_version_arn}` : `\${aws_sfn_state_machine.${machine}.arn}:${r.version}`,
      weight: r.weight,
    })),
  };
}

describe("the stage aliases of the sentinel synthesis", () => {
  const s = SENTINELS[0];

  test("each sentinel rolls out every catalogued workflow with a step of two routes, the two sentinels with different steps", () => {
    const env = sentinelEnv(s);
    for (const w of WORKFLOWS) {
      expect(parseRollout(rolloutVariable(w.name), env[rolloutVariable(w.name)] ?? "")).toEqual(s.rollout);
    }
    for (const x of SENTINELS) expect(aliasRoutes(x.rollout)).toHaveLength(2);
    expect(SENTINELS[0].rollout).not.toEqual(SENTINELS[1].rollout);
  });

  test("become routed by local.alias_routes and described by local.alias_descriptions; the workflows with an alias are returned in catalogue order", () => {
    const doc: JsonObject = { resource: { aws_sfn_alias: { map: alias("map", s.rollout), order_processing: alias("order_processing", s.rollout) } } };
    expect(routeAliasesByVariable(doc, s.rollout, WORKFLOW_NAMES)).toEqual(["order-processing", "map"]);
    const text = writeHcl(doc as never);
    expect(text).toContain(
      [
        'resource "aws_sfn_alias" "order_processing" {',
        "  name        = var.stage",
        '  description = local.alias_descriptions["order-processing"]',
        "",
        '  dynamic "routing_configuration" {',
        '    for_each = local.alias_routes["order-processing"]',
        "",
        "    content {",
        '      state_machine_version_arn = routing_configuration.value.version == "current" ? aws_sfn_state_machine.order_processing.state_machine_version_arn : "${aws_sfn_state_machine.order_processing.arn}:${routing_configuration.value.version}"',
        "      weight                    = routing_configuration.value.weight",
        "    }",
        "  }",
        "}",
      ].join("\n"),
    );
    expect(text).not.toContain(":3");
  });

  test("an alias that is not what src/deploy/rollout.ts gives for the sentinel's step, or of no workflow, is named", () => {
    const steady = { resource: { aws_sfn_alias: { map: alias("map", undefined) } } };
    expect(() => routeAliasesByVariable(steady, s.rollout, WORKFLOW_NAMES)).toThrow(/aws_sfn_alias\.map, synthesized with ROLLOUT_MAP=previous=3,weight=37, is not the alias src\/deploy\/rollout\.ts gives/);
    const other = { resource: { aws_sfn_alias: { map: alias("map", { previousVersion: 2, weight: 37 }) } } };
    expect(() => routeAliasesByVariable(other, s.rollout, WORKFLOW_NAMES)).toThrow(/The stack changed how it routes the alias/);
    const stray = { resource: { aws_sfn_alias: { legacy: alias("legacy", s.rollout) } } };
    expect(() => routeAliasesByVariable(stray, s.rollout, WORKFLOW_NAMES)).toThrow("aws_sfn_alias.legacy belongs to no catalogued workflow");
  });
});

describe("a stage's ROLLOUT_* settings in its example root", () => {
  const stage = (env: Record<string, string>) => loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "module-env-")), env: { STAGE: "prod", ...env } });

  test("one line, every rollout of the stage; none without one", () => {
    const c = stage({ ROLLOUT_ORDER_PROCESSING: "previous=1,weight=10", ROLLOUT_MAP: "previous=4, weight=0" });
    expect(rolloutArgument(c, WORKFLOW_NAMES)).toEqual(["rollouts", '{ "order-processing" = { previous_version = 1, weight = 10 }, "map" = { previous_version = 4, weight = 0 } }']);
    const root = exampleRoot(c, {}, "~> 6.25", "../../module", { ...NO_INPUTS, aliases: WORKFLOW_NAMES });
    expect(root).toContain('  rollouts                    = { "order-processing" = { previous_version = 1, weight = 10 }, "map" = { previous_version = 4, weight = 0 } }\n');
    expect(root).not.toContain("Note:");
    expect(rolloutArgument(stage({}), WORKFLOW_NAMES)).toBeUndefined();
  });

  test("a rollout of a workflow the stack gives no alias is refused, naming the setting", () => {
    expect(() => rolloutArgument(stage({ ROLLOUT_MAP: "previous=4,weight=10" }), ["order-processing"])).toThrow(
      'module: stage "prod" sets ROLLOUT_MAP, but the stack has no stage alias for that workflow',
    );
  });

  test("var.rollouts is declared, and the module's README says how to roll out, only when the stack has aliases", () => {
    expect(variablesTf({ ...NO_INPUTS, aliases: WORKFLOW_NAMES })).toContain('variable "rollouts" {\n  type        = map(object({ previous_version = number, weight = number }))\n');
    expect(variablesTf(NO_INPUTS)).not.toContain('variable "rollouts"');
    const readme = (aliases?: string[]) => moduleReadme({ outputs: {}, defaultTags: {}, providerVersion: "~> 6.25", files: [], inputs: { ...NO_INPUTS, aliases } });
    expect(readme(WORKFLOW_NAMES)).toContain("| `rollouts` | `map(object({ previous_version = number, weight = number }))` | `{}` | Gradual rollouts in progress");
    expect(readme(WORKFLOW_NAMES)).toContain("The\nkeys are the workflows with a stage alias: `order-processing`, `sequential`, `parallel`, `map`, `choice`;");
    expect(readme()).not.toContain("rollouts");
  });
});

const required = process.env.REQUIRE_TERRAFORM === "1" || process.env.CI === "true";
const binary = process.env.TERRAFORM_BINARY ?? "terraform";
const found = spawnSync(binary, ["version"], { encoding: "utf8" }).status === 0;

(found ? describe : describe.skip)(`var.rollouts in ${binary}`, () => {
  const work = mkdtempSync(join(tmpdir(), "module-rollouts-"));
  const cliConfig = join(work, "cli.tfrc");
  const env = terraformEnv(cliConfig);
  const root = join(work, "root");
  const tf = (args: string[]) => spawnSync(binary, args, { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  const plan = (rollouts: unknown) => {
    writeFileSync(join(root, "case.tfvars.json"), JSON.stringify({ rollouts }));
    return tf(["plan", "-json", "-input=false", "-lock=false", "-var-file=case.tfvars.json", "-out=p.tfplan"]);
  };

  beforeAll(() => {
    const module = join(work, "module");
    mkdirSync(module, { recursive: true });
    mkdirSync(root, { recursive: true });
    writeFileSync(cliConfig, "");
    writeFileSync(join(module, "variables.tf"), variablesTf({ ...NO_INPUTS, aliases: WORKFLOW_NAMES }));
    writeFileSync(join(module, "locals.tf"), rolloutLocals(WORKFLOW_NAMES));
    writeFileSync(join(module, "outputs.tf"), 'output "routes" {\n  value = local.alias_routes\n}\n\noutput "descriptions" {\n  value = local.alias_descriptions\n}\n');
    writeFileSync(
      join(root, "main.tf"),
      [
        'variable "rollouts" {\n  type = any\n}\n',
        'module "m" {\n  source       = "../module"\n  project_name = "my-app"\n  stage        = "prod"\n  rollouts     = var.rollouts\n}\n',
        'output "routes" {\n  value = module.m.routes\n}\n',
        'output "descriptions" {\n  value = module.m.descriptions\n}\n',
      ].join("\n"),
    );
    const init = tf(["init", "-input=false", "-no-color"]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("every step routes and describes the alias as src/deploy/rollout.ts does: none, 0 (rolled back), 10, 50, 100", () => {
    const steps: Record<string, Rollout | undefined> = {
      "order-processing": { previousVersion: 1, weight: 10 },
      sequential: { previousVersion: 2, weight: 0 },
      parallel: { previousVersion: 3, weight: 100 },
      map: { previousVersion: 4, weight: 50 },
      choice: undefined,
    };
    const given = Object.fromEntries(Object.entries(steps).flatMap(([w, r]) => (r ? [[w, { previous_version: r.previousVersion, weight: r.weight }]] : [])));
    const r = plan(given);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const shown = JSON.parse(tf(["show", "-json", "p.tfplan"]).stdout) as { planned_values: { outputs: Record<string, { value: Record<string, unknown> }> } };
    const { routes, descriptions } = shown.planned_values.outputs;
    for (const [w, rollout] of Object.entries(steps)) {
      expect([w, routes.value[w]]).toEqual([w, aliasRoutes(rollout).map((x) => ({ version: String(x.version), weight: x.weight }))]);
      expect(descriptions.value[w]).toBe(aliasDescription("prod", rollout));
    }
  }, 60_000);

  const planErrors = (rollouts: unknown) => {
    const r = plan(rollouts);
    expect(r.status).not.toBe(0);
    return r.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { type: string; diagnostic?: { severity: string; detail: string } })
      .filter((m) => m.type === "diagnostic" && m.diagnostic?.severity === "error")
      .map((m) => m.diagnostic!.detail.split("\n\n")[0]);
  };
  const problem = (variable: string, value: string) => parseRollout(variable, value) as string;

  // Separate plans: OpenTofu reports only the first failing validation of a variable, Terraform each.
  test("a workflow without an alias fails plan with the catalogue's message", () => {
    expect(planErrors({ "order-processin": { previous_version: 1, weight: 10 }, "order-processing": { previous_version: 1, weight: 10 } })).toEqual([
      `rollouts: ${new UnknownWorkflowError("order-processin", WORKFLOW_NAMES).message}`,
    ]);
  }, 60_000);

  test("bad values fail plan with the project's message for each, as the ROLLOUT_* value it would be", () => {
    const errors = planErrors({
      "order-processing": { previous_version: 1, weight: 150 },
      sequential: { previous_version: 0, weight: 10 },
      parallel: { previous_version: 1.5, weight: 10 },
      map: { previous_version: null, weight: 10 },
      choice: { previous_version: 2, weight: 0 },
    });
    // One message, each entry in key order (Terraform goes through a map so).
    expect(errors).toEqual([
      [
        problem("ROLLOUT_MAP", "previous=null,weight=10"),
        problem("ROLLOUT_ORDER_PROCESSING", "previous=1,weight=150"),
        problem("ROLLOUT_PARALLEL", "previous=1.5,weight=10"),
        problem("ROLLOUT_SEQUENTIAL", "previous=0,weight=10"),
      ].join(" "),
    ]);
  }, 60_000);
});

test("Terraform is there when required", () => {
  if (required) expect(found).toBe(true);
});
