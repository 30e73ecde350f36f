/**
 * From the sentinel stage's synthesized stack (cdk.tf.json) to the module's
 * Terraform JSON: the stage's values become expressions.
 *
 * - `<project>-<stage>` in any string becomes `${local.prefix}`; the project and
 *   the stage alone become `${var.project_name}` and `${var.stage}`; the region
 *   becomes `${data.aws_region.current.name}` (the caller's provider).
 * - Settings found by place, not by text: log retention, the handlers' LOG_LEVEL,
 *   reserved concurrency (and the SQS bridge's maximum concurrency, set from it),
 *   execution-data logging, and the alarm e-mail subscription (`count`).
 * - Tags: the stack puts its tags in the provider's default_tags, which the module
 *   leaves to the caller; every taggable resource takes `local.tags` (var.owner
 *   as `Owner`, plus var.tags) merged with its own tags.
 * - Lambda packages are read through `${path.module}`.
 * - cdktf's `//` metadata, the backend and the provider block are dropped.
 *
 * Nothing of the sentinel may survive: assertNoSentinel names the place if it does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { ProjectError } from "../errors";
import type { Sentinel } from "./sentinel";
import { sentinelStrings } from "./sentinel";

export class ModuleError extends ProjectError {}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Transformed {
  /** The module's resources, data sources and locals (Terraform JSON). */
  doc: JsonObject;
  /** The stack's outputs with descriptions made stage-neutral. */
  outputs: JsonObject;
  /** The stack's provider default_tags, values as templates over {project}, {stage}, {owner}. */
  defaultTags: Record<string, string>;
  /** The aws provider constraint the stack asks for. */
  providerVersion: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function stripMetadata(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(stripMetadata);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (k !== "//") out[k] = stripMetadata(x);
  return out;
}

function mapStrings(v: JsonValue, fn: (s: string) => string): JsonValue {
  if (typeof v === "string") return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, fn);
  return out;
}

/** Replaces every occurrence, longest first, with the given expressions. */
function replacer(pairs: ReadonlyArray<readonly [string, string]>): (s: string) => string {
  const sorted = [...pairs].sort((a, b) => b[0].length - a[0].length);
  return (s) => {
    let out = "";
    let i = 0;
    outer: while (i < s.length) {
      for (const [from, to] of sorted) {
        if (s.startsWith(from, i)) {
          out += to;
          i += from.length;
          continue outer;
        }
      }
      out += s[i];
      i += 1;
    }
    return out;
  };
}

