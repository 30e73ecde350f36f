/**
 * ARNs built from the names a Task gives (a function name, a queue URL, a
 * table or bus name, a bucket), in the context's partition, region and account,
 * or the ARN a Terraform reference to a declared resource stands for.
 */

import type { ArnContext } from "./core";

/** The ARN a value stands for when the context knows it (a Terraform reference to a declared resource), else undefined. */
export function known(value: string, arn: ArnContext): string | undefined {
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
