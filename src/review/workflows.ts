/**
 * Everything the review shows about one state machine, read from the
 * synthesized stack: definition, type, triggers, the IAM statements its role
 * is granted (with the state that needs each), alarms and lint warnings.
 * Links are found by following `${...}` references, not by naming
 * conventions, so the review keeps working when constructs are renamed.
 */

import { unescapeTerraformTemplate } from "../hcl/escape";
import { type Finding } from "../asl/findings";
import { allStates, isObject } from "../asl/graph";
import { type WorkflowSpec, WORKFLOWS } from "../../workflows/catalogue";
import { type Block, type Json, type JsonObject, type Synth, display, isJsonObject, listOf, referrers, resolve, str } from "./synth";

/** One statement of a policy the state machine's role holds: one row of the IAM table. */
export interface PolicyRow {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Which states need it, or why it is there. */
  readonly why: string;
  /** The policy document (or managed policy) it comes from. */
  readonly source: string;
  /** The statement's conditions, one line each (`StringEquals states:HTTPMethod = POST`). @default none */
  readonly conditions?: readonly string[];
}

/** A permission the definition needs, with the state that needs it (shape of src/asl/iam.ts' PermissionRow). */
export interface NeededPermission {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly statePath: string;
  readonly reason: string;
  /** Why the derived grant is broader than the state needs (IAM001). @default none */
  readonly warning?: string;
  readonly dynamicField?: string;
}

export interface AlarmInfo {
  readonly address: string;
  readonly name: string;
  readonly condition: string;
}

export interface WorkflowReview {
  /** `aws_sfn_state_machine.<name>` */
  readonly address: string;
  /** The state machine's name in AWS. */
  readonly name: string;
  /** The catalogue name (`order-processing`), or the state machine name when the catalogue does not know it. */
  readonly workflow: string;
  readonly spec?: WorkflowSpec;
  readonly type: string;
  /** Undefined when the definition could not be parsed (see `problems`). */
  readonly definition?: JsonObject;
  readonly triggers: readonly string[];
  /** How each alias routes executions between versions. */
  readonly routing: readonly string[];
  readonly permissions: readonly PolicyRow[];
  /** Permissions the definition needs that no statement grants (only known when a deriver is given). */
  readonly missing: readonly NeededPermission[];
  readonly alarms: readonly AlarmInfo[];
  readonly findings: readonly Finding[];
  /** Things the review could not work out, said plainly. */
  readonly problems: readonly string[];
  /** Defects found in the role's policy statements. */
  readonly iamProblems: readonly string[];
}

/** Plug-ins from the engine, so this module runs (and is tested) without them. */
export interface WorkflowAnalysers {
  /** Permissions the definition needs, per state (src/asl/iam.ts). */
  readonly derive?: (definition: JsonObject, context: { workflow: string; file: string; synth: Synth; machine: Block }) => readonly NeededPermission[];
  /** Warnings about grants broader than their state needs (IAM001, src/asl/iam.ts), from derive's rows. */
  readonly permissionFindings?: (needed: readonly NeededPermission[], file: string) => readonly Finding[];
  /** Lint warnings for the definition (src/asl/lint.ts). */
  readonly lint?: (definition: JsonObject, context: { file: string; workflow: string; type: "STANDARD" | "EXPRESS" }) => readonly Finding[];
  /** The catalogue. @default WORKFLOWS */
  readonly catalogue?: readonly WorkflowSpec[];
}

function strings(value: Json | undefined): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Statements of a policy document block, or of a policy JSON string. */
function statementsOf(synth: Synth, policy: Json | undefined, source: string): Array<Omit<PolicyRow, "why">> {
  const docs = resolve(synth, policy, "aws_iam_policy_document").filter((b) => b.mode === "data");
  if (docs.length > 0) {
    return docs.flatMap((doc) =>
      listOf(doc.body.statement).map((s) => ({
        sid: str(s, "sid"),
        effect: str(s, "effect") ?? "Allow",
        actions: strings(s.actions),
        resources: strings(s.resources),
        source: doc.address,
        ...conditionLines(listOf(s.condition).map((c) => [str(c, "test") ?? "?", str(c, "variable") ?? "?", strings(c.values)] as const)),
      })),
    );
  }
  if (typeof policy === "string" && policy.trim().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(policy);
      const list = isJsonObject(parsed) ? listOf(parsed.Statement) : [];
      return list.map((s) => ({
        sid: str(s, "Sid"),
        effect: str(s, "Effect") ?? "Allow",
        actions: strings(s.Action),
        resources: strings(s.Resource),
        source,
        ...conditionLines(
          Object.entries(isJsonObject(s.Condition) ? s.Condition : {}).flatMap(([test, vars]) =>
            Object.entries(isJsonObject(vars) ? vars : {}).map(([variable, values]) => [test, variable, strings(values)] as const),
          ),
        ),
      }));
    } catch {
      return [];
    }
  }
  return [];
}

