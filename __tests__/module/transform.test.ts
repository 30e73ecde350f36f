/**
 * The module pipeline without Terraform: stage values become expressions, a
 * surviving sentinel is named, templates that branch on a stage value are
 * refused with their line, and the name-limit validations say what the
 * project's own validation says.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handlerOf, workflowOf } from "../../src/module/build";
import { SENTINELS } from "../../src/module/sentinel";
import { stageDependentLines, assertNoStageBranches } from "../../src/module/templates";
import { alignDocs } from "../../src/module/align";
import { assertNoSentinel, transformStack, type JsonObject } from "../../src/module/transform";
import { variablesTf } from "../../src/module/variables";
import { exampleRoot, fillTags } from "../../src/module/examples";
import { loadStageConfig } from "../../src/config/stage";
import { moduleInputs } from "../../src/module/inputs";

const s = SENTINELS[0];

/** A stack as synthesis writes it for the sentinel stage, with every kind of stage value. */
function stack(): JsonObject {
  return {
    "//": { metadata: {} },
    terraform: { backend: { local: { path: "x" } }, required_providers: { aws: { source: "aws", version: "~> 6.25" } } },
    provider: { aws: [{ region: s.region, default_tags: [{ tags: { Owner: s.owner, project: s.projectName, stage: s.stage } }] }] },
    data: { aws_iam_policy_document: { t: { statement: [{ resources: [`arn:aws:states:${s.region}:1:stateMachine:${s.projectName}-${s.stage}-map`] }] } } },
    resource: {
      aws_cloudwatch_log_group: { map_state_machine: { "//": { metadata: {} }, name: `/aws/vendedlogs/states/${s.projectName}-${s.stage}-map`, retention_in_days: s.logRetentionDays, tags: { workflow: "map" } } },
      aws_lambda_function: {
        f: {
          function_name: `${s.projectName}-${s.stage}-f`,
          filename: "assets/f/1/f.zip",
          reserved_concurrent_executions: s.lambdaReservedConcurrency,
          environment: { variables: { LOG_LEVEL: s.logLevel, STAGE: s.stage } },
        },
      },
      aws_sfn_state_machine: {
        map: {
          name: `${s.projectName}-${s.stage}-map`,
          definition: JSON.stringify({ Comment: `${s.projectName} (${s.stage})` }),
          logging_configuration: { include_execution_data: s.logExecutionData, level: "ALL" },
        },
      },
      aws_sfn_alias: { map: { name: s.stage, description: `${s.stage}: alias` } },
      aws_iam_role_policy_attachment: { map: { role: "r", policy_arn: "p" } },
      aws_sns_topic_subscription: { alarms_email: { endpoint: s.alarmEmail, protocol: "email", topic_arn: "t" } },
    },
    output: { map_alias_arn: { description: `Start map executions here (the ${s.stage} alias).`, value: "${aws_sfn_alias.map.arn}" } },
  };
}

