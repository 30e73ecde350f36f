import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors";
import { WORKFLOWS } from "../../workflows/catalogue";
import { readEnvFile } from "./env-file";
import { LIMITS, RESERVED_WORKFLOW_NAMES, names } from "./naming";
import { listHandlers } from "./handlers";
import { type Rollout, parseRollout, rolloutVariable } from "../deploy/rollout";
import { bucketNameRule, dynamoTableNameRule, kmsKeyRule, regionRule, tagValueRule } from "./aws-rules";
import { editDistance, partitionOf } from "./regions";
import { STAGE_VARIABLES, type StageVariable } from "../../workflows/stage-variables";
import { REPO_ROOT } from "./handlers";
import { RESOURCES, resourceArnVariable, resourceKmsKeyVariable } from "../../workflows/resources";
import { type ExistingResource, existingResources, resourceDeclarationProblems } from "./resources";

export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where Terraform keeps the stage's state. */
export type BackendConfig =
  | { readonly type: "local"; readonly path: string }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      readonly kmsKeyId?: string;
      /** Legacy DynamoDB locking; S3 native locking (use_lockfile) is always on. */
      readonly dynamodbTable?: string;
    };

export interface StageConfig {
  readonly projectName: string;
  readonly stage: string;
  readonly region: string;
  readonly owner: string;
  readonly logLevel: LogLevel;
  /** E-mail address subscribed to the stage's alarm topic, when set. */
  readonly alarmEmail?: string;
  /** CloudWatch Logs retention for every log group. @default 365 (checkov CKV_AWS_338) */
  readonly logRetentionDays: number;
  /** Whether state machine logs include execution data (inputs and outputs may hold personal data). @default true */
  readonly logExecutionData: boolean;
  /** Reserved concurrency of each Lambda function. @default 10 */
  readonly lambdaReservedConcurrency: number;
  readonly backend: BackendConfig;
  /** Gradual rollouts in progress, by workflow (ROLLOUT_<WORKFLOW>; see src/deploy/rollout.ts). @default none */
  readonly rollouts: Readonly<Record<string, Rollout>>;
  /**
   * Declared resources (workflows/resources.ts) this stage uses as existing ones, by name; the rest are created.
   * Parsed by existingResources (src/config/resources.ts) from RESOURCE_<NAME>_ARN and RESOURCE_<NAME>_KMS_KEY_ARN. @default none
   */
  readonly resources: Readonly<Record<string, ExistingResource>>;
  /** The team's own stage variables (workflows/stage-variables.ts), by name. @default their defaults */
  readonly variables: Readonly<Record<string, string>>;
  /** Problems that do not stop synthesis: a key in a stage file that nobody declared, with the closest known one. @default none */
  readonly warnings: readonly string[];
  /** The `.env` files that were read, in order. */
  readonly sources: readonly string[];
}

/** The values the templates see (and the team's own stage variables, by name). */
export interface TemplateVariables {
  readonly [variable: string]: string;
  readonly PROJECT_NAME: string;
  readonly STAGE: string;
  readonly REGION: string;
  readonly OWNER: string;
  readonly LOG_LEVEL: LogLevel;
}

/** Embedded defaults: a fresh clone renders and synthesizes with no configuration at all. */
export const DEFAULTS: Readonly<Record<string, string>> = {
  PROJECT_NAME: "my-app",
  STAGE: "dev",
  REGION: "us-east-1",
  OWNER: "platform-team",
  LOG_LEVEL: "INFO",
  LOG_RETENTION_DAYS: "365",
  SFN_LOG_EXECUTION_DATA: "true",
  LAMBDA_RESERVED_CONCURRENCY: "10",
  STATE_BACKEND: "local",
};

/** CloudWatch Logs accepts only these retention values. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
export const NAME_PART = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface LoadOptions {
  /** Folder holding `.env` and `.env.<stage>` (local, ignored by git). @default the current directory */
  readonly cwd?: string;
  /** Folder holding the committed `<stage>.env` files. @default stages/ in the repository */
  readonly stagesDir?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Load this stage (overrides STAGE). */
  readonly stage?: string;
}

/**
 * Loads one stage: embedded defaults < `.env` < `stages/<stage>.env`
 * (committed, no secrets) < `.env.<stage>` (local: secrets, personal
 * overrides) < the environment. Every problem is reported at once, each with
 * the variable, the value and the rule.
 */