function conditionLines(conditions: ReadonlyArray<readonly [string, string, readonly string[]]>): { conditions?: string[] } {
  return conditions.length > 0 ? { conditions: conditions.map(([test, variable, values]) => `${test} ${variable} = ${values.join(" | ")}`) } : {};
}

/** Every statement granted to a role: inline policies, aws_iam_role_policy, attached aws_iam_policy, managed policy ARNs. */
export function roleStatements(synth: Synth, role: Block): Array<Omit<PolicyRow, "why">> {
  const out: Array<Omit<PolicyRow, "why">> = [];
  for (const inline of listOf(role.body.inline_policy)) out.push(...statementsOf(synth, inline.policy, role.address));
  for (const rp of referrers(synth, role.address, "aws_iam_role_policy")) out.push(...statementsOf(synth, rp.body.policy, rp.address));
  for (const attachment of referrers(synth, role.address, "aws_iam_role_policy_attachment")) {
    const policies = resolve(synth, attachment.body.policy_arn, "aws_iam_policy");
    for (const p of policies) out.push(...statementsOf(synth, p.body.policy, p.address));
    const arn = str(attachment.body, "policy_arn");
    if (policies.length === 0 && arn) {
      out.push({ effect: "Allow", actions: [`(managed policy ${arn})`], resources: [], source: attachment.address });
    }
  }
  for (const arn of strings(role.body.managed_policy_arns)) {
    out.push({ effect: "Allow", actions: [`(managed policy ${arn})`], resources: [], source: role.address });
  }
  return out;
}

/** The part of a resource string that identifies the thing: `${aws_lambda_function.x.arn}:*` -> `${aws_lambda_function.x.arn}`. */
function core(resource: string): string {
  return resource.replace(/:\*$/, "");
}

/** Account, region and partition tokens stand for "whatever this stack's are": compare them as wildcards. */
function loosen(value: string): string {
  return value.replace(/\$\{data\.aws_(partition|caller_identity|region)\.[^}]+\}/g, "*");
}

/**
 * Whether a granted resource covers a needed one. Both sides normally carry the
 * same references (the review derives with the synthesis's options); for ARNs
 * built elsewhere, partition, region and account compare field by field, a
 * `*` or a reference on either side matching anything, so
 * `arn:aws:dynamodb:*:*:table/t` and `arn:${partition}:dynamodb:us-east-1:${account}:table/t` agree.
 */
function covers(granted: string, needed: string): boolean {
  const g = loosen(granted);
  const n = loosen(needed);
  if (matches(g, n) || matches(n, g)) return true;
  const gp = arnParts(g);
  const np = arnParts(n);
  if (!gp || !np) return false;
  const field = (a: string, b: string) => a === "*" || b === "*" || a === b;
  return gp.head.every((part, i) => field(part, np.head[i])) && (matches(gp.rest, np.rest) || matches(np.rest, gp.rest));
}

/** `arn:partition:service:region:account:rest` -> its five fixed fields and the rest (which may hold colons). */
function arnParts(value: string): { head: string[]; rest: string } | undefined {
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return { head: parts.slice(0, 5), rest: parts.slice(5).join(":") };
}

function matches(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*")) return pattern === value;
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(value);
}

const WILDCARD_REASONS: Array<[RegExp, string]> = [
  [/^logs:/, "state machine logging to CloudWatch Logs (AWS offers no narrower resource)"],
  [/^xray:/, "X-Ray tracing (AWS offers no narrower resource)"],
  [/^kms:/, "encryption of the state machine's data or logs"],
];

