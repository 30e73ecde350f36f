/**
 * The integration -> IAM data table: one row per ASL Task resource the project
 * knows, with the actions the state machine's role needs, how the IAM resource
 * is derived from the Task's Parameters (JSONPath) or Arguments (JSONata), and
 * the AWS page the row comes from. Reviewed like data: to support a new
 * integration, add a row here (and a test in __tests__/asl/iam.test.ts).
 *
 * Pure: no cdktf. Values may be Terraform tokens when synthesizing; they are
 * treated as opaque strings and only concatenated.
 */

/** Where ARNs are built from names: the account, region and partition (tokens when synthesizing). */
export interface ArnContext {
  /** @default "aws" */
  readonly partition: string;
  /** @default "*" (unknown: the ARN then matches any region) */
  readonly region: string;
  /** @default "*" (unknown: the ARN then matches any account) */
  readonly accountId: string;
  /** The state machine being derived (needed by a distributed Map, which starts child executions of itself). */
  readonly stateMachineName?: string;
  /** Values known to be full function ARNs although they do not look like one (Terraform tokens). */
  readonly knownFunctionArns?: ReadonlySet<string>;
}

/** What one Task needs: a statement's worth of actions on resources. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly reason: string;
}

/** The Task's target fields: Parameters (JSONPath) or Arguments (JSONata). */
export interface TaskView {
  /** The field value, or DYNAMIC when the field is computed at run time (`Field.$` or a `{% %}` expression). */
  field(name: string): unknown;
  readonly arn: ArnContext;
}

/** The value of a field whose target is only known at run time. */
export const DYNAMIC = Symbol("dynamic");

export interface Integration {
  /** The ASL Resource without partition and pattern suffix, e.g. `lambda:invoke`. */
  readonly id: string;
  /** The service integration patterns this row accepts: '' (request-response), `.sync`, `.sync:2`, `.waitForTaskToken`. */
  readonly patterns: readonly string[];
  /** The AWS page listing the IAM policy for this integration. */
  readonly doc: string;
  readonly grants: (task: TaskView, pattern: string) => Grant[];
}

const STATES_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg";

/** `*` plus why, when a target is computed at run time: the only case where a resource wildcard is unavoidable. */
const dynamicGrant = (actions: string[], field: string): Grant => ({
  actions,
  resources: ["*"],
  reason: `${field} is computed at run time, so the target cannot be known at synthesis: granted on "*" (name the target literally to narrow it)`,
});

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A Lambda function given by name, partial ARN or full ARN, as FunctionName accepts it. */
export function lambdaFunctionArn(value: string, arn: ArnContext): string {
  if (value.startsWith("arn:") || arn.knownFunctionArns?.has(value)) return value;
  // "123456789012:function:name" (partial ARN) or "name[:qualifier]".
  const partial = /^(\d{12}):function:(.+)$/.exec(value);
  if (partial) return `arn:${arn.partition}:lambda:${arn.region}:${partial[1]}:function:${partial[2]}`;
  return `arn:${arn.partition}:lambda:${arn.region}:${arn.accountId}:function:${value}`;
}

/** Unqualified ARNs also get `ARN:*` so versions and aliases can be invoked; a qualified ARN is granted as is. */
function withQualifiers(functionArn: string): string[] {
  const isLiteralArn = /^arn:[^:]+:lambda:/.test(functionArn);
  const qualified = isLiteralArn && functionArn.split(":").length > 7;
  return qualified ? [functionArn] : [functionArn, `${functionArn}:*`];
}

/** https://sqs.<region>.amazonaws.com/<account>/<name> -> arn:...:sqs:<region>:<account>:<name>. */
export function queueArnFromUrl(url: string, arn: ArnContext): string {
  const match = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (match) return `arn:${arn.partition}:sqs:${match[1]}:${match[2]}:${match[3]}`;
  const legacy = /^https:\/\/([a-z0-9-]+)\.queue\.amazonaws\.com\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (legacy) return `arn:${arn.partition}:sqs:${legacy[1]}:${legacy[2]}:${legacy[3]}`;
  // A Terraform token (the queue's url attribute) or another form: match the name at the end.
  const name = url.split("/").pop() ?? url;
  return `arn:${arn.partition}:sqs:${arn.region}:${arn.accountId}:${name}`;
}