export function loadStageConfig(options: LoadOptions = {}): StageConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const sources: string[] = [];
  const files: Array<{ file: string; values: Record<string, string> }> = [];
  const read = (path: string, shown: string) => {
    const values = readEnvFile(path);
    if (values) {
      sources.push(shown);
      files.push({ file: shown, values });
    }
    return values ?? {};
  };
  const base = read(join(cwd, ".env"), ".env");
  const stage = options.stage ?? nonEmpty(env.STAGE) ?? base.STAGE ?? DEFAULTS.STAGE;
  const stagesDir = options.stagesDir ?? join(REPO_ROOT, "stages");
  const committed = NAME_PART.test(stage) ? read(join(stagesDir, `${stage}.env`), `stages/${stage}.env`) : {};
  const perStage = NAME_PART.test(stage) ? read(join(cwd, `.env.${stage}`), `.env.${stage}`) : {};
  const pick = (key: string): string | undefined =>
    key === "STAGE" ? stage : nonEmpty(env[key]) ?? perStage[key] ?? committed[key] ?? base[key] ?? DEFAULTS[key];
  const config = validate(pick, sources);
  return { ...config, warnings: files.flatMap(({ file, values }) => unknownKeyWarnings(file, Object.keys(values))) };
}

/**
 * The stages to synthesize: STAGES (comma-separated), else the single STAGE.
 * Each stage listed in STAGES needs configuration of its own, `stages/<stage>.env`
 * or `.env.<stage>`: a typo in STAGES must not become a silent default stack.
 */
export function loadStageConfigs(options: Omit<LoadOptions, "stage"> = {}): StageConfig[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const base = readEnvFile(join(cwd, ".env")) ?? {};
  const list = nonEmpty(env.STAGES) ?? base.STAGES;
  if (!list) return [loadStageConfig(options)];
  const stages = list.split(",").map((s) => s.trim()).filter(Boolean);
  const duplicates = stages.filter((s, i) => stages.indexOf(s) !== i);
  if (stages.length === 0 || duplicates.length > 0) {
    throw new ConfigError([`STAGES must be a comma-separated list of distinct stage names. Received: "${list}"`]);
  }
  const stagesDir = options.stagesDir ?? join(REPO_ROOT, "stages");
  const unconfigured = stages.filter((stage) => !existsSync(join(stagesDir, `${stage}.env`)) && !existsSync(join(cwd, `.env.${stage}`)));
  if (unconfigured.length > 0) {
    const known = stageFiles(stagesDir);
    throw new ConfigError(
      unconfigured.map(
        (stage) =>
          `STAGES lists "${stage}", which has no configuration of its own: create stages/${stage}.env (committed, no secrets) or .env.${stage} (local)` +
          (known.length > 0 ? `, or fix the name (configured stages: ${known.join(", ")})` : "") +
          `. Received: STAGES=${JSON.stringify(list)}`,
      ),
    );
  }
  return stages.map((stage) => loadStageConfig({ ...options, stage }));
}

function stageFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".env")).map((f) => f.slice(0, -4)).sort();
  } catch {
    return [];
  }
}

/** Every key a stage file may set. */
export function knownKeys(): string[] {
  return [
    ...Object.keys(DEFAULTS),
    "STAGES",
    "ALARM_EMAIL",
    "STATE_BUCKET",
    "STATE_REGION",
    "STATE_KMS_KEY_ID",
    "STATE_LOCK_TABLE",
    "BOOTSTRAP",
    ...WORKFLOWS.map((w) => rolloutVariable(w.name)),
    ...RESOURCES.flatMap((r) => [resourceArnVariable(r.name), resourceKmsKeyVariable(r.name)]),
    ...STAGE_VARIABLES.map((v) => v.name),
  ];
}