describe("transformStack", () => {
  const t = transformStack(stack(), s);
  const r = t.doc.resource as Record<string, Record<string, JsonObject>>;

  test("names, ARNs and definitions take the prefix, the variables and the caller's region", () => {
    expect(r.aws_sfn_state_machine.map.name).toBe("${local.prefix}-map");
    expect(r.aws_sfn_state_machine.map.definition).toBe(JSON.stringify({ Comment: "${var.project_name} (${var.stage})" }));
    expect(r.aws_sfn_alias.map.name).toBe("${var.stage}");
    const data = t.doc.data as Record<string, Record<string, JsonObject>>;
    expect(JSON.stringify(data.aws_iam_policy_document.t)).toContain("arn:aws:states:${data.aws_region.current.name}:1:stateMachine:${local.prefix}-map");
  });

  test("settings become variables where they are used", () => {
    expect(r.aws_cloudwatch_log_group.map_state_machine.retention_in_days).toBe("${var.log_retention_days}");
    expect(r.aws_lambda_function.f.reserved_concurrent_executions).toBe("${var.lambda_reserved_concurrency}");
    expect((r.aws_lambda_function.f.environment as JsonObject).variables).toEqual({ LOG_LEVEL: "${var.log_level}", STAGE: "${var.stage}" });
    expect((r.aws_sfn_state_machine.map.logging_configuration as JsonObject).include_execution_data).toBe("${var.log_execution_data}");
    expect(r.aws_sns_topic_subscription.alarms_email).toMatchObject({ endpoint: "${var.alarm_email}", count: "${var.alarm_email == null ? 0 : 1}" });
    expect(r.aws_lambda_function.f.filename).toBe("${path.module}/assets/f/1/f.zip");
  });

  test("tags: local.tags on every taggable resource, merged with its own; none on untaggable types", () => {
    expect(r.aws_cloudwatch_log_group.map_state_machine.tags).toBe("${merge(local.tags, local.own_tags.cloudwatch_log_group_map_state_machine)}");
    expect(r.aws_lambda_function.f.tags).toBe("${length(local.tags) > 0 ? local.tags : null}");
    expect(r.aws_iam_role_policy_attachment.map.tags).toBeUndefined();
    expect((t.doc.locals as JsonObject).own_tags).toEqual({ cloudwatch_log_group_map_state_machine: { workflow: "map" } });
  });

  test("no backend, no provider, no cdktf metadata; output descriptions are literal text", () => {
    expect(Object.keys(t.doc).sort()).toEqual(["data", "locals", "resource"]);
    expect(JSON.stringify(t.doc)).not.toContain('"//"');
    expect(t.outputs.map_alias_arn).toEqual({ description: "Start map executions here (the <stage> alias).", value: "${aws_sfn_alias.map.arn}" });
    expect(t.defaultTags).toEqual({ Owner: "{owner}", project: "{project}", stage: "{stage}" });
    expect(t.providerVersion).toBe("~> 6.25");
  });

  test("the two sentinels give the same module", () => {
    const other = JSON.parse(JSON.stringify(stack()).split(s.projectName).join(SENTINELS[1].projectName).split(s.stage).join(SENTINELS[1].stage).split(s.region).join(SENTINELS[1].region).split(s.alarmEmail).join(SENTINELS[1].alarmEmail)) as JsonObject;
    const res = other.resource as Record<string, Record<string, JsonObject>>;
    res.aws_cloudwatch_log_group.map_state_machine.retention_in_days = SENTINELS[1].logRetentionDays;
    res.aws_lambda_function.f.reserved_concurrent_executions = SENTINELS[1].lambdaReservedConcurrency;
    (res.aws_lambda_function.f.environment as { variables: JsonObject }).variables.LOG_LEVEL = SENTINELS[1].logLevel;
    (res.aws_sfn_state_machine.map.logging_configuration as JsonObject).include_execution_data = SENTINELS[1].logExecutionData;
    const u = transformStack(other, SENTINELS[1]);
    expect(alignDocs(t.doc, u.doc, []).differences).toEqual([]);
    // A value that depends on the stage by another way is named.
    (res.aws_sfn_alias.map as JsonObject).description = "prod-only text";
    expect(alignDocs(t.doc, transformStack(other, SENTINELS[1]).doc, []).differences).toEqual(['resource.aws_sfn_alias.map.description: "${var.stage}: alias" vs "prod-only text"']);
  });

  test("a sentinel that survives is named with its place", () => {
    expect(() => assertNoSentinel({ resource: { x: { y: { description: `owned by ${s.owner}` } } } }, s)).toThrow(
      `module: the stage value "${s.owner}" (sentinel) is still in resource.x.y.description: "owned by ${s.owner}"`,
    );
  });
});

