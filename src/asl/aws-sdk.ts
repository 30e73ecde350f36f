/**
 * `arn:aws:states:::aws-sdk:<service>:<action>` (and `.waitForTaskToken`):
 * Step Functions calls any SDK action, and the role needs the IAM action
 * `<prefix>:<Action>`. The prefix is the SDK service name except where AWS's
 * IAM service prefix differs (SDK_IAM_PREFIX); the action is the SDK action in
 * PascalCase except where IAM names it differently (SDK_ACTIONS). The resource
 * comes from the literal parameter where the service's ARN shape is known
 * (SDK_RESOURCES; EventBridge rules and targets in eventbridge.ts), else it is `*` with a warning. Services whose IAM actions
 * cannot be derived from the SDK call (SDK_UNDERIVABLE) are an error naming
 * the escape hatch.
 *
 * Sources: https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * (the SDK service names) and the Service Authorization Reference
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (the IAM service prefixes and actions).
 */

import {
  type ArnContext,
  DYNAMIC,
  literalPrefix,
  type Grant,
  type TaskView,
  arnOf,
  bucketArn,
  dynamicGrant,
  lambdaFunctionArn,
  queueArnFromUrl,
  tableArn,
  target,
  withQualifiers,
} from "./integrations";
import { eventBridgeGrants } from "./eventbridge";

export const AWS_SDK_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html";

/** SDK service name -> IAM service prefix, where they differ. */
export const SDK_IAM_PREFIX: Readonly<Record<string, string>> = {
  acmpca: "acm-pca",
  apigatewayv2: "apigateway",
  appconfigdata: "appconfig",
  applicationautoscaling: "application-autoscaling",
  applicationinsights: "applicationinsights",
  autoscalingplans: "autoscaling-plans",
  bedrockagent: "bedrock",
  bedrockagentruntime: "bedrock",
  bedrockruntime: "bedrock",
  cloudcontrol: "cloudformation",
  cloudwatchevents: "events",
  cloudwatchlogs: "logs",
  codeguruprofiler: "codeguru-profiler",
  codegurureviewer: "codeguru-reviewer",
  codestarconnections: "codestar-connections",
  codestarnotifications: "codestar-notifications",
  cognitoidentity: "cognito-identity",
  cognitoidentityprovider: "cognito-idp",
  cognitosync: "cognito-sync",
  configservice: "config",
  costexplorer: "ce",
  databasemigration: "dms",
  docdb: "rds",
  dynamodbstreams: "dynamodb",
  ecrpublic: "ecr-public",
  efs: "elasticfilesystem",
  elasticloadbalancing: "elasticloadbalancing",
  elasticloadbalancingv2: "elasticloadbalancing",
  elasticsearch: "es",
  emr: "elasticmapreduce",
  emrcontainers: "emr-containers",
  emrserverless: "emr-serverless",
  eventbridge: "events",
  iotdata: "iot",
  iotevents: "iotevents",
  ioteventsdata: "iotevents",
  kafkaconnect: "kafkaconnect",
  kinesisanalyticsv2: "kinesisanalytics",
  lexmodelsv2: "lex",
  lexruntimev2: "lex",
  marketplacecatalog: "aws-marketplace",
  marketplacemetering: "aws-marketplace",
  mediapackagevod: "mediapackage-vod",
  mediastoredata: "mediastore",
  migrationhub: "mgh",
  mwaa: "airflow",
  neptune: "rds",
  networkfirewall: "network-firewall",
  opensearch: "es",
  personalizeevents: "personalize",
  personalizeruntime: "personalize",
  pinpointemail: "ses",
  pinpointsmsvoice: "sms-voice",
  qldbsession: "qldb",
  rdsdata: "rds-data",
  redshiftdata: "redshift-data",
  resourcegroupstaggingapi: "tag",
  route53recoverycontrolconfig: "route53-recovery-control-config",
  sagemakerruntime: "sagemaker",
  sesv2: "ses",
  sfn: "states",
  ssmcontacts: "ssm-contacts",
  ssmincidents: "ssm-incidents",
  ssoadmin: "sso",
  ssooidc: "sso-oauth",
  timestreamquery: "timestream",
  timestreamwrite: "timestream",
};

