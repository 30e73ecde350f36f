/**
 * The review derives a workflow's permissions from exactly what the synthesis
 * derived them from: the stack records the options it gave derivePermissions
 * beside each state machine (`"//": { "iam_derivation": ... }`, ignored by
 * Terraform), and the review hands them back to the same function. A
 * synthesis without that record (an older base) gets the same context rebuilt
 * from the stack: its partition and account references, the provider's
 * region, the machine's name and the functions the definition references.
 *
 * It also prints ARNs for people: `arn:${data.aws_partition.p.partition}:...`
 * becomes `arn:aws:dynamodb:us-east-1:<account>:table/orders`.
 */

import { DERIVATION_KEY, deriveOptionsFromRecord } from "../asl/derivation-record";
import type { DeriveOptions } from "../asl/iam";
import { type Block, type Synth, isJsonObject, listOf, str } from "./synth";

/** The region of the stack's (first) aws provider, when literal. */
export function stackRegion(synth: Synth): string | undefined {
  const provider = isJsonObject(synth.json.provider) ? synth.json.provider.aws : undefined;
  for (const p of listOf(provider)) {
    const region = str(p, "region");
    if (region && !region.includes("${")) return region;
  }
  return undefined;
}

/** aws, aws-cn or aws-us-gov, from the region's name. */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function dataRef(synth: Synth, type: string, attribute: string): string | undefined {
  const block = [...synth.blocks.values()].find((b) => b.mode === "data" && b.type === type);
  return block ? `\${${block.address}.${attribute}}` : undefined;
}

/** The options the synthesis gave derivePermissions for this state machine (recorded, or rebuilt from the stack). */
export function derivationFor(synth: Synth, machine: Block, definition: unknown, context: { workflow: string; file: string }): DeriveOptions {
  const comment = machine.body["//"];
  const record = isJsonObject(comment) ? comment[DERIVATION_KEY] : undefined;
  const recorded = record === undefined ? undefined : deriveOptionsFromRecord(record, context.workflow, context.file);
  if (recorded) return recorded;
  const region = stackRegion(synth);
  return {
    ...context,
    arn: {
      partition: dataRef(synth, "aws_partition", "partition") ?? partitionOf(region),
      accountId: dataRef(synth, "aws_caller_identity", "account_id") ?? "*",
      region: region ?? "*",
      stateMachineName: str(machine.body, "name") ?? machine.name,
    },
    functionArns: [...new Set(JSON.stringify(definition).match(/\$\{aws_lambda_function\.[A-Za-z0-9_-]+\.arn\}/g) ?? [])],
  };
}

/** ARN shapes of the resources a policy names by reference, for display. */
const ARN_SHAPES: Readonly<Record<string, { service: string; attribute: string; rest: (name: string) => string; global?: boolean }>> = {
  aws_lambda_function: { service: "lambda", attribute: "function_name", rest: (n) => `function:${n}` },
  aws_sfn_state_machine: { service: "states", attribute: "name", rest: (n) => `stateMachine:${n}` },
  aws_sqs_queue: { service: "sqs", attribute: "name", rest: (n) => n },
  aws_sns_topic: { service: "sns", attribute: "name", rest: (n) => n },
  aws_dynamodb_table: { service: "dynamodb", attribute: "name", rest: (n) => `table/${n}` },
  aws_cloudwatch_event_bus: { service: "events", attribute: "name", rest: (n) => `event-bus/${n}` },
  aws_cloudwatch_event_rule: { service: "events", attribute: "name", rest: (n) => `rule/${n}` },
  aws_s3_bucket: { service: "s3", attribute: "bucket", rest: (n) => n, global: true },
  aws_secretsmanager_secret: { service: "secretsmanager", attribute: "name", rest: (n) => `secret:${n}-??????` },
};

/**
 * A resource string as a person reads it: the stack's partition, region and
 * account references resolved (`<account>` for the account, unknown until
 * apply), and `${aws_dynamodb_table.x.arn}` shown as the ARN it will be. An
 * attribute written with references of its own (a bucket named after the
 * account) is resolved in turn. `account` replaces `<account>`: the review's
 * example runs use the executor's account.
 */
export function readableArn(synth: Synth, value: string, account = "<account>", depth = 0): string {
  const region = stackRegion(synth);
  const partition = partitionOf(region);
  return value.replace(/\$\{((?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+))\.([a-z0-9_]+)\}/g, (_whole, address: string, type: string, _name: string, attribute: string) => {
    if (type === "aws_partition" && attribute === "partition") return partition;
    if (type === "aws_caller_identity" && attribute === "account_id") return account;
    if (type === "aws_region" && (attribute === "name" || attribute === "region")) return region ?? "<region>";
    const block = synth.blocks.get(address);
    const literal = block?.body[attribute];
    // Deep enough for a name built from other names; a reference loop stops here.
    const resolved = typeof literal === "string" && depth < 4 ? readableArn(synth, literal, account, depth + 1) : undefined;
    if (resolved !== undefined && !resolved.includes("${")) return resolved;
    const shape = ARN_SHAPES[type];
    const raw = block && shape ? block.body[shape.attribute] : undefined;
    const name = typeof raw === "string" && depth < 4 ? readableArn(synth, raw, account, depth + 1) : undefined;
    if (attribute === "arn" && shape && name !== undefined && !name.includes("${")) {
      return shape.global ? `arn:${partition}:${shape.service}:::${shape.rest(name)}` : `arn:${partition}:${shape.service}:${region ?? "<region>"}:${account}:${shape.rest(name)}`;
    }
    return `<${address}.${attribute}>`;
  });
}