/** Says why a statement is there: the states whose definition names its resources, or the known purpose of a wildcard grant. */
function explain(row: Omit<PolicyRow, "why">, states: Array<{ path: string; text: string }>, needed: readonly NeededPermission[]): string {
  const byDerivation = needed.filter(
    (n) => n.actions.some((a) => row.actions.some((p) => matches(p, a))) && n.resources.some((r) => row.resources.some((p) => covers(p, r))),
  );
  if (byDerivation.length > 0) {
    // One phrase per reason, listing the states that need it: "States.A, States.B: invoke the function in FunctionName".
    const byReason = new Map<string, string[]>();
    for (const n of byDerivation) {
      const paths = byReason.get(n.reason) ?? [];
      if (!paths.includes(n.statePath)) paths.push(n.statePath);
      byReason.set(n.reason, paths);
    }
    return [...byReason].map(([reason, paths]) => (reason ? `${paths.join(", ")}: ${reason}` : paths.join(", "))).join("; ");
  }
  const specific = row.resources.filter((r) => r !== "*").map(core);
  // A state names a resource literally, or through the same Terraform reference.
  const refs = specific.flatMap((r) => r.match(/\$\{[^}]+\}/g) ?? []).filter((r) => !/\$\{data\.aws_(partition|caller_identity|region)\./.test(r));
  const users = states.filter((s) => specific.some((r) => s.text.includes(r)) || refs.some((r) => s.text.includes(r))).map((s) => s.path);
  if (users.length > 0) return [...new Set(users)].join(", ");
  const known = WILDCARD_REASONS.find(([re]) => row.actions.some((a) => re.test(a)));
  if (known) return known[1];
  if (row.sid) return `statement ${row.sid}: no state names its resources`;
  return "no state names its resources";
}

/** Rows of the IAM table for a state machine's role, each explained. */
export function permissionsFor(
  synth: Synth,
  machine: Block,
  definition: JsonObject | undefined,
  needed: readonly NeededPermission[] = [],
): { rows: PolicyRow[]; missing: NeededPermission[]; problems: string[] } {
  const roles = resolve(synth, machine.body.role_arn, "aws_iam_role");
  if (roles.length === 0) {
    return { rows: [], missing: [...needed], problems: [`role_arn ${JSON.stringify(machine.body.role_arn ?? null)} does not refer to an aws_iam_role of this stack, so its permissions cannot be shown.`] };
  }
  // A state's own JSON (without nested scopes) is what "names" a resource.
  const states = definition
    ? allStates(definition).map((s) => {
        const { Branches: _b, ItemProcessor: _p, Iterator: _i, ...own } = s.state;
        return { path: s.path, text: JSON.stringify(own) };
      })
    : [];
  const rows = roles.flatMap((role) => roleStatements(synth, role)).map((r) => ({ ...r, why: explain(r, states, needed) }));
  const problems: string[] = [];
  for (const row of rows) {
    // `arn:...:function:${aws_lambda_function.x.arn}` names no real resource: the grant silently allows nothing.
    const nested = row.resources.filter((r) => /.\$\{aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.arn\}/.test(r));
    if (nested.length > 0) {
      const refs = [...new Set(nested.flatMap((r) => [...r.matchAll(/.\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.arn)\}/g)].map((m) => m[1])))];
      problems.push(
        `${row.source}${row.sid ? ` (Sid ${row.sid})` : ""}: ${nested.length} resource(s) put an ARN reference inside another ARN, e.g. "${nested[0]}". ` +
          `They match nothing, so ${row.actions.join(", ")} will be denied on ${refs.join(", ")}. Fix: grant the references themselves ("\${<ref>}" and "\${<ref>}:*").`,
      );
    }
  }
  const allowed = rows.filter((r) => r.effect === "Allow");
  const missing = needed.filter(
    (n) => !n.actions.every((a) => n.resources.every((res) => allowed.some((r) => r.actions.some((p) => matches(p, a)) && r.resources.some((p) => covers(p, res))))),
  );
  return { rows, missing, problems };
}

function alarmInfo(block: Block): AlarmInfo {
  const b = block.body;
  const metric = str(b, "metric_name") ?? (b.metric_query !== undefined ? "metric math" : "?");
  const op: Record<string, string> = {
    GreaterThanOrEqualToThreshold: ">=",
    GreaterThanThreshold: ">",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "<=",
  };
  const comparison = op[str(b, "comparison_operator") ?? ""] ?? str(b, "comparison_operator") ?? "?";
  const stat = str(b, "statistic") ?? str(b, "extended_statistic") ?? "";
  const period = typeof b.period === "number" ? ` over ${b.period} s` : "";
  const periods = typeof b.evaluation_periods === "number" && b.evaluation_periods > 1 ? ` for ${b.evaluation_periods} periods` : "";
  return {
    address: block.address,
    name: str(b, "alarm_name") ?? block.name,
    condition: `${str(b, "namespace") ?? ""} ${metric} ${stat} ${comparison} ${String(b.threshold ?? "?")}${period}${periods}`.replace(/\s+/g, " ").trim(),
  };
}