/** A key nobody declared: a warning naming the closest known key (`LOG_LEVL` -> `LOG_LEVEL`). */
function unknownKeyWarnings(file: string, keys: readonly string[]): string[] {
  const known = knownKeys();
  return keys
    .filter((key) => !known.includes(key))
    .map((key) => {
      const closest = [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
      return `${file}: ${key} is not a known setting, so it has no effect. Did you mean ${closest}? (Declare a stage variable of your own in workflows/stage-variables.ts.)`;
    });
}

export function templateVariables(c: StageConfig): TemplateVariables {
  return { PROJECT_NAME: c.projectName, STAGE: c.stage, REGION: c.region, OWNER: c.owner, LOG_LEVEL: c.logLevel, ...(c.variables ?? {}) };
}

/** The team's own stage variables: each value from the stage (or its default), checked against its rule. */
function stageVariables(pick: (key: string) => string | undefined, problems: string[], declared: readonly StageVariable[] = STAGE_VARIABLES): Record<string, string> {
  const values: Record<string, string> = {};
  const builtIn = [...Object.keys(DEFAULTS), "ALARM_EMAIL", "STAGES", "BOOTSTRAP"];
  for (const v of declared) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(v.name) || builtIn.includes(v.name) || v.name.startsWith("STATE_") || v.name.startsWith("RESOURCE_") || v.name.startsWith("ROLLOUT_")) {
      problems.push(`workflows/stage-variables.ts: stage variable "${v.name}" must be UPPER_SNAKE_CASE and not a built-in setting (${builtIn.join(", ")}, STATE_*, RESOURCE_*, ROLLOUT_*). Rename it.`);
      continue;
    }
    const value = pick(v.name) ?? v.default;
    const broken = stageVariableProblem(v, value);
    if (broken !== undefined) problems.push(broken);
    else values[v.name] = value;
  }
  return values;
}

/** The rule of a team stage variable in words, as its problem states it (src/module mirrors it as a Terraform validation). */
export function stageVariableRuleText(v: StageVariable): string {
  const what = Array.isArray(v.rule) ? `must be one of ${v.rule.join(", ")}` : `must match ${String(v.rule)}`;
  return `${what} (${v.description}; workflows/stage-variables.ts)`;
}

