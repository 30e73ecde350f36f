/**
 * The stage resources the workflows use, declared once, beside the catalogue.
 * Templates reference them by name: `{{resource "orders" "name"}}`.
 *
 * Each is created by the stage stack as `<project>-<stage>-<name>`, secure by
 * default (the stage's KMS key; point-in-time recovery for tables; versioned,
 * TLS-only, public-access-blocked buckets; a dead-letter queue for queues), or
 * is an existing resource given per stage by ARN in the stage configuration:
 * `RESOURCE_<NAME>_ARN` (`orders` -> `RESOURCE_ORDERS_ARN`). A resource marked
 * `existing: true` must be given in every stage; any other may be given in some
 * stages and created in the rest.
 *
 * An existing resource of any kind encrypted with a customer-managed KMS key
 * gives that key's ARN beside its own:
 * `RESOURCE_<NAME>_KMS_KEY_ARN=arn:aws:kms:<region>:<account>:key/<id>` (the key
 * ARN, not an alias: IAM scopes KMS permissions to the key). Every state that
 * uses the resource is then granted exactly the KMS actions AWS documents for
 * its call on that key (src/asl/kms.ts), e.g. kms:GenerateDataKey and
 * kms:Decrypt to publish to the topic, kms:Decrypt to read an object or to call
 * an HTTPS API through the connection (whose secret the key encrypts), and
 * nothing to put events on an event bus (EventBridge encrypts them itself, as
 * events.amazonaws.com: the key policy must allow it).
 */

export type ResourceKind = "dynamodb-table" | "sns-topic" | "sqs-queue" | "s3-bucket" | "event-bus" | "secret" | "eventbridge-connection";

/** Kinds the stage stack never creates (their values are credentials): always `existing: true`, given by ARN. */
export const EXISTING_ONLY: readonly ResourceKind[] = ["secret", "eventbridge-connection"];

/** What `{{resource "<name>" "<attribute>"}}` can ask for, by kind. */
export const RESOURCE_ATTRIBUTES: Readonly<Record<ResourceKind, readonly ResourceAttribute[]>> = {
  "dynamodb-table": ["arn", "name"],
  "sns-topic": ["arn", "name"],
  "sqs-queue": ["arn", "name", "url"],
  "s3-bucket": ["arn", "name"],
  "event-bus": ["arn", "name"],
  secret: ["arn", "name"],
  "eventbridge-connection": ["arn", "name"],
};

export type ResourceAttribute = "arn" | "name" | "url";

export interface KeyAttribute {
  readonly name: string;
  /** S (string), N (number) or B (binary). */
  readonly type: "S" | "N" | "B";
}

interface Base {
  /** Kebab-case; the created resource is `<project>-<stage>-<name>`. */
  readonly name: string;
  readonly description: string;
  /** Never created: every stage gives RESOURCE_<NAME>_ARN. @default false */
  readonly existing?: boolean;
}

export interface DeclaredTable extends Base {
  readonly kind: "dynamodb-table";
  readonly partitionKey: KeyAttribute;
  /** @default none */
  readonly sortKey?: KeyAttribute;
}
export interface DeclaredTopic extends Base {
  readonly kind: "sns-topic";
}
export interface DeclaredQueue extends Base {
  readonly kind: "sqs-queue";
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the queue's dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
}
export interface DeclaredBucket extends Base {
  readonly kind: "s3-bucket";
  /** Days after which old object versions are deleted. @default 90 */
  readonly noncurrentVersionDays?: number;
}
export interface DeclaredBus extends Base {
  readonly kind: "event-bus";
}

/** A Secrets Manager secret (e.g. an API key a Task reads with aws-sdk:secretsmanager:getSecretValue). */
export interface DeclaredSecret extends Base {
  readonly kind: "secret";
  readonly existing: true;
}
/** An EventBridge connection, for `http:invoke` (Authentication.ConnectionArn). */
export interface DeclaredConnection extends Base {
  readonly kind: "eventbridge-connection";
  readonly existing: true;
}

export type DeclaredResource = DeclaredTable | DeclaredTopic | DeclaredQueue | DeclaredBucket | DeclaredBus | DeclaredSecret | DeclaredConnection;

export const RESOURCES: readonly DeclaredResource[] = [
  { kind: "dynamodb-table", name: "orders", description: "Fulfilled orders, by orderId.", partitionKey: { name: "orderId", type: "S" } },
  { kind: "sns-topic", name: "order-events", description: "Order fulfilment notifications." },
  { kind: "s3-bucket", name: "receipts", description: "Order receipts, one object per order." },
  { kind: "sqs-queue", name: "fulfilment-alerts", description: "Status changes of order-fulfilment executions that failed, timed out or were aborted (execution notifications)." },
];

/** The stage configuration variable that gives an existing resource's ARN. */
export function resourceArnVariable(name: string): string {
  return `RESOURCE_${name.toUpperCase().replace(/-/g, "_")}_ARN`;
}

/** The stage configuration variable that gives the customer-managed KMS key of an existing resource. */
export function resourceKmsKeyVariable(name: string): string {
  return `RESOURCE_${name.toUpperCase().replace(/-/g, "_")}_KMS_KEY_ARN`;
}

export function resourceNames(resources: readonly DeclaredResource[] = RESOURCES): string[] {
  return resources.map((r) => r.name);
}
