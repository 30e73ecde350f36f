import { Construct } from "constructs";
import type { StageConfig } from "../src/config/stage";
import { createdResourceName, resourceValues } from "../src/config/resources";
import { type DeclaredResource, type ResourceAttribute, resourceArnVariable } from "../workflows/resources";
import { ConfigError } from "../src/errors";
import { snake } from "./addresses";
import { EncryptedQueue } from "./encrypted-queue";
import { secureBucket } from "./secure-bucket";
import { StageEventBus } from "./stage-event-bus";
import { StageTable } from "./stage-table";
import { StageTopic } from "./stage-topic";

export interface DeclaredResourcesProps {
  readonly config: StageConfig;
  readonly resources: readonly DeclaredResource[];
  readonly kmsKeyArn: string;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The declared resources of a stage (workflows/resources.ts): each one the
 * stage configuration gives by ARN (RESOURCE_<NAME>_ARN) is referenced as it
 * is; every other one is created here, encrypted with the stage key.
 * Templates reach them through `value()`; the IAM derivation through
 * `references` (a rendered value -> the resource's ARN) and `encryptionKeys`
 * (a created resource's ARN -> the stage key; an existing one's -> its
 * RESOURCE_<NAME>_KMS_KEY_ARN, when given).
 */
export class DeclaredResources extends Construct {
  /** Rendered value (name, URL or ARN, literal or Terraform reference) -> the resource's ARN. */
  readonly references: Record<string, string> = {};
  /** ARN of each created resource -> the stage key ARN; of each existing one with a customer-managed key -> that key's ARN. */
  readonly encryptionKeys: Record<string, string> = {};
  /** Names of the created queues and their dead-letter queues, for the dashboard and alarms. */
  readonly queueNames: string[] = [];
  private readonly values = new Map<string, Record<ResourceAttribute, string | undefined>>();

  constructor(scope: Construct, id: string, props: DeclaredResourcesProps) {
    super(scope, id);
    const { config } = props;
    for (const decl of props.resources) {
      const existing = config.resources[decl.name];
      let values: Record<ResourceAttribute, string | undefined>;
      if (existing) {
        values = resourceValues(decl.kind, { partition: existing.arn.split(":")[1], region: existing.region, accountId: existing.accountId, name: existing.name });
        values.arn = existing.arn;
        // Encrypted with a customer-managed key of its own (RESOURCE_<NAME>_KMS_KEY_ARN): states that use it need that key.
        if (existing.kmsKeyArn) this.encryptionKeys[existing.arn] = existing.kmsKeyArn;
      } else {
        const name = createdResourceName(config, decl, props.accountId);
        const base = snake(decl.name);
        const tags = { resource: decl.name };
        switch (decl.kind) {
          case "dynamodb-table": {
            const t = new StageTable(this, decl.name, { address: base, name, partitionKey: decl.partitionKey, sortKey: decl.sortKey, kmsKeyArn: props.kmsKeyArn, tags }).table;
            values = { arn: t.arn, name: t.name, url: undefined };
            break;
          }
          case "sns-topic": {
            const t = new StageTopic(this, decl.name, { address: base, name, kmsKeyArn: props.kmsKeyArn, tags }).topic;
            values = { arn: t.arn, name: t.name, url: undefined };
            break;
          }
          case "sqs-queue": {
            const dlq = new EncryptedQueue(this, `${decl.name}-dlq`, { address: `${base}_dlq`, name: `${name}-dlq`, kmsKeyArn: props.kmsKeyArn, tags });
            const q = new EncryptedQueue(this, decl.name, {
              address: base,
              name,
              kmsKeyArn: props.kmsKeyArn,
              visibilityTimeoutSeconds: decl.visibilityTimeoutSeconds,
              deadLetter: { queueArn: dlq.queue.arn, maxReceiveCount: decl.maxReceiveCount ?? 5 },
              tags,
            }).queue;
            this.queueNames.push(name, `${name}-dlq`);
            values = { arn: q.arn, name: q.name, url: q.url };
            break;
          }
          case "s3-bucket": {
            const b = secureBucket(new Construct(this, decl.name), { address: base, name, kmsKeyArn: props.kmsKeyArn, noncurrentVersionDays: decl.noncurrentVersionDays, tags });
            values = { arn: b.arn, name: b.bucket, url: undefined };
            break;
          }
          case "event-bus": {
            const b = new StageEventBus(this, decl.name, { address: base, name, accountId: props.accountId, partition: props.partition, tags }).bus;
            values = { arn: b.arn, name: b.name, url: undefined };
            break;
          }
          case "secret":
          case "eventbridge-connection":
            // The configuration requires their ARN (workflows/resources.ts marks them existing): never created.
            throw new ConfigError([`${resourceArnVariable(decl.name)} must give the ARN of the existing ${decl.kind} "${decl.name}"; the stage stack does not create ${decl.kind}s.`]);
        }
        // Event buses are not encrypted with the stage key (EventBridge's own key).
        if (decl.kind !== "event-bus") this.encryptionKeys[values.arn!] = props.kmsKeyArn;
      }
      this.values.set(decl.name, values);
      for (const value of [values.name, values.url, values.arn]) if (value) this.references[value] = values.arn!;
    }
  }

  /** The value `{{resource "<name>" "<attribute>"}}` renders: one token per attribute, so the policy lists each resource once. */
  value(name: string, attribute: ResourceAttribute): string {
    return this.values.get(name)?.[attribute] ?? "";
  }
}
