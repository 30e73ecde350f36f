/**
 * Every AWS name the project creates is built here, from `<project>-<stage>`,
 * so limits can be checked once, up front, for the whole catalogue.
 */

export interface NameParts {
  readonly projectName: string;
  readonly stage: string;
}

export const prefix = (c: NameParts): string => `${c.projectName}-${c.stage}`;

export const names = {
  /** The stack (and its folder in cdktf.out) for one stage. */
  stack: (c: NameParts) => prefix(c),
  stateMachine: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}`,
  lambdaFunction: (c: NameParts, handler: string) => `${prefix(c)}-${handler}`,
  /** The SQS bridge function of a queue-triggered workflow. */
  bridgeFunction: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-sqs`,
  stateMachineRole: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-sfn`,
  lambdaRole: (c: NameParts, handler: string) => `${prefix(c)}-${handler}-fn`,
  eventsRole: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-events`,
  queue: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}`,
  deadLetterQueue: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-dlq`,
  /** Where EventBridge puts events it could not deliver to the workflow. */
  eventsDeadLetterQueue: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-events-dlq`,
  /** The stage's dead-letter queue for failed asynchronous Lambda invocations ("functions" is reserved as a workflow name). */
  functionsDeadLetterQueue: (c: NameParts) => `${prefix(c)}-functions-dlq`,
  bridgeRole: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-sqs-fn`,
  eventBus: (c: NameParts) => `${prefix(c)}-events`,
  alarmTopic: (c: NameParts) => `${prefix(c)}-alarms`,
  keyAlias: (c: NameParts) => `alias/${prefix(c)}`,
  /** Vended-logs prefix: other names hit the CloudWatch Logs resource-policy size limit in larger accounts. */
  stateMachineLogGroup: (c: NameParts, workflow: string) => `/aws/vendedlogs/states/${prefix(c)}-${workflow}`,
  lambdaLogGroup: (functionName: string) => `/aws/lambda/${functionName}`,
  /** The stage alias every trigger starts executions through. */
  alias: (c: NameParts) => c.stage,
  schedule: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}`,
  scheduleRole: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-schedule`,
  scheduleDeadLetterQueue: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-schedule-dlq`,
  httpApi: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}`,
  httpApiRole: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-api`,
  httpApiAccessLogGroup: (c: NameParts, workflow: string) => `/aws/vendedlogs/apigateway/${prefix(c)}-${workflow}`,
  notificationsRule: (c: NameParts, workflow: string) => `${prefix(c)}-${workflow}-status`,
};

/** Workflow names that would collide with a stage-wide resource name. */
export const RESERVED_WORKFLOW_NAMES = ["functions"] as const;

/** AWS limits, with the characters each name may use. */
export const LIMITS = {
  stateMachine: { max: 80, pattern: /^[A-Za-z0-9_-]+$/, what: "state machine names" },
  lambdaFunction: { max: 64, pattern: /^[A-Za-z0-9_-]+$/, what: "Lambda function names" },
  iamRole: { max: 64, pattern: /^[A-Za-z0-9+=,.@_-]+$/, what: "IAM role names" },
  queue: { max: 80, pattern: /^[A-Za-z0-9_-]+$/, what: "SQS queue names" },
  schedule: { max: 64, pattern: /^[0-9A-Za-z_.-]+$/, what: "EventBridge Scheduler schedule names" },
  eventRule: { max: 64, pattern: /^[0-9A-Za-z_.-]+$/, what: "EventBridge rule names" },
} as const;

/** A deterministic Lambda ARN for local runs (the executor maps it back to `handlers/<handler>.ts`). */
export const LOCAL_ACCOUNT_ID = "123456789012";
export function localFunctionArn(c: NameParts & { region: string }, handler: string): string {
  return `arn:aws:lambda:${c.region}:${LOCAL_ACCOUNT_ID}:function:${names.lambdaFunction(c, handler)}`;
}

/** The handler a function name or ARN of this stage refers to, or undefined when it is not one of ours. */
export function handlerFromFunction(c: NameParts, functionNameOrArn: string): string | undefined {
  const name = functionNameOrArn.startsWith("arn:") ? functionNameOrArn.split(":")[6] : functionNameOrArn;
  const head = `${prefix(c)}-`;
  return name?.startsWith(head) ? name.slice(head.length) : undefined;
}