/**
 * How executions start: EventBridge rules, SQS queues feeding a bridge
 * function, Scheduler schedules and HTTP API routes that target the machine
 * or one of its aliases (each trigger names which).
 */
export function triggersFor(synth: Synth, machine: Block, spec?: WorkflowSpec): string[] {
  const out: string[] = [];
  const entries = [machine, ...referrers(synth, machine.address, "aws_sfn_alias")];
  for (const entry of entries) {
    const via = entry.type === "aws_sfn_alias" ? ` (through alias ${str(entry.body, "name") ?? entry.name})` : "";
    out.push(...triggersOf(synth, entry).map((t) => t + via));
  }
  if (out.length === 0 && spec && spec.triggers.length > 0) {
    out.push(...spec.triggers.map((t) => `${t.kind} trigger (catalogue; not found in the synthesis)`));
  }
  return out;
}

/** How an alias routes executions: `alias dev: 10% version published by this deployment, 90% version 3`. */
export function routingFor(synth: Synth, machine: Block): string[] {
  return referrers(synth, machine.address, "aws_sfn_alias").map((alias) => {
    const routes = asList(alias.body.routing_configuration).map((r) => {
      const version = str(r, "state_machine_version_arn") ?? "?";
      const current = version.includes(`${machine.address}.state_machine_version_arn`);
      const numbered = /:(\d+)$/.exec(version)?.[1];
      return `${String(r.weight ?? "?")}% ${current ? "the version this deployment publishes" : numbered ? `version ${numbered}` : version}`;
    });
    return `Alias ${str(alias.body, "name") ?? alias.name}: ${routes.join(", ")}`;
  });
}

function asList(value: unknown): JsonObject[] {
  const list = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
  return list.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v));
}

function triggersOf(synth: Synth, machine: Block): string[] {
  const out: string[] = [];
  for (const target of referrers(synth, machine.address, "aws_cloudwatch_event_target")) {
    for (const rule of resolve(synth, target.body.rule, "aws_cloudwatch_event_rule")) {
      const bus = display(synth, str(rule.body, "event_bus_name") ?? str(target.body, "event_bus_name") ?? "default");
      const pattern = str(rule.body, "event_pattern");
      const schedule = str(rule.body, "schedule_expression");
      out.push(
        `EventBridge rule ${str(rule.body, "name") ?? rule.name} on bus ${bus}: ${pattern ? `pattern ${compactJson(pattern)}` : schedule ? `schedule ${schedule}` : "no pattern"}`,
      );
    }
  }
  for (const fn of referrers(synth, machine.address, "aws_lambda_function")) {
    for (const mapping of referrers(synth, fn.address, "aws_lambda_event_source_mapping")) {
      const queues = resolve(synth, mapping.body.event_source_arn, "aws_sqs_queue");
      const source = queues.length > 0 ? queues.map((q) => `SQS queue ${str(q.body, "name") ?? q.name}${dlqOf(synth, q)}`).join(", ") : String(mapping.body.event_source_arn);
      const batch = typeof mapping.body.batch_size === "number" ? `, batch size ${mapping.body.batch_size}` : "";
      out.push(`${source} through function ${str(fn.body, "function_name") ?? fn.name}${batch}`);
    }
  }
  for (const schedule of referrers(synth, machine.address, "aws_scheduler_schedule")) {
    const zone = str(schedule.body, "schedule_expression_timezone");
    const window = asList(schedule.body.flexible_time_window)[0];
    const flexible = window && window.mode === "FLEXIBLE" ? `, flexible window ${String(window.maximum_window_in_minutes)} min` : "";
    out.push(`EventBridge Scheduler ${str(schedule.body, "name") ?? schedule.name}: ${str(schedule.body, "schedule_expression") ?? "?"}${zone ? ` (${zone})` : ""}${flexible}`);
  }
  for (const integration of referrers(synth, machine.address, "aws_apigatewayv2_integration")) {
    const api = resolve(synth, integration.body.api_id, "aws_apigatewayv2_api")[0];
    for (const route of referrers(synth, integration.address, "aws_apigatewayv2_route")) {
      out.push(
        `HTTP API ${api ? (str(api.body, "name") ?? api.name) : "?"}: ${str(route.body, "route_key") ?? "?"} (${str(route.body, "authorization_type") ?? "NONE"} authorization, ${str(integration.body, "integration_subtype") ?? "?"})`,
      );
    }
  }
  return out;
}

