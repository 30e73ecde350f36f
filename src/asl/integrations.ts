/**
 * The integration -> IAM data table: one row per ASL Task resource the project
 * knows, with the actions the state machine's role needs, how the IAM resource
 * is derived from the Task's Parameters (JSONPath) or Arguments (JSONata), and
 * the AWS page the row comes from. Reviewed like data: to support a new
 * integration, add a row (in the file of its service family under
 * integrations/, listed below) and a failing and a passing definition to
 * __tests__/asl/iam-rows*.test.ts. `aws-sdk:*` integrations are derived from
 * the SDK service and action names (aws-sdk.ts; EventBridge in eventbridge.ts).
 *
 * This file assembles the table and is the one entry to it: the vocabulary the
 * rows are written in (integrations/core.ts) and the ARN builders
 * (integrations/arns.ts) are re-exported for the derivation (iam.ts, aws-sdk.ts).
 * A Resource is looked up by its exact id, so the order of the rows decides
 * nothing; ids are unique (a test checks it).
 *
 * Pure: no cdktf. Values may be Terraform tokens when synthesizing; they are
 * treated as opaque strings and only concatenated.
 */

import type { Integration } from "./integrations/core";
import { DYNAMODB_ITEM_CALLS } from "./integrations/dynamodb";
import { EVENTS_PUT_EVENTS } from "./integrations/events";
import { HTTP_INVOKE } from "./integrations/http";
import { LAMBDA_INVOKE } from "./integrations/lambda";
import { S3_GET_OBJECT, S3_LIST_OBJECTS_V2, S3_PUT_OBJECT } from "./integrations/s3";
import { SNS_PUBLISH, SQS_SEND_MESSAGE } from "./integrations/sns-sqs";
import { STATES_START_EXECUTION } from "./integrations/states";
import { ATHENA_START_QUERY_EXECUTION, BATCH_SUBMIT_JOB, CODEBUILD_START_BUILD, ECS_RUN_TASK, GLUE_START_JOB_RUN } from "./integrations/sync-jobs";

export * from "./integrations/arns";
export * from "./integrations/core";
export { PLAIN_LAMBDA } from "./integrations/lambda";
export { DISTRIBUTED_MAP } from "./integrations/states";

export const INTEGRATIONS: readonly Integration[] = [
  LAMBDA_INVOKE,
  SQS_SEND_MESSAGE,
  SNS_PUBLISH,
  ...DYNAMODB_ITEM_CALLS,
  STATES_START_EXECUTION,
  EVENTS_PUT_EVENTS,
  HTTP_INVOKE,
  ECS_RUN_TASK,
  BATCH_SUBMIT_JOB,
  GLUE_START_JOB_RUN,
  CODEBUILD_START_BUILD,
  ATHENA_START_QUERY_EXECUTION,
  S3_GET_OBJECT,
  S3_LIST_OBJECTS_V2,
  S3_PUT_OBJECT,
];

/** Lookup by `<service>:<api>`. */
export const INTEGRATIONS_BY_ID: ReadonlyMap<string, Integration> = new Map(INTEGRATIONS.map((i) => [i.id, i]));

/** Splits `arn:<partition>:states:::<service>:<api>[.pattern]`; undefined for anything else. */
export function parseServiceResource(resource: string): { id: string; pattern: string } | undefined {
  const match = /^arn:[\w-]+:states:::([a-z0-9-]+:[A-Za-z0-9]+)((?:\.[A-Za-z]+)(?::\d+)?)?$/.exec(resource);
  return match ? { id: match[1], pattern: match[2] ?? "" } : undefined;
}

/** The suffixes an integration pattern may have, as written in a Resource. */
export const KNOWN_PATTERNS = ["", ".sync", ".sync:2", ".waitForTaskToken"];
