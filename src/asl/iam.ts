/**
 * Least-privilege IAM for a state machine, derived from its rendered definition:
 * every Task (including those inside Parallel branches and Map processors) is
 * looked up in the integration table (integrations.ts). Nobody lists a
 * permission by hand, so a template that calls a new function cannot ship with
 * a role that cannot invoke it. Pure: the infrastructure and the review both use it.
 */

import { ProjectError } from "../errors";
import { type Finding } from "./findings";
import { isObject, walkDefinition, type JsonObject } from "./graph";
import { AWS_SDK_DOC, SDK_PATTERNS, SDK_UNDERIVABLE, parseSdkResource, sdkGrants } from "./aws-sdk";
import { KMS_INTEGRATION, kmsNeeds } from "./kms";
import {
  type ArnContext,
  type Condition,
  DISTRIBUTED_MAP,
  DYNAMIC,
  type Grant,
  INTEGRATIONS_BY_ID,
  PLAIN_LAMBDA,
  type ResourcePlace,
  type TaskView,
  parseServiceResource,
} from "./integrations";

export interface PermissionRow {
  readonly actions: string[];
  readonly resources: string[];
  /** The state that needs it, e.g. `States.ParallelProcessing.Branches[0].States.ProcessA` (`(extraStatements)` for an explicit grant that covers no state). */
  readonly statePath: string;
  /** The table row: `lambda:invoke`, `states:startExecution`, ... or `extraStatements`. */
  readonly integration: string;
  readonly reason: string;
  /** The AWS page the permission comes from. */
  readonly doc: string;
  /** @default none */
  readonly conditions?: Condition[];
  /** Why the grant is broader than the state needs (a `*` resource); reported as an IAM001 warning. @default none */
  readonly warning?: string;
  /** The parameter computed at run time that made the grant broad, when that is why. @default none */
  readonly dynamicField?: string;
  /** Resources the call reads or changes besides `resources` (the event bus a rule belongs to), for the KMS derivation. @default none */
  readonly touches?: string[];
}

/**
 * An explicit grant: the escape hatch for an integration the table does not
 * know (or any extra permission). `covers` lists the ASL Resource values it
 * stands for, e.g. `["arn:aws:states:::glue:startCrawler"]`; a Task whose
 * Resource the table does not know and no statement covers fails derivation.
 */
export interface ExtraStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** @default [] (an additional grant that stands for no Task) */
  readonly covers?: readonly string[];
  /** Why the grant is needed; shown in reviews. @default "granted explicitly" */
  readonly reason?: string;
}

export interface DeriveOptions {
  readonly workflow: string;
  /** The template the definition came from, for messages. */
  readonly file: string;
  /** Account, region, partition and state machine name used to build ARNs from names. @default { partition: "aws", region: "*", accountId: "*" } */
  readonly arn?: Partial<Omit<ArnContext, "knownFunctionArns" | "references">>;
  /**
   * Values that stand for Lambda function ARNs even though they do not look like
   * one (Terraform tokens when synthesizing), so `"Resource": {{lambda "x"}}` and
   * `"FunctionName": {{lambda "x"}}` are taken as ARNs, not as function names.
   * @default none
   */
  readonly functionArns?: ReadonlySet<string> | readonly string[];
  /**
   * Values in the definition that stand for a resource whose ARN is known: a
   * declared table's name, a queue's URL or a topic's ARN rendered as a Terraform
   * reference -> that resource's ARN (reference). @default {}
   */
  readonly references?: Readonly<Record<string, string>>;
  /**
   * Resources encrypted with a customer-managed KMS key: resource ARN (as the
   * derivation builds it, or as `references` maps it) -> key ARN. Every state
   * that touches such a resource (or an object or index under it) also gets
   * the KMS actions its service actions need on that key (kms.ts). @default {}
   */
  readonly encryptionKeys?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly extraStatements?: readonly ExtraStatement[];
}

/** A Task resource the integration table does not know, with no extra statement covering it. */
export class UnknownIntegrationError extends ProjectError {
  constructor(
    public readonly workflow: string,
    file: string,
    public readonly statePath: string,
    public readonly resource: string,
    why?: string,
  ) {
    super(unknownIntegrationMessage(workflow, file, statePath, resource, why), file);
  }
}

export function unknownIntegrationMessage(workflow: string, file: string, statePath: string, resource: string, why?: string): string {
  const what = why ? `whose permissions the IAM table cannot derive (${why})` : "which the IAM table (src/asl/integrations.ts) does not know";
  return (
    `Workflow "${workflow}" (${file}): state ${statePath} uses the integration "${resource}", ${what}, ` +
    `so its role would lack the permission. Grant it explicitly with the stage stack's extraStatements prop, e.g. ` +
    `extraStatements: { "${workflow}": [{ covers: ["${resource}"], actions: ["<service>:<Action>"], resources: ["<arn>"] }] } (see modules/README.md, "Escape hatch"), ` +
    `or add a row for it to src/asl/integrations.ts.`
  );
}