/** What a value of a team stage variable can never hold, whatever its rule: it is written into the definition's JSON text as it is. */
export const STAGE_VARIABLE_TEXT_RULE = "must not hold a quote, a backslash or a control character (it is written into the definition's JSON)";
export const STAGE_VARIABLE_FORBIDDEN = /["\\\u0000-\u001f]/;

/** Whether a value passes a team stage variable's own rule: one of the values, or the pattern's first match is the whole value. */
export function stageVariableRulePasses(v: StageVariable, value: string): boolean {
  return Array.isArray(v.rule) ? v.rule.includes(value) : (v.rule as RegExp).test(value) && (v.rule as RegExp).exec(value)?.[0] === value;
}

/** The problem with a value of a team stage variable (its rule first, then the characters it may not hold), or undefined. */
export function stageVariableProblem(v: StageVariable, value: string): string | undefined {
  if (!stageVariableRulePasses(v, value)) return problem(v.name, stageVariableRuleText(v), value);
  if (STAGE_VARIABLE_FORBIDDEN.test(value)) return problem(v.name, STAGE_VARIABLE_TEXT_RULE, value);
  return undefined;
}

/**
 * One problem: the variable, the rule it breaks, and the value received, as
 * JSON so a newline, a NUL or a quote in it cannot break the one-line message.
 */
function problem(key: string, rule: string, received: string): string {
  return `${key} ${rule}. Received: ${JSON.stringify(received)}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function validate(pick: (key: string) => string | undefined, sources: string[]): StageConfig {
  const problems: string[] = [];
  const value = (key: string) => pick(key) ?? "";
  const rule = (key: string, ok: boolean, what: string) => {
    if (!ok) problems.push(problem(key, what, value(key)));
  };
  /** A rule given as a check that returns what is broken, or undefined. */
  const check = (key: string, broken: string | undefined, received = value(key)) => {
    if (broken !== undefined) problems.push(problem(key, broken, received));
  };

  const projectName = value("PROJECT_NAME");
  const stage = value("STAGE");
  rule("PROJECT_NAME", NAME_PART.test(projectName), "must start with a lower-case letter and use only a-z, 0-9 and '-', not ending in '-'");
  rule("STAGE", NAME_PART.test(stage), "must start with a lower-case letter and use only a-z, 0-9 and '-', not ending in '-'");
  check("REGION", regionRule(value("REGION")));
  const owner = value("OWNER").trim();
  if (owner.length === 0) rule("OWNER", false, "must not be empty (it becomes the Owner tag)");
  else check("OWNER", tagValueRule(owner), value("OWNER"));
  rule("LOG_LEVEL", (LOG_LEVELS as readonly string[]).includes(value("LOG_LEVEL")), `must be one of ${LOG_LEVELS.join(", ")}`);
  const retention = Number(value("LOG_RETENTION_DAYS"));
  rule("LOG_RETENTION_DAYS", RETENTION_DAYS.includes(retention), `must be one of the values CloudWatch Logs accepts: ${RETENTION_DAYS.join(", ")}`);
  rule("SFN_LOG_EXECUTION_DATA", /^(true|false)$/.test(value("SFN_LOG_EXECUTION_DATA")), "must be true or false");
  const concurrency = Number(value("LAMBDA_RESERVED_CONCURRENCY"));
  rule("LAMBDA_RESERVED_CONCURRENCY", Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000, "must be a whole number from 1 to 1000");
  const alarmEmail = pick("ALARM_EMAIL");
  if (alarmEmail !== undefined) rule("ALARM_EMAIL", EMAIL.test(alarmEmail), "must be an e-mail address");

  problems.push(...catalogueProblems());
  if (NAME_PART.test(projectName) && NAME_PART.test(stage)) {
    problems.push(...checkNameLimits({ projectName, stage }));
  }

  const rollouts: Record<string, Rollout> = {};
  for (const w of WORKFLOWS) {
    const variable = rolloutVariable(w.name);
    const raw = pick(variable);
    if (raw === undefined) continue;
    const parsed = parseRollout(variable, raw);
    if (typeof parsed === "string") problems.push(parsed);
    else rollouts[w.name] = parsed;
  }

  const variables = stageVariables(pick, problems);
  problems.push(...resourceDeclarationProblems());
  const resources = existingResources(pick, { projectName, stage, region: value("REGION"), namesValid: NAME_PART.test(projectName) && NAME_PART.test(stage) }, problems);

  const backend = backendConfig(pick, { projectName, stage, region: value("REGION") }, problems);
  if (problems.length > 0) throw new ConfigError(problems, sources.length > 0 ? sources.join(", ") : undefined);

  return {
    projectName,
    stage,
    region: value("REGION"),
    owner: value("OWNER").trim(),
    logLevel: value("LOG_LEVEL") as LogLevel,
    alarmEmail,
    logRetentionDays: retention,
    logExecutionData: value("SFN_LOG_EXECUTION_DATA") === "true",
    lambdaReservedConcurrency: concurrency,
    backend,
    rollouts,
    resources,
    variables,
    warnings: [],
    sources,
  };
}

function backendConfig(
  pick: (key: string) => string | undefined,
  c: { projectName: string; stage: string; region: string },
  problems: string[],
): BackendConfig {
  const type = pick("STATE_BACKEND");
  if (type === "local") return { type: "local", path: `terraform.${c.projectName}-${c.stage}.tfstate` };
  if (type !== "s3") {
    problems.push(`STATE_BACKEND must be "local" or "s3". Received: "${type ?? ""}"`);
    return { type: "local", path: "" };
  }
  const bucket = pick("STATE_BUCKET");
  if (!bucket) problems.push(problem("STATE_BUCKET", "must name the S3 bucket for Terraform state when STATE_BACKEND=s3", ""));
  else {
    const broken = bucketNameRule(bucket);
    if (broken) problems.push(problem("STATE_BUCKET", broken, bucket));
  }
  const region = pick("STATE_REGION") ?? c.region;
  // Unset, it is REGION, already checked: one mistake, one problem.
  const regionBroken = pick("STATE_REGION") === undefined ? undefined : regionRule(region);
  if (regionBroken) problems.push(problem("STATE_REGION", regionBroken, region));
  else if (partitionOf(c.region) && partitionOf(region) !== partitionOf(c.region)) {
    problems.push(
      problem("STATE_REGION", `must be in the same AWS partition as REGION (${c.region} is in "${partitionOf(c.region)}", ${region} in "${partitionOf(region)}")`, region),
    );
  }
  const kmsKeyId = pick("STATE_KMS_KEY_ID");
  const kmsBroken = kmsKeyId === undefined ? undefined : kmsKeyRule(kmsKeyId);
  if (kmsBroken) problems.push(problem("STATE_KMS_KEY_ID", kmsBroken, kmsKeyId!));
  const dynamodbTable = pick("STATE_LOCK_TABLE");
  const tableBroken = dynamodbTable === undefined ? undefined : dynamoTableNameRule(dynamodbTable);
  if (tableBroken) problems.push(problem("STATE_LOCK_TABLE", tableBroken, dynamodbTable!));
  return {
    type: "s3",
    bucket: bucket ?? "",
    key: `${c.projectName}/${c.stage}/terraform.tfstate`,
    region,
    kmsKeyId,
    dynamodbTable,
  };
}

/** Problems in the catalogue itself: names that cannot become AWS names, or collide with stage-wide ones. */
export function catalogueProblems(workflows: readonly { name: string; template: string }[] = WORKFLOWS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const w of workflows) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(w.name)) {
      problems.push(`workflows/catalogue.ts: workflow name "${w.name}" must be kebab-case (a-z, 0-9, single hyphens), since it becomes part of AWS names.`);
    }
    if ((RESERVED_WORKFLOW_NAMES as readonly string[]).includes(w.name)) {
      problems.push(`workflows/catalogue.ts: workflow name "${w.name}" is reserved (it would collide with the stage's ${w.name} resources). Choose another name.`);
    }
    if (seen.has(w.name)) problems.push(`workflows/catalogue.ts: workflow name "${w.name}" appears twice.`);
    seen.add(w.name);
  }
  return problems;
}

