/**
 * The optimized service integrations the lint knows: for each ASL resource
 * (`arn:<partition>:states:::<service>:<action>`), the integration patterns AWS
 * offers for it and, where the lint checks them, the parameter names of the
 * service API with those it requires. One table, reviewed like data: a new
 * integration is a new row. Sources: the Step Functions developer guide,
 * "Integrating services" (the pattern matrix) and each service's
 * "Call <service> with Step Functions" page, and the service API references.
 *
 * `params` undefined means the parameters are not checked (the API is large and
 * the lint would rather say nothing than give a false error).
 */

/** '' is request-response; the others are the suffixes of the resource ARN. */
export type Pattern = '' | '.sync' | '.sync:2' | '.waitForTaskToken';

export interface ServiceIntegration {
  readonly patterns: readonly Pattern[];
  /** Every parameter the service action accepts, as named in its API. */
  readonly params?: readonly string[];
  /** Each inner list: at least one of these parameters must be given. */
  readonly required?: ReadonlyArray<readonly string[]>;
  /** An object parameter -> the field it must hold when given (`Authentication` -> `ConnectionArn`). */
  readonly requiredInside?: Readonly<Record<string, string>>;
  /** How a missing parameter is written, where `"<Name>": "<value>"` would mislead (an object). */
  readonly examples?: Readonly<Record<string, string>>;
  readonly doc: string;
}

const DG = 'https://docs.aws.amazon.com/step-functions/latest/dg';
const DYNAMODB_COMMON = ['TableName', 'ReturnConsumedCapacity', 'ExpressionAttributeNames'];
const DYNAMODB_WRITE = [...DYNAMODB_COMMON, 'ConditionExpression', 'ConditionalOperator', 'Expected', 'ExpressionAttributeValues', 'ReturnItemCollectionMetrics', 'ReturnValues', 'ReturnValuesOnConditionCheckFailure'];

