/**
 * The integration -> IAM data table: one row per ASL Task resource the project
 * knows, with the actions the state machine's role needs, how the IAM resource
 * is derived from the Task's Parameters (JSONPath) or Arguments (JSONata), and
 * the AWS page the row comes from. Reviewed like data: to support a new
 * integration, add a row here (and a failing and a passing definition to
 * __tests__/asl/iam-rows*.test.ts). `aws-sdk:*` integrations are derived from
 * the SDK service and action names (aws-sdk.ts; EventBridge rules in eventbridge.ts).
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
  /** The state machine being derived (a distributed Map starts child executions of itself; an HTTP Task is authorized on it). */
  readonly stateMachineName?: string;
  /** Values known to be full function ARNs although they do not look like one (Terraform tokens). */
  readonly knownFunctionArns?: ReadonlySet<string>;
  /**
   * Values that stand for a resource whose ARN is known although the value is
   * not that ARN: a declared table's name or a queue's URL rendered as a
   * Terraform reference, mapped to the resource's ARN reference.
   */
  readonly references?: Readonly<Record<string, string>>;
}

/** An IAM condition, in the shape of Terraform's aws_iam_policy_document. */
export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** What one Task needs: a statement's worth of actions on resources. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly reason: string;
  /** @default none */
  readonly conditions?: readonly Condition[];
  /** Set when the grant is broader than the Task needs (a `*` or a whole bucket): said as a warning at synthesis and in reviews. */
  readonly warning?: string;
  /** The parameter computed at run time that made the grant broad, when that is why. */
  readonly dynamicField?: string;
  /**
   * Resources the call reads or changes besides those it is granted on (the
   * event bus a rule belongs to): where the KMS derivation (iam.ts, kms.ts)
   * looks for a customer-managed key. @default none
   */
  readonly touches?: readonly string[];
  /** The AWS page this grant comes from, when not the integration's own. @default the integration's doc */
  readonly doc?: string;
}

/** The Task's target fields: Parameters (JSONPath) or Arguments (JSONata). */
export interface TaskView {
  /**
   * The field value (a dotted name reaches into objects: `Authentication.ConnectionArn`),
   * DYNAMIC when the field is computed at run time (`Field.$` or a `{% %}` expression),
   * undefined when absent.
   */
  field(name: string): unknown;
  /** The run-time expression of a DYNAMIC field (the `Field.$` path or intrinsic, or the `{% %}` JSONata), else undefined. */
  expression?(name: string): string | undefined;
  readonly arn: ArnContext;
}

/**
 * The literal start of a key computed at run time, when the expression shows it:
 * `States.Format('in/{}.json', $.id)` or `{% 'in/' & $states.input.id %}` -> `in/`.
 */
export function literalPrefix(expression: string | undefined): string {
  if (expression === undefined) return "";
  const format = /^States\.Format\(\s*'((?:[^'\\{]|\\.)*)/.exec(expression.trim());
  if (format) return format[1].replace(/\\(.)/g, "$1");
  const jsonata = /^\{%\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*&/.exec(expression.trim());
  return jsonata ? jsonata[2] : "";
}

/** The value of a field whose target is only known at run time. */
export const DYNAMIC = Symbol("dynamic");

/** Where an ASL Resource appears: a Task state, or a distributed Map's ItemReader or ResultWriter. */
export type ResourcePlace = "Task" | "ItemReader" | "ResultWriter";

export interface Integration {
  /** The ASL Resource without partition and pattern suffix, e.g. `lambda:invoke`. */
  readonly id: string;
  /** The service integration patterns this row accepts: '' (request-response), `.sync`, `.sync:2`, `.waitForTaskToken`. */
  readonly patterns: readonly string[];
  /** @default ["Task"] */
  readonly places?: readonly ResourcePlace[];
  /** The AWS page listing the IAM policy for this integration. */
  readonly doc: string;
  readonly grants: (task: TaskView, pattern: string) => Grant[];
}

export const STATES_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg";