/** Checks the longest name of each kind the stage will create against AWS's limits. */
function checkNameLimits(c: { projectName: string; stage: string }): string[] {
  const problems: string[] = [];
  const candidates = nameLimitCandidates(c);
  for (const kind of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const longest = candidates.filter(([k]) => k === kind).sort((a, b) => b[1].length - a[1].length)[0];
    const limit = LIMITS[kind];
    if (longest && longest[1].length > limit.max) {
      problems.push(
        `PROJECT_NAME and STAGE make "${longest[1]}" ${longest[1].length} characters long; ${limit.what} allow at most ${limit.max}. Shorten PROJECT_NAME ("${c.projectName}") or STAGE ("${c.stage}") by ${longest[1].length - limit.max}.`,
      );
    }
  }
  return problems;
}

/** Every AWS name of a limited kind the stage will create (src/module turns the same list into Terraform validations). */
export function nameLimitCandidates(c: { projectName: string; stage: string }): Array<[keyof typeof LIMITS, string]> {
  const handlers = listHandlers();
  const sqsWorkflows = WORKFLOWS.filter((w) => w.triggers.some((t) => t.kind === "sqs")).map((w) => w.name);
  const eventWorkflows = WORKFLOWS.filter((w) => w.triggers.some((t) => t.kind === "eventbridge")).map((w) => w.name);
  const withTrigger = (kind: string) => WORKFLOWS.filter((w) => w.triggers.some((t) => t.kind === kind)).map((w) => w.name);
  const candidates: Array<[keyof typeof LIMITS, string]> = [
    ...WORKFLOWS.map((w): [keyof typeof LIMITS, string] => ["stateMachine", names.stateMachine(c, w.name)]),
    ...handlers.map((h): [keyof typeof LIMITS, string] => ["lambdaFunction", names.lambdaFunction(c, h)]),
    ...sqsWorkflows.map((w): [keyof typeof LIMITS, string] => ["lambdaFunction", names.bridgeFunction(c, w)]),
    ...sqsWorkflows.map((w): [keyof typeof LIMITS, string] => ["queue", names.deadLetterQueue(c, w)]),
    ...sqsWorkflows.map((w): [keyof typeof LIMITS, string] => ["iamRole", names.bridgeRole(c, w)]),
    ...eventWorkflows.map((w): [keyof typeof LIMITS, string] => ["queue", names.eventsDeadLetterQueue(c, w)]),
    ...WORKFLOWS.map((w): [keyof typeof LIMITS, string] => ["iamRole", names.stateMachineRole(c, w.name)]),
    ...WORKFLOWS.map((w): [keyof typeof LIMITS, string] => ["iamRole", names.eventsRole(c, w.name)]),
    ...handlers.map((h): [keyof typeof LIMITS, string] => ["iamRole", names.lambdaRole(c, h)]),
    ...withTrigger("schedule").map((w): [keyof typeof LIMITS, string] => ["schedule", names.schedule(c, w)]),
    ...withTrigger("schedule").map((w): [keyof typeof LIMITS, string] => ["iamRole", names.scheduleRole(c, w)]),
    ...withTrigger("schedule").map((w): [keyof typeof LIMITS, string] => ["queue", names.scheduleDeadLetterQueue(c, w)]),
    ...withTrigger("http").map((w): [keyof typeof LIMITS, string] => ["iamRole", names.httpApiRole(c, w)]),
    ...WORKFLOWS.filter((w) => w.notifications).map((w): [keyof typeof LIMITS, string] => ["eventRule", names.notificationsRule(c, w.name)]),
  ];
  return candidates;
}