function dlqOf(synth: Synth, queue: Block): string {
  const dlq = resolve(synth, queue.body.redrive_policy, "aws_sqs_queue")[0];
  if (!dlq) return "";
  const policy = str(queue.body, "redrive_policy") ?? "";
  const max = /maxReceiveCount\\?"?\s*:\s*(\d+)/.exec(policy)?.[1];
  return ` (dead-letter queue ${str(dlq.body, "name") ?? dlq.name}${max ? ` after ${max} receives` : ""})`;
}

function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The Lambda functions a definition invokes (resolved through `${aws_lambda_function...}` references). */
function invokedFunctions(synth: Synth, definition: JsonObject | undefined): Block[] {
  return definition ? resolve(synth, JSON.stringify(definition), "aws_lambda_function") : [];
}

function rankIn(catalogue: readonly WorkflowSpec[], w: WorkflowReview): number {
  const i = w.spec ? catalogue.indexOf(w.spec) : -1;
  return i === -1 ? catalogue.length : i;
}

/** Reviews every state machine in the synthesis, in catalogue order. */
export function reviewWorkflows(synth: Synth, analysers: WorkflowAnalysers = {}): WorkflowReview[] {
  const catalogue = analysers.catalogue ?? WORKFLOWS;
  const machines = [...synth.blocks.values()].filter((b) => b.mode === "managed" && b.type === "aws_sfn_state_machine");
  return machines
    .map((machine): WorkflowReview => {
      const name = str(machine.body, "name") ?? machine.name;
      const spec = catalogue.find((w) => name === `${synth.stack}-${w.name}`);
      const workflow = spec?.name ?? name;
      const type = str(machine.body, "type") ?? "STANDARD";
      const problems: string[] = [];
      let definition: JsonObject | undefined;
      const raw = machine.body.definition;
      try {
        // The text Terraform deploys: template text reaches it escaped ($${, %%{), see src/hcl/escape.ts.
        const parsed: unknown = typeof raw === "string" ? JSON.parse(unescapeTerraformTemplate(raw)) : raw;
        if (!isObject(parsed)) throw new Error("not a JSON object");
        definition = parsed as JsonObject;
      } catch (error) {
        problems.push(
          `${machine.address}.definition is not a JSON definition (${(error as Error).message}); received ${JSON.stringify(raw).slice(0, 120)}. ` +
            "The diagram, state diff and lint need it as a JSON string.",
        );
      }
      const file = spec?.template ?? machine.address;
      let needed: readonly NeededPermission[] = [];
      if (definition && analysers.derive) {
        try {
          needed = analysers.derive(definition, { workflow, file, synth, machine });
        } catch (error) {
          problems.push(`deriving the permissions the definition needs failed: ${(error as Error).message}`);
        }
      }
      const iam = permissionsFor(synth, machine, definition, needed);
      const fnAlarms = invokedFunctions(synth, definition).flatMap((fn) => referrers(synth, fn.address, "aws_cloudwatch_metric_alarm"));
      const alarms = [...referrers(synth, machine.address, "aws_cloudwatch_metric_alarm"), ...fnAlarms]
        .filter((b, i, all) => all.findIndex((o) => o.address === b.address) === i)
        .map(alarmInfo);
      const findings = [
        ...(definition && analysers.lint ? analysers.lint(definition, { file, workflow, type: type === "EXPRESS" ? "EXPRESS" : "STANDARD" }) : []),
        // The synthesis reports these too: a derived grant broader than the state needs.
        ...(analysers.permissionFindings?.(needed, file) ?? []),
      ];
      return {
        address: machine.address,
        name,
        workflow,
        spec,
        type,
        definition,
        triggers: triggersFor(synth, machine, spec),
        routing: routingFor(synth, machine),
        permissions: iam.rows,
        missing: iam.missing,
        alarms,
        findings,
        problems,
        iamProblems: iam.problems,
      };
    })
    // Catalogue order (the order the project presents its workflows in), then anything the catalogue does not know.
    .sort((a, b) => rankIn(catalogue, a) - rankIn(catalogue, b) || a.workflow.localeCompare(b.workflow));
}

/** `${aws_lambda_function.x.arn}` -> that function's function_name, for diagram labels. */
export function functionNamer(synth: Synth): (value: string) => string | undefined {
  return (value) => {
    const fn = resolve(synth, value, "aws_lambda_function")[0];
    return fn ? str(fn.body, "function_name") : undefined;
  };
}