/** A known integration with a suffix it does not have (`lambda:invoke.sync`): that Resource does not exist in AWS. */
export class UnsupportedPatternError extends ProjectError {
  constructor(workflow: string, file: string, statePath: string, resource: string, base: string, patterns: readonly string[]) {
    const suffix = resource.slice(base.length);
    const forms = patterns.map((p) => `"${base}${p}"`).join(", ");
    super(
      `Workflow "${workflow}" (${file}): state ${statePath} uses "${resource}", which does not exist: ` +
        `this integration has no "${suffix}" pattern (received "${resource}"). Fix: use one of ${forms}.`,
      file,
    );
  }
}

/** The integration row an ARN context and the options make. */
function arnContext(options: DeriveOptions): ArnContext {
  return {
    partition: "aws",
    region: "*",
    accountId: "*",
    ...options.arn,
    knownFunctionArns: options.functionArns ? new Set(options.functionArns) : undefined,
    references: options.references,
  };
}

/** One row per permission each Task needs, in state order, then one per extra statement. */
export function derivePermissions(definition: JsonObject, options: DeriveOptions): PermissionRow[] {
  const arn = arnContext(options);
  const extras = options.extraStatements ?? [];
  const coveredBy = new Map<string, string[]>();
  const rows: PermissionRow[] = [];
  const push = (statePath: string, integration: string, doc: string, grants: Grant[]) => {
    for (const g of grants) {
      rows.push({
        actions: [...g.actions],
        resources: [...g.resources],
        statePath,
        integration,
        reason: g.reason,
        doc: g.doc ?? doc,
        ...(g.conditions && g.conditions.length > 0 ? { conditions: g.conditions.map((c) => ({ ...c, values: [...c.values] })) } : {}),
        ...(g.warning ? { warning: g.warning } : {}),
        ...(g.dynamicField ? { dynamicField: g.dynamicField } : {}),
        ...(g.touches && g.touches.length > 0 ? { touches: [...g.touches] } : {}),
      });
    }
  };

  for (const ref of walkDefinition(definition).states) {
    const { state, path } = ref;
    if (state.Type === "Map") {
      const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
      const config = processor && isObject(processor.ProcessorConfig) ? processor.ProcessorConfig : undefined;
      if (config?.Mode === "DISTRIBUTED") {
        const [start, track, redrive] = DISTRIBUTED_MAP.grants(arn);
        push(path, DISTRIBUTED_MAP.id, DISTRIBUTED_MAP.doc, [start, track]);
        push(path, DISTRIBUTED_MAP.id, DISTRIBUTED_MAP.redriveDoc, [redrive]);
        for (const field of ["ItemReader", "ResultWriter"] as const) {
          const reader = state[field];
          if (isObject(reader) && typeof reader.Resource === "string") {
            resolve(`${path}.${field}`, reader.Resource, reader, ref.queryLanguage, field);
          }
        }
      }
      continue;
    }
    if (state.Type !== "Task" || typeof state.Resource !== "string") continue;
    resolve(path, state.Resource, state, ref.queryLanguage, "Task");
  }

  function resolve(path: string, resource: string, node: JsonObject, language: string, place: ResourcePlace): void {
    const sdk = parseSdkResource(resource);
    if (sdk) {
      const base = `${resource.slice(0, resource.length - sdk.pattern.length)}`;
      if (!SDK_PATTERNS.includes(sdk.pattern)) throw new UnsupportedPatternError(options.workflow, options.file, path, resource, base, SDK_PATTERNS);
      const why = SDK_UNDERIVABLE[sdk.service];
      if (why) {
        if (!extras.some((s) => s.covers?.includes(resource))) throw new UnknownIntegrationError(options.workflow, options.file, path, resource, why);
        coveredBy.set(resource, [...(coveredBy.get(resource) ?? []), path]);
        return;
      }
      push(path, `aws-sdk:${sdk.service}:${sdk.action}`, AWS_SDK_DOC, sdkGrants(taskView(node, language, arn), sdk.service, sdk.action));
      return;
    }
    const service = parseServiceResource(resource);
    const integration = service && INTEGRATIONS_BY_ID.get(service.id);
    if (service && integration && (integration.places ?? ["Task"]).includes(place)) {
      if (!integration.patterns.includes(service.pattern)) {
        const base = resource.slice(0, resource.length - service.pattern.length);
        throw new UnsupportedPatternError(options.workflow, options.file, path, resource, base, integration.patterns);
      }
      push(path, integration.id, integration.doc, integration.grants(taskView(node, language, arn), service.pattern));
      return;
    }
    if (service && integration && !extras.some((s) => s.covers?.includes(resource))) {
      const places = (integration.places ?? ["Task"]).join(" or ");
      const sdk = place === "Task" ? ` As a Task, call the SDK instead: "${resource.replace(/states:::([a-z0-9-]+):/, "states:::aws-sdk:$1:")}".` : "";
      throw new ProjectError(
        `Workflow "${options.workflow}" (${options.file}): state ${path} uses "${resource}" in a ${place}, where it does not exist: it is only valid in a distributed Map's ${places}.${sdk}`,
        options.file,
      );
    }
    if (place === "Task" && (PLAIN_LAMBDA.pattern.test(resource) || arn.knownFunctionArns?.has(resource))) {
      push(path, PLAIN_LAMBDA.id, PLAIN_LAMBDA.doc, [{ actions: ["lambda:InvokeFunction"], resources: [resource], reason: "invoke the function named by Resource" }]);
      return;
    }
    // Activities are polled by workers; the state machine's role needs nothing for them.
    if (place === "Task" && /^arn:[\w-]+:states:[^:]+:[^:]+:activity:/.test(resource)) return;
    const extra = extras.find((s) => s.covers?.includes(resource));
    if (!extra) throw new UnknownIntegrationError(options.workflow, options.file, path, resource);
    coveredBy.set(resource, [...(coveredBy.get(resource) ?? []), path]);
  }

  for (const extra of extras) {
    const paths = (extra.covers ?? []).flatMap((r) => coveredBy.get(r) ?? []);
    rows.push({
      actions: [...extra.actions],
      resources: [...extra.resources],
      statePath: paths.length > 0 ? paths.join(", ") : "(extraStatements)",
      integration: "extraStatements",
      reason: extra.reason ?? "granted explicitly",
      doc: "modules/README.md#escape-hatch",
    });
  }
  return [...rows, ...kmsRows(rows, options.encryptionKeys ?? {})];
}