function tableArn(name: string, arn: ArnContext): string {
  return name.startsWith("arn:") ? name : `arn:${arn.partition}:dynamodb:${arn.region}:${arn.accountId}:table/${name}`;
}

function busArn(name: string, arn: ArnContext): string {
  return name.startsWith("arn:") ? name : `arn:${arn.partition}:events:${arn.region}:${arn.accountId}:event-bus/${name}`;
}

/** arn:...:stateMachine:name -> arn:...:execution:name:* (the executions a .sync task describes and stops). */
function executionsOf(stateMachineArn: string): string {
  const parts = stateMachineArn.split(":");
  if (parts.length === 7 && parts[5] === "stateMachine") return [...parts.slice(0, 5), "execution", parts[6], "*"].join(":");
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:*`;
}

/** A required field: its literal value, DYNAMIC, or undefined when absent. */
function target(task: TaskView, field: string): string | typeof DYNAMIC | undefined {
  const value = task.field(field);
  return value === DYNAMIC ? DYNAMIC : text(value);
}

function single(
  task: TaskView,
  field: string,
  actions: string[],
  toArns: (value: string) => string[],
  reason: string,
): Grant[] {
  const value = target(task, field);
  if (value === DYNAMIC) return [dynamicGrant(actions, field)];
  if (value === undefined) return [];
  return [{ actions, resources: toArns(value), reason }];
}

const dynamo = (api: string, action: string): Integration => ({
  id: `dynamodb:${api}`,
  patterns: [""],
  doc: `${STATES_DOC}/connect-ddb.html`,
  grants: (task) => single(task, "TableName", [`dynamodb:${action}`], (t) => [tableArn(t, task.arn)], `${api} on the table in TableName`),
});

const SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

export const INTEGRATIONS: readonly Integration[] = [
  {
    id: "lambda:invoke",
    patterns: ["", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-lambda.html`,
    grants: (task) =>
      single(task, "FunctionName", ["lambda:InvokeFunction"], (f) => withQualifiers(lambdaFunctionArn(f, task.arn)), "invoke the function in FunctionName (and its versions and aliases)"),
  },
  {
    id: "sqs:sendMessage",
    patterns: ["", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-sqs.html`,
    grants: (task) => single(task, "QueueUrl", ["sqs:SendMessage"], (u) => [queueArnFromUrl(u, task.arn)], "send to the queue in QueueUrl (a queue encrypted with another KMS key also needs kms:GenerateDataKey on it: add it with extraStatements)"),
  },
  {
    id: "sns:publish",
    patterns: ["", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-sns.html`,
    grants: (task) => {
      // Publish takes TopicArn or TargetArn (a mobile endpoint) or PhoneNumber (no resource).
      const topic = target(task, "TopicArn");
      const field = topic !== undefined ? "TopicArn" : "TargetArn";
      return single(task, field, ["sns:Publish"], (t) => [t], `publish to the ${field}`);
    },
  },
  dynamo("getItem", "GetItem"),
  dynamo("putItem", "PutItem"),
  dynamo("updateItem", "UpdateItem"),
  dynamo("deleteItem", "DeleteItem"),
  {
    id: "states:startExecution",
    patterns: ["", ".sync", ".sync:2", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-stepfunctions.html`,
    grants: (task, pattern) => {
      const value = target(task, "StateMachineArn");
      if (value === undefined) return [];
      const start: Grant =
        value === DYNAMIC
          ? dynamicGrant(["states:StartExecution"], "StateMachineArn")
          : { actions: ["states:StartExecution"], resources: [value], reason: "start the state machine in StateMachineArn" };
      if (!pattern.startsWith(".sync")) return [start];
      const executions: Grant =
        value === DYNAMIC
          ? dynamicGrant(["states:DescribeExecution", "states:StopExecution"], "StateMachineArn")
          : { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [executionsOf(value)], reason: ".sync waits for the child execution and stops it when the parent stops" };
      const rule: Grant = {
        actions: ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
        resources: [`arn:${task.arn.partition}:events:${task.arn.region}:${task.arn.accountId}:rule/${SYNC_RULE}`],
        reason: ".sync learns of the child's completion through this managed EventBridge rule",
      };
      return [start, executions, rule];
    },
  },
  {
    id: "events:putEvents",
    patterns: ["", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-eventbridge.html`,
    grants: (task) => {
      const entries = task.field("Entries");
      if (entries === DYNAMIC) return [dynamicGrant(["events:PutEvents"], "Entries")];
      const buses = new Set<string>();
      let dynamic = false;
      for (const entry of Array.isArray(entries) ? entries : []) {
        const e = (entry ?? {}) as Record<string, unknown>;
        if ("EventBusName.$" in e || (typeof e.EventBusName === "string" && e.EventBusName.startsWith("{%"))) dynamic = true;
        else buses.add(busArn(text(e.EventBusName) ?? "default", task.arn));
      }
      if (dynamic) return [dynamicGrant(["events:PutEvents"], "Entries[].EventBusName")];
      if (buses.size === 0) buses.add(busArn("default", task.arn));
      return [{ actions: ["events:PutEvents"], resources: [...buses].sort(), reason: "put events on the bus in each entry's EventBusName (default bus when absent)" }];
    },
  },
  {
    id: "s3:getObject",
    patterns: [""],
    doc: `${STATES_DOC}/iam-policies-eg-dist-map.html`,
    grants: (task) => {
      const bucket = target(task, "Bucket");
      const key = target(task, "Key");
      if (bucket === DYNAMIC || key === DYNAMIC) return [dynamicGrant(["s3:GetObject"], "Bucket/Key")];
      if (bucket === undefined) return [];
      return [{ actions: ["s3:GetObject"], resources: [`arn:${task.arn.partition}:s3:::${bucket}/${key ?? "*"}`], reason: "a distributed Map reads its items from this object" }];
    },
  },
  {
    id: "s3:listObjectsV2",
    patterns: [""],
    doc: `${STATES_DOC}/iam-policies-eg-dist-map.html`,
    grants: (task) => single(task, "Bucket", ["s3:ListBucket"], (b) => [`arn:${task.arn.partition}:s3:::${b}`], "a distributed Map lists the objects of this bucket"),
  },
];

/** Lookup by `<service>:<api>`. */
export const INTEGRATIONS_BY_ID: ReadonlyMap<string, Integration> = new Map(INTEGRATIONS.map((i) => [i.id, i]));

/** A Resource naming a Lambda function directly (the legacy form; no Parameters). */
export const PLAIN_LAMBDA = {
  id: "lambda (function ARN as Resource)",
  doc: `${STATES_DOC}/connect-lambda.html`,
  pattern: /^arn:[\w-]+:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/,
};

/** A distributed Map runs its items as child executions of the state machine itself. */
export const DISTRIBUTED_MAP = {
  id: "map (DISTRIBUTED)",
  doc: `${STATES_DOC}/iam-policies-eg-dist-map.html`,
  grants: (arn: ArnContext): Grant[] => {
    const name = arn.stateMachineName ?? "*";
    const machine = `arn:${arn.partition}:states:${arn.region}:${arn.accountId}:stateMachine:${name}`;
    return [
      { actions: ["states:StartExecution"], resources: [machine], reason: "a distributed Map starts child executions of this state machine" },
      { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [`arn:${arn.partition}:states:${arn.region}:${arn.accountId}:execution:${name}/*`], reason: "a distributed Map tracks and stops its child executions" },
    ];
  },
};

/** Splits `arn:<partition>:states:::<service>:<api>[.pattern]`; undefined for anything else. */
export function parseServiceResource(resource: string): { id: string; pattern: string } | undefined {
  const match = /^arn:[\w-]+:states:::([a-z0-9-]+:[A-Za-z0-9]+)(\.waitForTaskToken|\.sync(?::2)?)?$/.exec(resource);
  return match ? { id: match[1], pattern: match[2] ?? "" } : undefined;
}