export const SERVICE_INTEGRATIONS: Readonly<Record<string, ServiceIntegration>> = {
  'lambda:invoke': {
    patterns: ['', '.waitForTaskToken'],
    params: ['FunctionName', 'Payload', 'InvocationType', 'Qualifier', 'ClientContext', 'LogType', 'TenantId'],
    required: [['FunctionName']],
    doc: `${DG}/connect-lambda.html`,
  },
  'sns:publish': {
    patterns: ['', '.waitForTaskToken'],
    params: ['TopicArn', 'TargetArn', 'PhoneNumber', 'Message', 'Subject', 'MessageAttributes', 'MessageStructure', 'MessageGroupId', 'MessageDeduplicationId'],
    required: [['TopicArn', 'TargetArn', 'PhoneNumber'], ['Message']],
    doc: `${DG}/connect-sns.html`,
  },
  'sqs:sendMessage': {
    patterns: ['', '.waitForTaskToken'],
    params: ['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageGroupId', 'MessageDeduplicationId', 'MessageSystemAttributes'],
    required: [['QueueUrl'], ['MessageBody']],
    doc: `${DG}/connect-sqs.html`,
  },
  'dynamodb:getItem': {
    patterns: [''],
    params: [...DYNAMODB_COMMON, 'Key', 'AttributesToGet', 'ConsistentRead', 'ProjectionExpression'],
    required: [['TableName'], ['Key']],
    doc: `${DG}/connect-ddb.html`,
  },
  'dynamodb:putItem': {
    patterns: [''],
    params: [...DYNAMODB_WRITE, 'Item'],
    required: [['TableName'], ['Item']],
    doc: `${DG}/connect-ddb.html`,
  },
  'dynamodb:updateItem': {
    patterns: [''],
    params: [...DYNAMODB_WRITE, 'Key', 'AttributeUpdates', 'UpdateExpression'],
    required: [['TableName'], ['Key']],
    doc: `${DG}/connect-ddb.html`,
  },
  'dynamodb:deleteItem': {
    patterns: [''],
    params: [...DYNAMODB_WRITE, 'Key'],
    required: [['TableName'], ['Key']],
    doc: `${DG}/connect-ddb.html`,
  },
  'events:putEvents': {
    patterns: ['', '.waitForTaskToken'],
    params: ['Entries', 'EndpointId'],
    required: [['Entries']],
    doc: `${DG}/connect-eventbridge.html`,
  },
  'states:startExecution': {
    patterns: ['', '.sync', '.sync:2', '.waitForTaskToken'],
    params: ['StateMachineArn', 'Input', 'Name', 'TraceHeader'],
    required: [['StateMachineArn']],
    doc: `${DG}/connect-stepfunctions.html`,
  },
  // "An HTTP Task requires an EventBridge connection ... use either the Authentication or InvocationConfig
  // field", each holding a required ConnectionArn; AWS recommends InvocationConfig (public and private APIs),
  // Authentication is kept for backwards compatibility (call-https-apis.html, "HTTP Task fields").
  'http:invoke': {
    patterns: [''],
    params: ['ApiEndpoint', 'Method', 'InvocationConfig', 'Authentication', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'],
    required: [['ApiEndpoint'], ['Method'], ['InvocationConfig', 'Authentication']],
    requiredInside: { InvocationConfig: 'ConnectionArn', Authentication: 'ConnectionArn' },
    examples: { InvocationConfig: '"InvocationConfig": { "ConnectionArn": "<connection ARN>" }' },
    doc: `${DG}/call-https-apis.html`,
  },
  'apigateway:invoke': {
    patterns: ['', '.waitForTaskToken'],
    params: ['ApiEndpoint', 'Method', 'Headers', 'Stage', 'Path', 'QueryParameters', 'RequestBody', 'AllowNullValues', 'AuthType'],
    required: [['ApiEndpoint'], ['Method']],
    doc: `${DG}/connect-api-gateway.html`,
  },
  'ecs:runTask': { patterns: ['', '.sync', '.waitForTaskToken'], required: [['TaskDefinition']], doc: `${DG}/connect-ecs.html` },
  'batch:submitJob': { patterns: ['', '.sync'], required: [['JobName'], ['JobQueue'], ['JobDefinition']], doc: `${DG}/connect-batch.html` },
  'glue:startJobRun': { patterns: ['', '.sync'], required: [['JobName']], doc: `${DG}/connect-glue.html` },
  'codebuild:startBuild': { patterns: ['', '.sync'], required: [['ProjectName']], doc: `${DG}/connect-codebuild.html` },
  'athena:startQueryExecution': { patterns: ['', '.sync'], required: [['QueryString']], doc: `${DG}/connect-athena.html` },
};

/** Services whose optimized actions are all in the table: another action of theirs does not exist. */
export const COMPLETE_SERVICES = ['lambda', 'sns', 'sqs', 'dynamodb', 'events', 'states', 'http'];

/** AWS SDK integrations (`aws-sdk:<service>:<action>`) offer request-response and callbacks, never .sync. */
export const AWS_SDK_PATTERNS: readonly Pattern[] = ['', '.waitForTaskToken'];

export interface ParsedResource {
  /** e.g. `lambda:invoke`, `aws-sdk:s3:getObject`. */
  id: string;
  /** The suffix after the action: '', `.sync`, `.sync:2`, `.waitForTaskToken`, or anything else written there. */
  suffix: string;
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` -> {id: 'lambda:invoke', suffix: '.waitForTaskToken'}; undefined for other resources. */
export function parseIntegrationResource(resource: string): ParsedResource | undefined {
  const m = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource);
  if (!m) return undefined;
  const rest = m[1];
  const dot = rest.indexOf('.');
  return dot < 0 ? { id: rest, suffix: '' } : { id: rest.slice(0, dot), suffix: rest.slice(dot) };
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The known name closest to `name` (same letters in another case first), or undefined when none is close. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const folded = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (folded) return folded;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