/** `*` plus why, when a target is computed at run time: the only case where a resource wildcard is unavoidable. */
export const dynamicGrant = (actions: readonly string[], field: string, resources: readonly string[] = ["*"]): Grant => {
  const on = resources.join(", ");
  const why = `${field} is computed at run time, so the target cannot be known at synthesis: granted on ${on === "*" ? '"*"' : on}`;
  return { actions, resources, reason: `${why} (name the target literally to narrow it)`, warning: `${actions.join(", ")} ${why}. Fix: name ${field} literally.`, dynamicField: field };
};

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The ARN a value stands for when the context knows it (a Terraform reference to a declared resource), else undefined. */
function known(value: string, arn: ArnContext): string | undefined {
  return arn.references?.[value];
}

/** `arn:<partition>:<service>:<region>:<account>:<rest>` with the context's partition, region and account. */
export function arnOf(arn: ArnContext, service: string, rest: string, region = arn.region, account = arn.accountId): string {
  return `arn:${arn.partition}:${service}:${region}:${account}:${rest}`;
}

/** A Lambda function given by name, partial ARN or full ARN, as FunctionName accepts it. */
export function lambdaFunctionArn(value: string, arn: ArnContext): string {
  if (value.startsWith("arn:") || arn.knownFunctionArns?.has(value)) return value;
  const ref = known(value, arn);
  if (ref) return ref;
  // "123456789012:function:name" (partial ARN) or "name[:qualifier]".
  const partial = /^(\d{12}):function:(.+)$/.exec(value);
  if (partial) return arnOf(arn, "lambda", `function:${partial[2]}`, arn.region, partial[1]);
  return arnOf(arn, "lambda", `function:${value}`);
}

/** Unqualified ARNs also get `ARN:*` so versions and aliases can be invoked; a qualified ARN is granted as is. */
export function withQualifiers(functionArn: string): string[] {
  const isLiteralArn = /^arn:[^:]+:lambda:/.test(functionArn);
  const qualified = isLiteralArn && functionArn.split(":").length > 7;
  return qualified ? [functionArn] : [functionArn, `${functionArn}:*`];
}

/** https://sqs.<region>.amazonaws.com/<account>/<name> -> arn:...:sqs:<region>:<account>:<name>. */
export function queueArnFromUrl(url: string, arn: ArnContext): string {
  const ref = known(url, arn);
  if (ref) return ref;
  if (url.startsWith("arn:")) return url;
  const match = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (match) return arnOf(arn, "sqs", match[3], match[1], match[2]);
  const legacy = /^https:\/\/([a-z0-9-]+)\.queue\.amazonaws\.com\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url);
  if (legacy) return arnOf(arn, "sqs", legacy[3], legacy[1], legacy[2]);
  // Another form: match the name at the end.
  const name = url.split("/").pop() ?? url;
  return arnOf(arn, "sqs", name);
}

export function tableArn(name: string, arn: ArnContext): string {
  return known(name, arn) ?? (name.startsWith("arn:") ? name : arnOf(arn, "dynamodb", `table/${name}`));
}

export function busArn(name: string, arn: ArnContext): string {
  return known(name, arn) ?? (name.startsWith("arn:") ? name : arnOf(arn, "events", `event-bus/${name}`));
}

/** `arn:<partition>:s3:::<bucket>`, or the ARN a Terraform reference to the bucket's name stands for. */
export function bucketArn(bucket: string, arn: ArnContext): string {
  return known(bucket, arn) ?? (bucket.startsWith("arn:") ? bucket : `arn:${arn.partition}:s3:::${bucket}`);
}

export function stateMachineArn(arn: ArnContext, name = arn.stateMachineName ?? "*"): string {
  return arnOf(arn, "states", `stateMachine:${name}`);
}

/** arn:...:stateMachine:name -> arn:...:execution:name:* (the executions a .sync task describes and stops). */
export function executionsOf(machineArn: string): string {
  const parts = machineArn.split(":");
  if (parts.length === 7 && parts[5] === "stateMachine") return [...parts.slice(0, 5), "execution", parts[6], "*"].join(":");
  return `${machineArn.replace(":stateMachine:", ":execution:")}:*`;
}

