/**
 * The module's inputs beyond the built-in settings, without Terraform: the
 * team's stage variables (variables, validations, the two values the sentinel
 * stages get, where the value went found by alignment) and existing declared
 * resources (variables, the sentinel ARN and the texts it leaves, locals,
 * example arguments). __tests__/module/validations.test.ts runs the
 * validations in Terraform.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig, stageVariableProblem } from "../../src/config/stage";
import { alignDocs, alignStrings } from "../../src/module/align";
import { regionData } from "../../src/module/build";
import { moduleArguments } from "../../src/module/examples";
import { existingLocals, inputPieces, inputsEnv, moduleInputs, NO_INPUTS } from "../../src/module/inputs";
import { ARN_SETTING, arnPattern, type ResourceSetting } from "../../src/module/resource-variables";
import { SENTINELS } from "../../src/module/sentinel";
import { re2Obstacle, rule2Re2, teamSentinelValues, teamValidations, uncheckedRules } from "../../src/module/team-variables";
import { stageDependentLines } from "../../src/module/templates";
import { assertNoSentinel, transformStack, type JsonObject } from "../../src/module/transform";
import { variablesTf, variableTable } from "../../src/module/variables";
import type { DeclaredResource } from "../../workflows/resources";
import type { StageVariable } from "../../workflows/stage-variables";

const MODE: StageVariable = { name: "PAYMENT_MODE", description: "Payment environment.", rule: ["sandbox", "live"], default: "sandbox" };
const REGION_CODE: StageVariable = { name: "REGION_CODE", description: "Short region code.", rule: /^[a-z]{2}[0-9]$/, default: "eu1" };
const LOOKAHEAD: StageVariable = { name: "TENANT", description: "Tenant id.", rule: /^(?!admin)[a-z]+$/, default: "acme" };
const TABLE: DeclaredResource = { kind: "dynamodb-table", name: "orders", description: "Orders.", partitionKey: { name: "orderId", type: "S" } };
const SECRET: DeclaredResource = { kind: "secret", name: "api-key", description: "The partner's API key.", existing: true };
const fresh = () => mkdtempSync(join(tmpdir(), "module-inputs-"));

describe("team stage variables", () => {
  test("the two sentinel values pass the rule and differ; for a list, the default and another value", () => {
    expect(teamSentinelValues(MODE)).toEqual(["sandbox", "live"]);
    const [a, b] = teamSentinelValues(REGION_CODE);
    expect(a).toBe("eu1");
    expect(b).not.toBe(a);
    expect(stageVariableProblem(REGION_CODE, b)).toBeUndefined();
    expect(b.includes(a) || a.includes(b)).toBe(false);
  });

  test("a pattern with only one valid value is refused, naming the variable", () => {
    expect(() => teamSentinelValues({ name: "ONLY", description: "x", rule: /^only$/, default: "only" })).toThrow(/stage variable ONLY has one valid value .* it needs a second one that passes \/\^only\$\//);
  });

  test("a list becomes contains(), a pattern RE2 (first match is the whole value), with the project's messages", () => {
    const [rule] = teamValidations({ decl: MODE, variable: "payment_mode" });
    expect(rule[0]).toBe('contains(["sandbox", "live"], var.payment_mode)');
    expect(rule[1]).toBe(`"PAYMENT_MODE must be one of sandbox, live (Payment environment.; workflows/stage-variables.ts). Received: \${jsonencode(var.payment_mode)}"`);
    expect(teamValidations({ decl: MODE, variable: "payment_mode" })).toHaveLength(1);
    const checks = teamValidations({ decl: REGION_CODE, variable: "region_code" });
    expect(checks[0][0]).toBe('try(regex("(^[a-z]{2}[0-9]$)", var.region_code)[0] == var.region_code, false)');
    expect(checks[1][1]).toContain("REGION_CODE must not hold a quote, a backslash or a control character");
  });

  test("a pattern RE2 lacks is not checked by Terraform, and that is said", () => {
    expect(re2Obstacle(LOOKAHEAD.rule as RegExp)).toMatch(/lookaround/);
    expect(re2Obstacle(/^(a)\1$/)).toMatch(/back-reference/);
    expect(re2Obstacle(/^a$/y)).toMatch(/the y flag/);
    expect(rule2Re2(/^caf\u00e9$/i)).toBe("(?i)^caf\\x{00e9}$");
    expect(rule2Re2(/^(?<code>[a-z]+)$/)).toBe("^(?:[a-z]+)$");
    const checks = teamValidations({ decl: LOOKAHEAD, variable: "tenant" });
    expect(checks).toHaveLength(1);
    expect(checks[0][1]).toContain("TENANT must not hold a quote");
    expect(uncheckedRules([MODE, REGION_CODE, LOOKAHEAD])).toEqual([expect.stringMatching(/^TENANT: .* uses a lookaround .* the module checks only that the value holds no quote/)]);
    const tf = variablesTf(moduleInputs([], { variables: [LOOKAHEAD], resources: [] }));
    expect(tf).toContain("Its rule /^(?!admin)[a-z]+$/ is not checked by Terraform");
  });

  test("variables.tf declares each with its default and validations; names that collide are refused", () => {
    const inputs = moduleInputs([], { variables: [MODE, REGION_CODE], resources: [] });
    const tf = variablesTf(inputs);
    expect(tf).toMatch(/variable "payment_mode" \{\n {2}type {8}= string\n {2}description = ".*"\n {2}default {5}= "sandbox"\n\n {2}validation \{/);
    expect(tf).toContain('variable "region_code" {');
    expect(variableTable(inputs).map((v) => v.name).slice(-2)).toEqual(["payment_mode", "region_code"]);
    const tags = moduleInputs([], { variables: [{ name: "TAGS", description: "x", rule: ["a", "b"], default: "a" }], resources: [] });
    expect(() => variablesTf(tags)).toThrow('module: the module variable "tags" would stand for both a built-in setting and a stage variable of workflows/stage-variables.ts.');
  });

  test("a template that branches on a team variable is refused with its line; as text it is fine", () => {
    const dir = fresh();
    mkdirSync(join(dir, "partials"));
    writeFileSync(join(dir, "a.asl.json.hbs"), '{"Comment": "{{PAYMENT_MODE}}",\n "x": {{#if (eq PAYMENT_MODE "live")}}1{{else}}2{{/if}}}\n');
    expect(stageDependentLines(dir, ["PAYMENT_MODE"])).toEqual([expect.stringMatching(/a\.asl\.json\.hbs:2: \{\{#if \(eq PAYMENT_MODE "live"\)\}\}$/)]);
    expect(stageDependentLines(dir, [])).toEqual([]);
  });
});

describe("alignment of the two sentinel syntheses", () => {
  const holes = [{ expression: "${var.payment_mode}", values: ["sandbox", "live"] as const }];

  test("the places of the value become the variable; the same text elsewhere stays text", () => {
    expect(alignStrings('{"Mode":"sandbox","Logs":"delivery","Note":"sandbox"}', '{"Mode":"live","Logs":"delivery","Note":"sandbox"}', holes)).toBe(
      '{"Mode":"${var.payment_mode}","Logs":"delivery","Note":"sandbox"}',
    );
    expect(alignStrings("sandbox mode: sandbox", "sandbox mode: live", holes)).toBe("sandbox mode: ${var.payment_mode}");
    // Values that share a beginning.
    const shared = [{ expression: "${var.x}", values: ["live-eu", "live-us"] as const }];
    expect(alignStrings("a live-eu b live-x", "a live-us b live-x", shared)).toBe("a ${var.x} b live-x");
    expect(alignStrings("x".repeat(50_000) + "sandbox", "x".repeat(50_000) + "live", holes)).toBe(`${"x".repeat(50_000)}\${var.payment_mode}`);
  });

  test("a difference no value explains is named with its place", () => {
    expect(alignStrings("prod-only", "other", holes)).toBeUndefined();
    const r = alignDocs({ a: { b: ["sandbox", 1] } }, { a: { b: ["live", 2] } }, holes);
    expect(r.doc).toEqual({ a: { b: ["${var.payment_mode}", 1] } });
    expect(r.differences).toEqual(["a.b[1]: 1 vs 2"]);
    expect(alignDocs({ a: [1] }, { a: [1, 2] }, holes).differences).toEqual(["a: [1] vs [1,2]"]);
  });
});

describe("existing declared resources", () => {
  const s = SENTINELS[0];
  const stage = (env: Record<string, string>) => loadStageConfig({ cwd: fresh(), env });

  test("an existing: true resource is an input whatever the stages; a required variable validated in order", () => {
    const inputs = moduleInputs([], { variables: [], resources: [TABLE, SECRET] });
    expect(inputs.existing.map((d) => d.name)).toEqual(["api-key"]);
    const tf = variablesTf(inputs);
    expect(tf).toMatch(/variable "api_key_arn" \{\n {2}type {8}= string\n {2}description = "ARN of the existing secret \\"api-key\\" \(RESOURCE_API_KEY_ARN\): .*"\n {2}nullable {4}= false\n/);
    const checks = ARN_SETTING.validations(SECRET);
    expect(checks.map(([, m]) => /RESOURCE_API_KEY_ARN must (be an ARN of the|be an ARN|have a 12-digit|name a resource)/.exec(m)?.[1])).toEqual(["be an ARN", "be an ARN of the", "have a 12-digit", "name a resource"]);
    // Each check only when the ones before pass.
    expect(checks[3][0].startsWith(`!((${checks[0][0]}) && `)).toBe(true);
    expect(ARN_SETTING.validations({ kind: "s3-bucket", name: "receipts", description: "r" })[2][1]).toContain("must have empty region and account fields, as S3 bucket ARNs do");
  });

  test("the ARN pattern is the project's resource part after five fields", () => {
    expect(arnPattern(TABLE)).toBe("^(?:[^:]*:){5}table/([A-Za-z0-9_.-]{3,255})$");
    const sentinel = ARN_SETTING.sentinel(SECRET, s, 0, 0).value;
    expect(new RegExp(arnPattern(SECRET)).exec(sentinel)?.[1]).toBe("modres-api-key");
  });

  test("each sentinel stage gets a valid ARN in its region; the ARN, name and account it leaves become expressions", () => {
    const queue: DeclaredResource = { kind: "sqs-queue", name: "jobs", description: "Jobs." };
    const inputs = moduleInputs([], { variables: [MODE], resources: [TABLE, { ...queue, existing: true }, SECRET] });
    const env = inputsEnv(inputs, s, 0);
    expect(env).toMatchObject({ PAYMENT_MODE: "sandbox", RESOURCE_JOBS_ARN: `arn:aws:sqs:${s.region}:739100000000:modres-jobs`, RESOURCE_API_KEY_ARN: `arn:aws:secretsmanager:${s.region}:739100000001:secret:modres-api-key-Mq7Zx2` });
    // The sentinel configuration is one the project accepts.
    expect(() => loadStageConfig({ cwd: fresh(), env: { REGION: s.region, RESOURCE_ORDERS_ARN: env.RESOURCE_JOBS_ARN.replace("sqs", "dynamodb").replace("modres-jobs", "table/modres-orders") } })).not.toThrow();
    const pieces = inputPieces(inputs, s, 0);
    expect(pieces.slice(0, 4)).toEqual([
      [env.RESOURCE_JOBS_ARN, "${var.jobs_arn}"],
      [`https://sqs.${s.region}.amazonaws.com/739100000000/modres-jobs`, "${local.existing_resources.jobs.url}"],
      ["modres-jobs", "${local.existing_resources.jobs.name}"],
      ["739100000000", "${local.existing_resources.jobs.account_id}"],
    ]);
    const stack: JsonObject = {
      provider: { aws: [{ region: s.region }] },
      resource: {
        aws_cloudwatch_log_group: { g: { retention_in_days: s.logRetentionDays } },
        aws_lambda_function: { f: { reserved_concurrent_executions: s.lambdaReservedConcurrency, environment: { variables: { LOG_LEVEL: s.logLevel } } } },
        aws_sfn_state_machine: { m: { logging_configuration: { include_execution_data: s.logExecutionData }, definition: JSON.stringify({ QueueUrl: pieces[1][0], Name: "modres-jobs", Secret: env.RESOURCE_API_KEY_ARN }) } },
        aws_sns_topic_subscription: { e: { endpoint: s.alarmEmail } },
        aws_iam_policy: { p: { policy: `["${env.RESOURCE_JOBS_ARN}","${env.RESOURCE_API_KEY_ARN}"]` } },
      },
      output: { jobs: { description: "Messages go to modres-jobs.", value: pieces[1][0] } },
    };
    const t = transformStack(stack, s, pieces);
    const r = t.doc.resource as Record<string, Record<string, JsonObject>>;
    expect(JSON.parse(r.aws_sfn_state_machine.m.definition as string)).toEqual({ QueueUrl: "${local.existing_resources.jobs.url}", Name: "${local.existing_resources.jobs.name}", Secret: "${var.api_key_arn}" });
    expect(r.aws_iam_policy.p.policy).toBe('["${var.jobs_arn}","${var.api_key_arn}"]');
    expect(t.outputs.jobs).toEqual({ description: "Messages go to <local.existing_resources.jobs.name>.", value: "${local.existing_resources.jobs.url}" });
    // A text of the sentinel's inputs that survives is named.
    expect(() => assertNoSentinel({ x: "account 739100000000" }, s, pieces.map(([text]) => text))).toThrow('module: the stage value "739100000000" (sentinel) is still in x');
  });

  test("locals read the name, account and URL from the ARN; region and partition are postconditions of the region data source", () => {
    const inputs = moduleInputs([], { variables: [], resources: [{ kind: "sqs-queue", name: "jobs", description: "Jobs.", existing: true } as DeclaredResource] });
    expect(existingLocals(inputs)).toEqual({
      jobs: {
        name: '${regex("^(?:[^:]*:){5}([A-Za-z0-9_-]{1,80}(?:\\\\.fifo)?)$", var.jobs_arn)[0]}',
        account_id: '${split(":", var.jobs_arn)[4]}',
        url: 'https://sqs.${split(":", var.jobs_arn)[3]}.${split(":", var.jobs_arn)[1] == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}/${split(":", var.jobs_arn)[4]}/${regex("^(?:[^:]*:){5}([A-Za-z0-9_-]{1,80}(?:\\\\.fifo)?)$", var.jobs_arn)[0]}',
      },
    });
    const data = regionData(inputs);
    expect(data).toContain("condition     = split(\":\", var.jobs_arn)[1] == data.aws_partition.current.partition");
    expect(data).toContain('error_message = "RESOURCE_JOBS_ARN must be in the partition of REGION ${self.name} (${jsonencode(data.aws_partition.current.partition)}), not \\"${split(":", var.jobs_arn)[1]}\\"');
    expect(data).toContain('error_message = "RESOURCE_JOBS_ARN must be in REGION ${self.name} (the stage\'s state machines call it there), not \\"${split(":", var.jobs_arn)[3]}\\"');
    expect(regionData(NO_INPUTS)).toBe('data "aws_region" "current" {}\n');
  });

  test("another per-resource setting is one more entry: a variable when every configured stage sets it, refused when some do", () => {
    const arn = "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders";
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const keys: Record<string, string> = { prod: key, prod2: key };
    const KEY_SETTING: ResourceSetting = {
      ...ARN_SETTING,
      always: false,
      key: (decl) => `RESOURCE_${decl.name.toUpperCase()}_KMS_KEY_ARN`,
      variable: (decl) => `${decl.name}_kms_key_arn`,
      locals: () => ({}),
      stageValue: (c) => keys[c.stage],
    };
    const settings = [ARN_SETTING, KEY_SETTING];
    const prod = stage({ STAGE: "prod", RESOURCE_ORDERS_ARN: arn });
    const both = moduleInputs([prod, { ...prod, stage: "prod2" }], { settings });
    expect(both.settings.map(({ decl, setting }) => setting.variable(decl))).toEqual(["orders_arn", "orders_kms_key_arn"]);
    expect(moduleArguments(prod, both).slice(-2)).toEqual([
      ["orders_arn", JSON.stringify(arn)],
      ["orders_kms_key_arn", JSON.stringify(key)],
    ]);
    expect(moduleInputs([{ ...prod, stage: "qa" }], { settings }).settings.map(({ decl, setting }) => setting.variable(decl))).toEqual(["orders_arn"]);
    expect(() => moduleInputs([prod, { ...prod, stage: "qa" }], { settings })).toThrow('module: declared resource "orders" has RESOURCE_ORDERS_KMS_KEY_ARN set in "prod" and not in "qa".');
  });

  test("the example root passes the stage's ARN and team values", () => {
    const arn = "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders";
    const c = stage({ STAGE: "prod", RESOURCE_ORDERS_ARN: arn, PAYMENT_MODE: "live" });
    const inputs = moduleInputs([c]);
    expect(inputs.existing.map((d) => d.name)).toEqual(["orders"]);
    expect(moduleArguments(c, inputs).slice(-2)).toEqual([
      ["payment_mode", '"live"'],
      ["orders_arn", JSON.stringify(arn)],
    ]);
  });
});
