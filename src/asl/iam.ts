/**
 * Least-privilege IAM for a state machine, derived from its rendered definition:
 * every Task (including those inside Parallel branches and Map processors) is
 * looked up in the integration table (integrations.ts). Nobody lists a
 * permission by hand, so a template that calls a new function cannot ship with
 * a role that cannot invoke it. Pure: the infrastructure and the review both use it.
 */

import { ProjectError } from "../errors";
import { isObject, walkDefinition, type JsonObject } from "./graph";
import {
  type ArnContext,
  DISTRIBUTED_MAP,
  DYNAMIC,
  type Grant,
  INTEGRATIONS_BY_ID,
  PLAIN_LAMBDA,
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
}

/**
 * An explicit grant: the escape hatch for an integration the table does not
 * know (or any extra permission). `covers` lists the ASL Resource values it
 * stands for, e.g. `["arn:aws:states:::glue:startJobRun.sync"]`; a Task whose
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
  /** Account, region and partition used to build ARNs from names. @default { partition: "aws", region: "*", accountId: "*" } */
  readonly arn?: Partial<ArnContext>;
  /**
   * Values that stand for Lambda function ARNs even though they do not look like
   * one (Terraform tokens when synthesizing), so `"Resource": {{lambda "x"}}` and
   * `"FunctionName": {{lambda "x"}}` are taken as ARNs, not as function names.
   * @default none
   */
  readonly functionArns?: ReadonlySet<string>;
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
  ) {
    super(unknownIntegrationMessage(workflow, file, statePath, resource), file);
  }
}

export function unknownIntegrationMessage(workflow: string, file: string, statePath: string, resource: string): string {
  return (
    `Workflow "${workflow}" (${file}): state ${statePath} uses the integration "${resource}", which the IAM table (src/asl/integrations.ts) does not know, ` +
    `so its role would lack the permission. Grant it explicitly with the stage stack's extraStatements prop, e.g. ` +
    `extraStatements: { "${workflow}": [{ covers: ["${resource}"], actions: ["<service>:<Action>"], resources: ["<arn>"] }] } (see modules/README.md, "Escape hatch"), ` +
    `or add a row for it to src/asl/integrations.ts.`
  );
}

/** One row per permission each Task needs, in state order, then one per extra statement. */
export function derivePermissions(definition: JsonObject, options: DeriveOptions): PermissionRow[] {
  const arn: ArnContext = { partition: "aws", region: "*", accountId: "*", ...options.arn, knownFunctionArns: options.functionArns };
  const extras = options.extraStatements ?? [];
  const coveredBy = new Map<string, string[]>();
  const rows: PermissionRow[] = [];
  const push = (statePath: string, integration: string, doc: string, grants: Grant[]) => {
    for (const g of grants) rows.push({ actions: [...g.actions], resources: [...g.resources], statePath, integration, reason: g.reason, doc });
  };

  for (const ref of walkDefinition(definition).states) {
    const { state, path } = ref;
    if (state.Type === "Map") {
      const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
      const config = processor && isObject(processor.ProcessorConfig) ? processor.ProcessorConfig : undefined;
      if (config?.Mode === "DISTRIBUTED") {
        push(path, DISTRIBUTED_MAP.id, DISTRIBUTED_MAP.doc, DISTRIBUTED_MAP.grants(arn));
        for (const field of ["ItemReader", "ResultWriter"]) {
          const reader = state[field];
          if (isObject(reader) && typeof reader.Resource === "string") {
            resolve(`${path}.${field}`, reader.Resource, reader, ref.queryLanguage);
          }
        }
      }
      continue;
    }
    if (state.Type !== "Task" || typeof state.Resource !== "string") continue;
    resolve(path, state.Resource, state, ref.queryLanguage);
  }

  function resolve(path: string, resource: string, node: JsonObject, language: string): void {
    const service = parseServiceResource(resource);
    const integration = service && INTEGRATIONS_BY_ID.get(service.id);
    if (service && integration && integration.patterns.includes(service.pattern)) {
      push(path, integration.id, integration.doc, integration.grants(taskView(node, language, arn), service.pattern));
      return;
    }
    if (PLAIN_LAMBDA.pattern.test(resource) || options.functionArns?.has(resource)) {
      push(path, PLAIN_LAMBDA.id, PLAIN_LAMBDA.doc, [{ actions: ["lambda:InvokeFunction"], resources: [resource], reason: "invoke the function named by Resource" }]);
      return;
    }
    // Activities are polled by workers; the state machine's role needs nothing for them.
    if (/^arn:[\w-]+:states:[^:]+:[^:]+:activity:/.test(resource)) return;
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
  return rows;
}

function taskView(node: JsonObject, language: string, arn: ArnContext): TaskView {
  const jsonata = language === "JSONata";
  const args = jsonata ? node.Arguments : node.Parameters;
  const isExpression = (v: unknown) => typeof v === "string" && v.trim().startsWith("{%");
  return {
    arn,
    field(name: string): unknown {
      if (isExpression(args)) return DYNAMIC;
      if (!isObject(args)) return undefined;
      if (!jsonata && `${name}.$` in args) return DYNAMIC;
      const value = args[name];
      return jsonata && isExpression(value) ? DYNAMIC : value;
    },
  };
}

/** An identity-policy statement: what a role's policy document holds. */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
}

/**
 * Merges rows that grant the same actions into one statement with the union of
 * their resources, sorted, so the policy is short, readable and byte-stable.
 */
export function toPolicyStatements(rows: readonly PermissionRow[]): PolicyStatement[] {
  const byActions = new Map<string, { actions: string[]; resources: Set<string> }>();
  for (const row of rows) {
    const actions = [...new Set(row.actions)].sort();
    const key = actions.join(",");
    const entry = byActions.get(key) ?? { actions, resources: new Set<string>() };
    row.resources.forEach((r) => entry.resources.add(r));
    byActions.set(key, entry);
  }
  const used = new Map<string, number>();
  return [...byActions.values()]
    .sort((a, b) => a.actions.join(",").localeCompare(b.actions.join(",")))
    .map(({ actions, resources }) => {
      const base = sidFor(actions);
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      return { sid: n === 1 ? base : `${base}${n}`, actions, resources: [...resources].sort() };
    });
}

/** `lambda:InvokeFunction` -> `LambdaInvokeFunction`; several actions of one service -> `<Service>` + first action + `Etc`. */
function sidFor(actions: string[]): string {
  const [service, action] = actions[0].split(":");
  const base = service.charAt(0).toUpperCase() + service.slice(1).replace(/[^A-Za-z0-9]/g, "") + (action ?? "").replace(/[^A-Za-z0-9]/g, "");
  return actions.length > 1 ? `${base}Etc` : base;
}