/**
 * On the key of every customer-managed-key encrypted resource a row touches
 * (the resource, or an object or index under it, or what its `touches` names:
 * the bus of a rule): exactly the KMS actions its service actions need
 * (kms.ts), one row per state and resource.
 */
function kmsRows(rows: readonly PermissionRow[], keys: Readonly<Record<string, string>>): PermissionRow[] {
  const encrypted = Object.entries(keys);
  const needed = new Map<string, { statePath: string; resource: string; key: string; uses: Set<string>; kms: Set<string>; docs: string[] }>();
  for (const row of rows) {
    const needs = kmsNeeds(row);
    if (needs.actions.length === 0) continue;
    for (const [resource, key] of encrypted) {
      const on = [...row.resources, ...(row.touches ?? [])];
      if (!on.some((r) => r === resource || r.startsWith(`${resource}/`) || r.startsWith(`${resource}:`))) continue;
      const id = `${row.statePath}\u0000${resource}`;
      const entry = needed.get(id) ?? { statePath: row.statePath, resource, key, uses: new Set<string>(), kms: new Set<string>(), docs: [] };
      row.actions.forEach((a) => entry.uses.add(a));
      needs.actions.forEach((a) => entry.kms.add(a));
      needs.docs.forEach((d) => entry.docs.includes(d) || entry.docs.push(d));
      needed.set(id, entry);
    }
  }
  return [...needed.values()].map((e) => {
    const actions = [...e.kms].sort();
    return {
      actions,
      resources: [e.key],
      statePath: e.statePath,
      integration: KMS_INTEGRATION,
      reason: `${e.resource} is encrypted with a customer-managed KMS key: ${[...e.uses].sort().join(", ")} needs ${actions.join(" and ")} on it`,
      doc: e.docs[e.docs.length - 1],
    };
  });
}

/**
 * The Task targets the lint reports when they are computed at run time (SFN125,
 * src/asl/rules/tasks.ts, which says what the derivation then grants): no second warning for them.
 */
export const LINTED_DYNAMIC_TARGETS: ReadonlySet<string> = new Set(["FunctionName", "StateMachineArn", "QueueUrl", "TopicArn", "TableName", "EventBusName"]);

/** The rows of one Task state on its own, as derivePermissions gives them for it in a definition (and throws as it does). */
export function derivePermissionsOfState(state: JsonObject, queryLanguage: string, options: DeriveOptions): PermissionRow[] {
  return derivePermissions({ QueryLanguage: queryLanguage, StartAt: "Task", States: { Task: state } }, options);
}