/** `<service>:<action>` -> IAM actions, where IAM does not name the permission after the SDK action. */
export const SDK_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  "s3:listObjectsV2": ["s3:ListBucket"],
  "s3:listObjects": ["s3:ListBucket"],
  "s3:listObjectVersions": ["s3:ListBucketVersions"],
  "s3:listBuckets": ["s3:ListAllMyBuckets"],
  "s3:listMultipartUploads": ["s3:ListBucketMultipartUploads"],
  "s3:listParts": ["s3:ListMultipartUploadParts"],
  "s3:headObject": ["s3:GetObject"],
  "s3:headBucket": ["s3:ListBucket"],
  "s3:copyObject": ["s3:GetObject", "s3:PutObject"],
  "s3:deleteObjects": ["s3:DeleteObject"],
  "s3:createMultipartUpload": ["s3:PutObject"],
  "s3:uploadPart": ["s3:PutObject"],
  "s3:completeMultipartUpload": ["s3:PutObject"],
  "s3:getObjectAttributes": ["s3:GetObject", "s3:GetObjectAttributes"],
  "sqs:sendMessageBatch": ["sqs:SendMessage"],
  "sqs:deleteMessageBatch": ["sqs:DeleteMessage"],
  "sqs:changeMessageVisibilityBatch": ["sqs:ChangeMessageVisibility"],
  "sns:publishBatch": ["sns:Publish"],
  "lambda:invoke": ["lambda:InvokeFunction"],
  "lambda:invokeAsync": ["lambda:InvokeFunction"],
  "lambda:invokeWithResponseStream": ["lambda:InvokeFunction"],
  "bedrockruntime:converse": ["bedrock:InvokeModel"],
  "bedrockruntime:converseStream": ["bedrock:InvokeModelWithResponseStream"],
  "dynamodb:transactGetItems": ["dynamodb:GetItem"],
  "dynamodb:transactWriteItems": ["dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "dynamodb:executeStatement": ["dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"],
  "sts:getCallerIdentity": [],
};

/** Services whose IAM permissions cannot be derived from the SDK call: why, for the error. */
export const SDK_UNDERIVABLE: Readonly<Record<string, string>> = {
  apigateway: "API Gateway's management permissions are HTTP verbs on resource paths (apigateway:GET on /restapis/...), not named after the SDK action",
  apigatewayv2: "API Gateway's management permissions are HTTP verbs on resource paths (apigateway:GET on /apis/...), not named after the SDK action",
  apigatewaymanagementapi: "posting to a WebSocket connection needs execute-api:ManageConnections on the API's @connections path",
  s3control: "S3 Control actions are authorized per account, access point or job, each with its own action name",
};

/** IAM actions that AWS defines on no resource type: granted on `*` without a warning. */
export const NO_RESOURCE_ACTIONS: ReadonlySet<string> = new Set([
  "cloudwatch:PutMetricData",
  "ec2:DescribeInstances",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcs",
  "s3:ListAllMyBuckets",
  "states:SendTaskFailure",
  "states:SendTaskHeartbeat",
  "states:SendTaskSuccess",
  "xray:PutTraceSegments",
]);

/** `getItem` -> `GetItem`. */
export function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

/** The IAM actions an SDK call needs: the documented exceptions, else `<prefix>:<Action>`. */
export function sdkIamActions(service: string, action: string): string[] {
  const exception = SDK_ACTIONS[`${service}:${action}`];
  if (exception) return [...exception];
  return [`${SDK_IAM_PREFIX[service] ?? service}:${pascal(action)}`];
}

type ResourceRule = (task: TaskView, actions: readonly string[], action: string) => Grant[] | undefined;

/** A grant on the ARN built from a literal field; `*` with a warning when the field is computed at run time; undefined when absent. */
function fromField(field: string, build: (value: string, arn: ArnContext) => string[], what: string): ResourceRule {
  return (task, actions) => {
    const value = target(task, field);
    if (value === undefined) return undefined;
    if (value === DYNAMIC) return [dynamicGrant(actions, field)];
    return [{ actions, resources: build(value, task.arn), reason: `${what} in ${field}` }];
  };
}

const first =
  (...rules: ResourceRule[]): ResourceRule =>
  (task, actions, action) => {
    for (const rule of rules) {
      const grants = rule(task, actions, action);
      if (grants) return grants;
    }
    return undefined;
  };

/** S3: bucket-level actions on the bucket, object-level actions on `bucket/key` (or `bucket/*`). */
const s3Rule: ResourceRule = (task, actions) => {
  const bucket = target(task, "Bucket");
  if (bucket === undefined) return undefined;
  if (bucket === DYNAMIC) return [dynamicGrant(actions, "Bucket")];
  const base = bucketArn(bucket, task.arn);
  const bucketLevel = actions.filter((a) => /Bucket|ListAllMyBuckets/.test(a));
  const objectLevel = actions.filter((a) => !bucketLevel.includes(a));
  const grants: Grant[] = [];
  if (bucketLevel.length > 0) grants.push({ actions: bucketLevel, resources: [base], reason: "on the bucket in Bucket" });
  if (objectLevel.length > 0) {
    const key = target(task, "Key");
    // A key built from a literal start (`States.Format('in/{}', ...)`) stays under it, as for ItemReader.
    if (key === DYNAMIC) grants.push(dynamicGrant(objectLevel, "Key", [`${base}/${literalPrefix(task.expression?.("Key"))}*`]));
    else grants.push({ actions: objectLevel, resources: [`${base}/${key ?? "*"}`], reason: key ? "on the object in Bucket and Key" : "on the objects of the bucket in Bucket" });
  }
  return grants;
};