describe("templates that branch on a stage value", () => {
  const dir = mkdtempSync(join(tmpdir(), "module-templates-"));
  mkdirSync(join(dir, "partials"));
  writeFileSync(join(dir, "ok.asl.json.hbs"), '{"Comment": "{{PROJECT_NAME}} ({{STAGE}})", "Resource": "{{lambda "f"}}"}\n');
  writeFileSync(join(dir, "partials", "bad.hbs"), 'line one\n  {{#if (eq STAGE "prod")}}"Retry": []{{/if}}\n');

  test("are named by file and line; plain substitutions and helpers on other values are fine", () => {
    const lines = stageDependentLines(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/partials\/bad\.hbs:2: \{\{#if \(eq STAGE "prod"\)\}\}$/);
    expect(() => assertNoStageBranches(dir)).toThrow(/bad\.hbs:2: .* makes the template's output depend on a stage value/);
  });

  test("the shipped templates have none", () => {
    expect(stageDependentLines()).toEqual([]);
  });
});

test("resources go to the file of the workflow their address starts with", () => {
  expect(workflowOf("order_processing_bridge")).toBe("order-processing");
  expect(workflowOf("map_state_machine")).toBe("map");
  expect(workflowOf("validate_order")).toBeUndefined();
  expect(workflowOf("stage")).toBeUndefined();
  expect(handlerOf("validate_order")).toBe("validate-order");
  expect(handlerOf("validate_order_trust")).toBe("validate-order");
  expect(handlerOf("alarms_topic_policy")).toBeUndefined();
});

test("each name-limit validation states the limit the project checks, with the project's wording", () => {
  const tf = variablesTf();
  const long = `p${"a".repeat(69)}`;
  let message = "";
  try {
    loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "module-env-")), env: { PROJECT_NAME: long } });
  } catch (error) {
    message = (error as Error).message;
  }
  // The project's message for the state machine limit, and the validation's template for it.
  expect(message).toContain(`PROJECT_NAME and STAGE make "${long}-dev-order-processing" 91 characters long; state machine names allow at most 80. Shorten PROJECT_NAME ("${long}") or STAGE ("dev") by 11.`);
  expect(tf).toContain(
    'error_message = "PROJECT_NAME and STAGE make \\"${var.project_name}-${var.stage}-order-processing\\" ${length(var.project_name) + length(var.stage) + 18} characters long; state machine names allow at most 80.',
  );
});

test("an example root sets the stage's provider region and default tags, and the module's inputs", () => {
  const c = loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "module-env-")), env: { STAGE: "prod", ALARM_EMAIL: "ops@example.com" } });
  const text = exampleRoot(c, { Owner: "{owner}", project: "{project}", name: "{project}-{stage}" }, "~> 6.25", "../../module");
  expect(fillTags({ a: "{project}-{stage}" }, c)).toEqual({ a: "my-app-prod" });
  expect(text).toContain('region = "us-east-1"');
  expect(text).toContain('name    = "my-app-prod"');
  expect(text).toContain('module "sfn_workflows" {\n  source = "../../module"\n\n  project_name                = "my-app"\n  stage                       = "prod"');
  expect(text).toContain('alarm_email                 = "ops@example.com"');
});

test("a declared resource created in one configured stage and given by ARN in another is refused, naming both stages", () => {
  const dev = loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "module-env-")), env: { STAGE: "dev" } });
  const prod = loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "module-env-")), env: { STAGE: "prod", RESOURCE_ORDERS_ARN: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders" } });
  expect(moduleInputs([dev, { ...dev, stage: "qa" }]).existing).toEqual([]);
  expect(moduleInputs([prod, { ...prod, stage: "prod2" }]).existing.map((d) => d.name)).toEqual(["orders"]);
  expect(() => moduleInputs([dev, prod])).toThrow(
    'module: declared resource "orders" is given by ARN in "prod" (RESOURCE_ORDERS_ARN) and created in "dev". The module is one definition for every stage',
  );
});