/** IAM001 warnings: every grant broader than its state needs, for the synthesis report and the review. */
export function permissionFindings(rows: ReadonlyArray<Pick<PermissionRow, "statePath" | "warning" | "dynamicField">>, file: string): Finding[] {
  const linted = (r: Pick<PermissionRow, "statePath" | "dynamicField">) => r.dynamicField !== undefined && LINTED_DYNAMIC_TARGETS.has(r.dynamicField) && !/\.(ItemReader|ResultWriter)$/.test(r.statePath);
  return rows
    .filter((r) => r.warning && !linted(r))
    .map((r) => ({ code: "IAM001", severity: "warning" as const, file, path: r.statePath, message: r.warning as string }));
}

/** The Task's field `name` (dotted for nested objects), DYNAMIC when computed at run time. */
function taskView(node: JsonObject, language: string, arn: ArnContext): TaskView {
  const jsonata = language === "JSONata";
  const args = jsonata ? node.Arguments : node.Parameters;
  const isExpression = (v: unknown) => typeof v === "string" && v.trim().startsWith("{%");
  return {
    arn,
    field(name: string): unknown {
      let current: unknown = args;
      for (const part of name.split(".")) {
        if (isExpression(current)) return DYNAMIC;
        if (!isObject(current)) return undefined;
        if (!jsonata && `${part}.$` in current) return DYNAMIC;
        current = current[part];
      }
      return jsonata && isExpression(current) ? DYNAMIC : current;
    },
    expression(name: string): string | undefined {
      const parts = name.split(".");
      let current: unknown = args;
      for (const part of parts.slice(0, -1)) current = isObject(current) ? current[part] : undefined;
      if (!isObject(current)) return undefined;
      const last = parts[parts.length - 1];
      const value = jsonata ? current[last] : current[`${last}.$`];
      return typeof value === "string" && (!jsonata || isExpression(value)) ? value : undefined;
    },
  };
}

/** An identity-policy statement: what a role's policy document holds. */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
  /** @default none */
  readonly conditions?: Condition[];
}

/**
 * Merges rows that grant the same actions (under the same conditions) into one
 * statement with the union of their resources, sorted, so the policy is short,
 * readable and byte-stable.
 */
export function toPolicyStatements(rows: readonly PermissionRow[]): PolicyStatement[] {
  const byKey = new Map<string, { actions: string[]; resources: Set<string>; conditions?: Condition[] }>();
  for (const row of mergeKmsRows(rows)) {
    const actions = [...new Set(row.actions)].sort();
    const conditions = row.conditions && row.conditions.length > 0 ? row.conditions : undefined;
    const key = `${actions.join(",")}|${conditions ? JSON.stringify(conditions) : ""}`;
    const entry = byKey.get(key) ?? { actions, resources: new Set<string>(), ...(conditions ? { conditions } : {}) };
    row.resources.forEach((r) => entry.resources.add(r));
    byKey.set(key, entry);
  }
  const used = new Map<string, number>();
  return [...byKey.values()]
    .sort((a, b) => a.actions.join(",").localeCompare(b.actions.join(",")) || JSON.stringify(a.conditions ?? []).localeCompare(JSON.stringify(b.conditions ?? [])))
    .map(({ actions, resources, conditions }) => {
      const base = sidFor(actions);
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      return { sid: n === 1 ? base : `${base}${n}`, actions, resources: [...resources].sort(), ...(conditions ? { conditions } : {}) };
    });
}

/** One KMS row per key, with the union of what the states need on it: one statement per key, not one per combination. */
function mergeKmsRows(rows: readonly PermissionRow[]): Array<Pick<PermissionRow, "actions" | "resources" | "conditions">> {
  const perKey = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.integration !== KMS_INTEGRATION) continue;
    for (const key of row.resources) row.actions.forEach((a) => perKey.set(key, (perKey.get(key) ?? new Set<string>()).add(a)));
  }
  return [...rows.filter((r) => r.integration !== KMS_INTEGRATION), ...[...perKey].map(([key, actions]) => ({ actions: [...actions], resources: [key] }))];
}

/** `lambda:InvokeFunction` -> `LambdaInvokeFunction`; several actions of one service -> `<Service>` + first action + `Etc`. */
function sidFor(actions: string[]): string {
  const [service, action] = actions[0].split(":");
  const base = service.charAt(0).toUpperCase() + service.slice(1).replace(/[^A-Za-z0-9]/g, "") + (action ?? "").replace(/[^A-Za-z0-9]/g, "");
  return actions.length > 1 ? `${base}Etc` : base;
}