const TAGGABLE = new Map<string, boolean>();
/** Whether the pinned provider bindings give the resource type a `tags` argument. */
export function taggable(type: string): boolean {
  let known = TAGGABLE.get(type);
  if (known === undefined) {
    const file = join(REPO_ROOT, "node_modules", "@cdktf", "provider-aws", "lib", type.replace(/^aws_/, "").replace(/_/g, "-"), "index.d.ts");
    const source = existsSync(file) ? readFileSync(file, "utf8") : "";
    // The resource's own Config interface, not a nested block's (an event target's ECS parameters have tags too).
    const start = source.indexOf("Config extends cdktf.TerraformMetaArguments {");
    const config = start < 0 ? "" : source.slice(start, source.indexOf("\n}", start));
    known = /readonly tags\?: \{/.test(config);
    TAGGABLE.set(type, known);
  }
  return known;
}

/**
 * `pieces`: texts the sentinel stage's other inputs left (an existing resource's
 * ARN, name, account, URL; src/module/inputs.ts) and the expression each becomes.
 */
export function transformStack(stack: JsonObject, s: Sentinel, pieces: ReadonlyArray<readonly [string, string]> = []): Transformed {
  const prefix = `${s.projectName}-${s.stage}`;
  const doc = stripMetadata(stack) as JsonObject;
  const resources = (doc.resource ?? {}) as Record<string, Record<string, JsonObject>>;
  const data = (doc.data ?? {}) as Record<string, Record<string, JsonObject>>;
  const each = (type: string, fn: (body: JsonObject, name: string) => void) => {
    for (const [name, body] of Object.entries(resources[type] ?? {})) fn(body, name);
  };
  const found = { retention: 0, logLevel: 0, concurrency: 0, executionData: 0, alarmEmail: 0 };

  // Settings, by place.
  each("aws_cloudwatch_log_group", (b) => {
    if (b.retention_in_days === s.logRetentionDays) (b.retention_in_days = "${var.log_retention_days}"), found.retention++;
  });
  each("aws_lambda_function", (b) => {
    const vars = isObject(b.environment) && isObject(b.environment.variables) ? b.environment.variables : undefined;
    if (vars && vars.LOG_LEVEL === s.logLevel) (vars.LOG_LEVEL = "${var.log_level}"), found.logLevel++;
    if (b.reserved_concurrent_executions === s.lambdaReservedConcurrency) (b.reserved_concurrent_executions = "${var.lambda_reserved_concurrency}"), found.concurrency++;
    if (typeof b.filename === "string" && b.filename.startsWith("assets/")) b.filename = `\${path.module}/${b.filename}`;
  });
  each("aws_lambda_event_source_mapping", (b) => {
    if (isObject(b.scaling_config) && b.scaling_config.maximum_concurrency === s.lambdaReservedConcurrency) {
      b.scaling_config.maximum_concurrency = "${var.lambda_reserved_concurrency}";
    }
  });
  each("aws_sfn_state_machine", (b) => {
    if (isObject(b.logging_configuration) && b.logging_configuration.include_execution_data === s.logExecutionData) {
      b.logging_configuration.include_execution_data = "${var.log_execution_data}";
      found.executionData++;
    }
  });
  each("aws_sns_topic_subscription", (b) => {
    if (b.endpoint === s.alarmEmail) {
      b.endpoint = "${var.alarm_email}";
      b.count = '${var.alarm_email == null ? 0 : 1}';
      found.alarmEmail++;
    }
  });
  for (const [what, n] of Object.entries(found)) {
    if (n === 0) {
      throw new ModuleError(
        `module: the sentinel stage's ${what} setting was not found where src/module/transform.ts looks for it; the stack changed shape. Update transformStack (src/module/transform.ts) to the new place.`,
      );
    }
  }

  // Names: text.
  const toExpressions = replacer([
    ...pieces,
    [prefix, "${local.prefix}"],
    [s.projectName, "${var.project_name}"],
    [s.stage, "${var.stage}"],
    [s.region, "${data.aws_region.current.name}"],
  ]);
  const body: JsonObject = {};
  if (doc.data) body.data = mapStrings(doc.data, toExpressions);
  if (doc.resource) body.resource = mapStrings(doc.resource, toExpressions);
  const bodyData = (body.data ?? {}) as Record<string, Record<string, JsonObject>>;
  // data "aws_region" "current" {} is written by build.ts into main.tf (not a type of the stack's block table).
  if (bodyData.aws_region) throw new ModuleError(`module: the stack already declares data "aws_region"; src/module/build.ts adds data.aws_region.current itself. Rename one of them.`);
  void data;

  // Tags.
  const ownTags: JsonObject = {};
  for (const [type, byName] of Object.entries((body.resource ?? {}) as Record<string, Record<string, JsonObject>>)) {
    if (!taggable(type)) continue;
    for (const [name, b] of Object.entries(byName)) {
      if (isObject(b.tags) && Object.keys(b.tags).length > 0) {
        const key = `${type.replace(/^aws_/, "")}_${name}`;
        ownTags[key] = b.tags;
        b.tags = `\${merge(local.tags, local.own_tags.${key})}`;
      } else {
        b.tags = "${length(local.tags) > 0 ? local.tags : null}";
      }
    }
  }
  body.locals = {
    prefix: "${var.project_name}-${var.stage}",
    tags: "${merge({ for k, v in { Owner = var.owner } : k => v if v != null }, var.tags)}",
    own_tags: ownTags,
  };

  // Outputs: descriptions must be literal text.
  const neutral = replacer([
    ...pieces.map(([text, expression]): [string, string] => [text, `<${expression.replace(/^\$\{|\}$/g, "")}>`]),
    [prefix, "<project>-<stage>"],
    [s.projectName, "<project>"],
    [s.stage, "<stage>"],
  ]);
  const outputs: JsonObject = {};
  for (const [name, o] of Object.entries((doc.output ?? {}) as Record<string, JsonObject>)) {
    outputs[name] = { ...o, description: typeof o.description === "string" ? neutral(o.description) : o.description ?? null, value: mapStrings(o.value, toExpressions) };
    if (outputs[name] && (outputs[name] as JsonObject).description === null) delete (outputs[name] as JsonObject).description;
  }

  const provider = ((doc.provider as JsonObject | undefined)?.aws as JsonObject[] | undefined)?.[0];
  const tags = (isObject(provider) && Array.isArray(provider.default_tags) && isObject(provider.default_tags[0]) ? provider.default_tags[0].tags : {}) as Record<string, string>;
  const tagTemplate = replacer([
    [prefix, "{project}-{stage}"],
    [s.owner, "{owner}"],
    [s.projectName, "{project}"],
    [s.stage, "{stage}"],
  ]);
  const defaultTags = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, tagTemplate(String(v))]));
  const terraform = (doc.terraform ?? {}) as JsonObject;
  const aws = isObject(terraform.required_providers) && isObject(terraform.required_providers.aws) ? terraform.required_providers.aws : {};
  const result: Transformed = { doc: body, outputs, defaultTags, providerVersion: String(aws.version ?? "") };
  assertNoSentinel({ ...body, output: outputs }, s, pieces.map(([text]) => text));
  return result;
}

/** Fails with the first place a sentinel value survived. */
export function assertNoSentinel(doc: JsonValue, s: Sentinel, more: readonly string[] = []): void {
  const needles = [...sentinelStrings(s), ...more];
  const visit = (v: JsonValue, path: string): void => {
    if (typeof v === "string") {
      const hit = needles.find((n) => v.includes(n));
      if (hit) {
        throw new ModuleError(
          `module: the stage value "${hit}" (sentinel) is still in ${path}: ${JSON.stringify(v.length > 120 ? `${v.slice(0, 120)}...` : v)}. It came from the stage configuration by a way src/module/transform.ts does not turn into an expression; teach transformStack that place.`,
        );
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  visit(doc, "");
}