/** A field: its literal value, DYNAMIC, or undefined when absent. */
export function target(task: TaskView, field: string): string | typeof DYNAMIC | undefined {
  const value = task.field(field);
  return value === DYNAMIC ? DYNAMIC : text(value);
}

function single(task: TaskView, field: string, actions: string[], toArns: (value: string) => string[], reason: string): Grant[] {
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

/**
 * The EventBridge rule a `.sync` integration creates in the account to learn
 * that the job finished: on the default bus, so its ARN is `rule/<name>` (no
 * bus part), and a customer-managed key on that bus needs kms:Decrypt (kms.ts).
 */
function managedRule(task: TaskView, rule: string, reason: string): Grant {
  return {
    actions: ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
    resources: [arnOf(task.arn, "events", `rule/${rule}`)],
    reason,
    touches: [busArn("default", task.arn)],
  };
}

/** A resource named by a field (name or ARN), granted `actions`; `*` with a warning when the field is computed at run time. */
function named(task: TaskView, field: string, actions: string[], build: (name: string) => string, reason: string): Grant[] {
  const value = target(task, field);
  if (value === DYNAMIC) return [dynamicGrant(actions, field)];
  if (value === undefined) return [];
  const resource = known(value, task.arn) ?? (value.startsWith("arn:") ? value : build(value));
  return [{ actions, resources: [resource], reason }];
}

/** The bucket and prefix of a distributed Map's ResultWriter or an S3 ItemReader: `bucket/prefix/*`, or the whole bucket when the prefix is dynamic. */
function objectsUnder(task: TaskView, actions: string[], keyField: "Key" | "Prefix", reason: string): Grant[] {
  const bucket = target(task, "Bucket");
  if (bucket === undefined) return [];
  if (bucket === DYNAMIC) return [dynamicGrant(actions, "Bucket")];
  const base = bucketArn(bucket, task.arn);
  const key = target(task, keyField);
  if (key === DYNAMIC) {
    // A key built from a literal start (`States.Format('in/{}', ...)`) stays under it.
    return [dynamicGrant(actions, keyField, [`${base}/${literalPrefix(task.expression?.(keyField))}*`])];
  }
  if (keyField === "Key") return [{ actions, resources: [`${base}/${key ?? "*"}`], reason }];
  const prefix = key === undefined ? "" : key.replace(/\/+$/, "");
  return [{ actions, resources: [prefix ? `${base}/${prefix}/*` : `${base}/*`], reason }];
}

const SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

/**
 * Where an HTTP Task names its EventBridge connection: `InvocationConfig.ConnectionArn`
 * (recommended by AWS, for public and private APIs) or `Authentication.ConnectionArn`
 * (kept for backwards compatibility); call-https-apis.html, "HTTP Task fields". The
 * permissions AWS lists for the Task are the same either way, so either gets the same
 * grants; a Task giving both gets both connections' grants.
 */
export const HTTP_CONNECTION_FIELDS = ["InvocationConfig.ConnectionArn", "Authentication.ConnectionArn"] as const;

/** The connection's credentials and the Secrets Manager secret EventBridge keeps them in, for every connection the HTTP Task names. */
function connectionGrants(task: TaskView): Grant[] {
  const secretActions = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"];
  const given = HTTP_CONNECTION_FIELDS.map((field) => ({ field, value: target(task, field) })).filter((c) => c.value !== undefined);
  const dynamic = given.filter((c) => c.value === DYNAMIC).map((c) => c.field);
  // Arguments computed as a whole make every field dynamic: one pair of grants, naming the fields once.
  const dynamicField = dynamic.join(" or ");
  const grants: Grant[] = [];
  if (dynamic.length > 0) {
    grants.push(
      dynamicGrant(["events:RetrieveConnectionCredentials"], dynamicField, [arnOf(task.arn, "events", "connection/*")]),
      dynamicGrant(secretActions, dynamicField, [arnOf(task.arn, "secretsmanager", "secret:events!connection/*")]),
    );
  }
  const seen = new Set<string>();
  for (const { field, value } of given) {
    if (typeof value !== "string") continue;
    const connectionArn = known(value, task.arn) ?? value;
    if (seen.has(connectionArn)) continue;
    seen.add(connectionArn);
    // arn:aws:events:<region>:<account>:connection/<name>/<uuid>: the connection's secret is events!connection/<name>/<uuid>-suffix.
    const parsed = /^arn:[^:]+:events:([^:]*):([^:]*):connection\/([^/]+)(?:\/.*)?$/.exec(connectionArn);
    const secret = parsed
      ? arnOf(task.arn, "secretsmanager", `secret:events!connection/${parsed[3]}/*`, parsed[1], parsed[2])
      : arnOf(task.arn, "secretsmanager", "secret:events!connection/*");
    grants.push(
      { actions: ["events:RetrieveConnectionCredentials"], resources: [connectionArn], reason: `read the credentials of the EventBridge connection in ${field}` },
      { actions: secretActions, resources: [secret], reason: "the connection keeps its credentials in this Secrets Manager secret, which EventBridge manages" },
    );
  }
  return grants;
}

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
    grants: (task) => single(task, "QueueUrl", ["sqs:SendMessage"], (u) => [queueArnFromUrl(u, task.arn)], "send to the queue in QueueUrl"),
  },
  {
    id: "sns:publish",
    patterns: ["", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-sns.html`,
    grants: (task) => {
      // Publish takes TopicArn or TargetArn (a mobile endpoint) or PhoneNumber (no resource).
      const topic = target(task, "TopicArn");
      const field = topic !== undefined ? "TopicArn" : "TargetArn";
      return single(task, field, ["sns:Publish"], (t) => [known(t, task.arn) ?? t], `publish to the ${field}`);
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
      const raw = target(task, "StateMachineArn");
      if (raw === undefined) return [];
      const value = raw === DYNAMIC ? DYNAMIC : (known(raw, task.arn) ?? raw);
      const start: Grant =
        value === DYNAMIC
          ? dynamicGrant(["states:StartExecution"], "StateMachineArn")
          : { actions: ["states:StartExecution"], resources: [value], reason: "start the state machine in StateMachineArn" };
      if (!pattern.startsWith(".sync")) return [start];
      const executions: Grant =
        value === DYNAMIC
          ? dynamicGrant(["states:DescribeExecution", "states:StopExecution"], "StateMachineArn")
          : { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [executionsOf(value)], reason: ".sync waits for the child execution and stops it when the parent stops" };
      return [start, executions, managedRule(task, SYNC_RULE, ".sync learns of the child's completion through this managed EventBridge rule")];
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
    id: "http:invoke",
    patterns: [""],
    doc: `${STATES_DOC}/call-https-apis.html`,
    grants: (task) => {
      const method = target(task, "Method");
      const endpoint = target(task, "ApiEndpoint");
      const conditions: Condition[] = [];
      if (typeof method === "string") conditions.push({ test: "StringEquals", variable: "states:HTTPMethod", values: [method] });
      if (typeof endpoint === "string") conditions.push({ test: "StringLike", variable: "states:HTTPEndpoint", values: [endpoint] });
      const dynamicFields = [method === DYNAMIC ? "Method" : "", endpoint === DYNAMIC ? "ApiEndpoint" : ""].filter(Boolean);
      const invoke: Grant = {
        actions: ["states:InvokeHTTPEndpoint"],
        resources: [stateMachineArn(task.arn)],
        conditions,
        reason: "call the HTTPS endpoint in ApiEndpoint with the Method (the conditions pin both)",
        ...(dynamicFields.length > 0
          ? { warning: `states:InvokeHTTPEndpoint: ${dynamicFields.join(" and ")} computed at run time, so the grant is not limited to one ${dynamicFields.map((f) => (f === "Method" ? "method" : "endpoint")).join(" or ")}. Fix: give them literally.` }
          : {}),
      };
      return [invoke, ...connectionGrants(task)];
    },
  },
  {
    id: "ecs:runTask",
    patterns: ["", ".sync", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-ecs.html`,
    grants: (task, pattern) => {
      const run = named(task, "TaskDefinition", ["ecs:RunTask"], (d) => arnOf(task.arn, "ecs", `task-definition/${d.includes(":") ? d : `${d}:*`}`), "run the task definition in TaskDefinition (a task role also needs iam:PassRole: add it with extraStatements)");
      if (pattern !== ".sync") return run;
      return [
        ...run,
        { actions: ["ecs:DescribeTasks", "ecs:StopTask"], resources: ["*"], reason: ".sync watches and stops the task, whose id is only known once it runs (AWS documents \"*\"; only tasks Step Functions started can be stopped)" },
        managedRule(task, "StepFunctionsGetEventsForECSTaskRule", ".sync learns that the ECS task finished through this managed EventBridge rule"),
      ];
    },
  },
  {
    id: "batch:submitJob",
    patterns: ["", ".sync"],
    doc: `${STATES_DOC}/connect-batch.html`,
    grants: (task, pattern) => {
      const queue = named(task, "JobQueue", ["batch:SubmitJob"], (q) => arnOf(task.arn, "batch", `job-queue/${q}`), "submit to the job queue in JobQueue");
      const definition = named(task, "JobDefinition", ["batch:SubmitJob"], (d) => arnOf(task.arn, "batch", `job-definition/${d.includes(":") ? d : `${d}:*`}`), "submit the job definition in JobDefinition");
      const submit = [...queue, ...definition];
      if (pattern !== ".sync") return submit;
      return [
        ...submit,
        { actions: ["batch:DescribeJobs", "batch:TerminateJob"], resources: ["*"], reason: ".sync watches and stops the job, whose id is only known once submitted (DescribeJobs has no resource-level permission)" },
        managedRule(task, "StepFunctionsGetEventsForBatchJobsRule", ".sync learns that the Batch job finished through this managed EventBridge rule"),
      ];
    },
  },
  {
    id: "glue:startJobRun",
    patterns: ["", ".sync", ".waitForTaskToken"],
    doc: `${STATES_DOC}/connect-glue.html`,
    grants: (task, pattern) => {
      const actions = pattern === ".sync" ? ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"] : ["glue:StartJobRun"];
      // Glue's .sync polls the run: no EventBridge rule.
      return named(task, "JobName", actions, (j) => arnOf(task.arn, "glue", `job/${j}`), pattern === ".sync" ? "start the job in JobName, poll its run and stop it when the execution stops" : "start the job in JobName");
    },
  },
  {
    id: "codebuild:startBuild",
    patterns: ["", ".sync"],
    doc: `${STATES_DOC}/connect-codebuild.html`,
    grants: (task, pattern) => {
      const actions = pattern === ".sync" ? ["codebuild:BatchGetBuilds", "codebuild:BatchGetReports", "codebuild:StartBuild", "codebuild:StopBuild"] : ["codebuild:StartBuild"];
      const build = named(task, "ProjectName", actions, (p) => arnOf(task.arn, "codebuild", `project/${p}`), "start a build of the project in ProjectName");
      if (pattern !== ".sync") return build;
      // AWS's page spells this rule "GetEvent" (singular), unlike the others.
      return [...build, managedRule(task, "StepFunctionsGetEventForCodeBuildStartBuildRule", ".sync learns that the CodeBuild build finished through this managed EventBridge rule")];
    },
  },
  {
    id: "athena:startQueryExecution",
    patterns: ["", ".sync"],
    doc: `${STATES_DOC}/connect-athena.html`,
    grants: (task, pattern) => {
      const actions = pattern === ".sync" ? ["athena:GetQueryExecution", "athena:StartQueryExecution", "athena:StopQueryExecution"] : ["athena:StartQueryExecution"];
      const group = target(task, "WorkGroup");
      const workgroup: Grant =
        group === DYNAMIC
          ? dynamicGrant(actions, "WorkGroup")
          : { actions, resources: [arnOf(task.arn, "athena", `workgroup/${group ?? "primary"}`)], reason: "run the query in the WorkGroup (primary when absent)" };
      const output = target(task, "ResultConfiguration.OutputLocation");
      const grants = [workgroup];
      const s3Actions = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListMultipartUploadParts", "s3:PutObject"];
      if (output === DYNAMIC) grants.push(dynamicGrant(s3Actions, "ResultConfiguration.OutputLocation"));
      else if (output !== undefined) {
        const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(output);
        if (m) {
          const base = bucketArn(m[1], task.arn);
          const prefix = m[2].replace(/\/+$/, "");
          grants.push({ actions: s3Actions, resources: [base, prefix ? `${base}/${prefix}/*` : `${base}/*`], reason: "Athena writes the results to ResultConfiguration.OutputLocation" });
        }
      }
      return grants.map((g, i) =>
        i === 0
          ? {
              ...g,
              warning:
                g.warning ??
                "athena:StartQueryExecution: the tables the query reads (Glue Data Catalog, their S3 data, a results bucket set by the workgroup) cannot be read from the definition. Fix: grant them with extraStatements.",
            }
          : g,
      );
    },
  },
  {
    id: "s3:getObject",
    patterns: [""],
    places: ["ItemReader"],
    doc: `${STATES_DOC}/input-output-itemreader.html`,
    grants: (task) => objectsUnder(task, ["s3:GetObject"], "Key", "a distributed Map reads its items from this object"),
  },
  {
    id: "s3:listObjectsV2",
    patterns: [""],
    places: ["ItemReader"],
    doc: `${STATES_DOC}/input-output-itemreader.html`,
    grants: (task) => {
      const bucket = target(task, "Bucket");
      if (bucket === undefined) return [];
      if (bucket === DYNAMIC) return [dynamicGrant(["s3:ListBucket"], "Bucket")];
      const prefix = target(task, "Prefix");
      const list: Grant = { actions: ["s3:ListBucket"], resources: [bucketArn(bucket, task.arn)], reason: "a distributed Map lists the objects of this bucket" };
      if (typeof prefix !== "string") return [list];
      return [{ ...list, conditions: [{ test: "StringLike", variable: "s3:prefix", values: [`${prefix}*`] }], reason: "a distributed Map lists the objects under Prefix in this bucket" }];
    },
  },
  {
    id: "s3:putObject",
    patterns: [""],
    places: ["ResultWriter"],
    doc: `${STATES_DOC}/input-output-resultwriter.html`,
    grants: (task) =>
      objectsUnder(
        task,
        ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
        "Prefix",
        "a distributed Map writes its results (in multipart uploads) under this bucket and Prefix",
      ),
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

/** A distributed Map runs its items as child executions of the state machine itself, and can be redriven. */
export const DISTRIBUTED_MAP = {
  id: "map (DISTRIBUTED)",
  doc: `${STATES_DOC}/iam-policies-eg-dist-map.html`,
  redriveDoc: `${STATES_DOC}/redrive-map-run.html`,
  grants: (arn: ArnContext): Grant[] => {
    const name = arn.stateMachineName ?? "*";
    const executions = arnOf(arn, "states", `execution:${name}/*`);
    return [
      { actions: ["states:StartExecution"], resources: [stateMachineArn(arn, name)], reason: "a distributed Map starts child executions of this state machine" },
      { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [executions], reason: "a distributed Map tracks and stops its child executions" },
      { actions: ["states:RedriveExecution"], resources: [executions], reason: "redriving the parent execution redrives the Map Run's failed child executions" },
    ];
  },
};

/** Splits `arn:<partition>:states:::<service>:<api>[.pattern]`; undefined for anything else. */
export function parseServiceResource(resource: string): { id: string; pattern: string } | undefined {
  const match = /^arn:[\w-]+:states:::([a-z0-9-]+:[A-Za-z0-9]+)((?:\.[A-Za-z]+)(?::\d+)?)?$/.exec(resource);
  return match ? { id: match[1], pattern: match[2] ?? "" } : undefined;
}

/** The suffixes an integration pattern may have, as written in a Resource. */
export const KNOWN_PATTERNS = ["", ".sync", ".sync:2", ".waitForTaskToken"];