/** DynamoDB: TableName, plus its indexes for Query and Scan; RequestItems' keys for the batch actions. */
const dynamoRule: ResourceRule = (task, actions, action) => {
  const requestItems = task.field("RequestItems");
  if (requestItems === DYNAMIC) return [dynamicGrant(actions, "RequestItems")];
  if (requestItems && typeof requestItems === "object" && !Array.isArray(requestItems)) {
    const tables = Object.keys(requestItems as object).filter((k) => !k.endsWith(".$"));
    if (tables.length !== Object.keys(requestItems as object).length) return [dynamicGrant(actions, "RequestItems")];
    return [{ actions, resources: tables.map((t) => tableArn(t, task.arn)).sort(), reason: "on the tables named in RequestItems" }];
  }
  const table = target(task, "TableName");
  if (table === undefined) return undefined;
  if (table === DYNAMIC) return [dynamicGrant(actions, "TableName")];
  const arn = tableArn(table, task.arn);
  const index = target(task, "IndexName");
  const resources = (action === "query" || action === "scan") && index !== undefined ? [arn, `${arn}/index/${index === DYNAMIC ? "*" : index}`] : [arn];
  return [{ actions, resources, reason: "on the table in TableName" }];
};

/** Secrets Manager: a secret name matches the ARN with AWS's 6-character random suffix. */
function secretArn(id: string, arn: ArnContext): string[] {
  return [id.startsWith("arn:") ? id : arnOf(arn, "secretsmanager", `secret:${id}-??????`)];
}

/** SDK service -> how its resource is read from the call's parameters. */
export const SDK_RESOURCES: Readonly<Partial<Record<string, ResourceRule>>> = {
  dynamodb: dynamoRule,
  s3: s3Rule,
  sqs: fromField("QueueUrl", (u, arn) => [queueArnFromUrl(u, arn)], "on the queue"),
  sns: first(fromField("TopicArn", (t, arn) => [arn.references?.[t] ?? t], "on the topic"), fromField("TargetArn", (t) => [t], "on the target")),
  lambda: fromField("FunctionName", (f, arn) => withQualifiers(lambdaFunctionArn(f, arn)), "on the function"),
  secretsmanager: fromField("SecretId", (s, arn) => [arn.references?.[s] ?? secretArn(s, arn)[0]], "on the secret"),
  sfn: first(
    fromField("StateMachineArn", (m, arn) => [arn.references?.[m] ?? m], "on the state machine"),
    fromField("ExecutionArn", (e) => [e], "on the execution"),
  ),
  eventbridge: eventBridgeGrants,
  cloudwatchevents: eventBridgeGrants,
  ssm: fromField("Name", (n, arn) => [n.startsWith("arn:") ? n : arnOf(arn, "ssm", `parameter/${n.replace(/^\//, "")}`)], "on the parameter"),
  kinesis: first(
    fromField("StreamARN", (s) => [s], "on the stream"),
    fromField("StreamName", (s, arn) => [arnOf(arn, "kinesis", `stream/${s}`)], "on the stream"),
  ),
  firehose: fromField("DeliveryStreamName", (s, arn) => [arnOf(arn, "firehose", `deliverystream/${s}`)], "on the delivery stream"),
  kms: fromField("KeyId", (k, arn) => [k.startsWith("arn:") ? k : arnOf(arn, "kms", k.startsWith("alias/") ? k : `key/${k}`)], "on the key"),
  glue: fromField("JobName", (j, arn) => [arnOf(arn, "glue", `job/${j}`)], "on the job"),
  codebuild: fromField("ProjectName", (p, arn) => [p.startsWith("arn:") ? p : arnOf(arn, "codebuild", `project/${p}`)], "on the project"),
};

/** Splits `arn:<partition>:states:::aws-sdk:<service>:<action>[.pattern]`. */
export function parseSdkResource(resource: string): { service: string; action: string; pattern: string } | undefined {
  const m = /^arn:[\w-]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)((?:\.[A-Za-z]+)(?::\d+)?)?$/.exec(resource);
  return m ? { service: m[1], action: m[2], pattern: m[3] ?? "" } : undefined;
}

/** AWS SDK integrations support request-response and the callback pattern, never .sync. */
export const SDK_PATTERNS = ["", ".waitForTaskToken"];

/** The grants of one aws-sdk Task; throws nothing (the caller checks SDK_UNDERIVABLE and the pattern). */
export function sdkGrants(task: TaskView, service: string, action: string): Grant[] {
  const actions = sdkIamActions(service, action);
  if (actions.length === 0) return [];
  const rule = SDK_RESOURCES[service];
  const grants = rule?.(task, actions, action);
  if (grants) return grants;
  if (actions.every((a) => NO_RESOURCE_ACTIONS.has(a))) {
    return [{ actions, resources: ["*"], reason: `aws-sdk:${service}:${action}: AWS defines no resource for ${actions.join(", ")}, so it is granted on "*"` }];
  }
  const why = rule ? "the parameter that names its target is absent" : `the IAM table does not know the ARN shape of ${service}'s resources`;
  const fix = rule ? "name the target in the Task's parameters" : `add the ARN shape of ${service} to SDK_RESOURCES in src/asl/aws-sdk.ts`;
  return [
    {
      actions,
      resources: ["*"],
      reason: `aws-sdk:${service}:${action}: granted on "*" because ${why}`,
      warning: `${actions.join(", ")} granted on "*" because ${why}. Fix: ${fix}.`,
    },
  ];
}
