import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { address } from "./addresses";

export interface EncryptedQueueProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_sqs_queue.<address>`). */
  readonly address: string;
  readonly name: string;
  readonly kmsKeyArn: string;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 1209600 (14 days, the maximum: a dead-letter queue keeps messages as long as SQS allows) */
  readonly messageRetentionSeconds?: number;
  /** Move a message to this queue after maxReceiveCount receives. @default no redrive */
  readonly deadLetter?: { readonly queueArn: string; readonly maxReceiveCount: number };
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** An SQS queue encrypted with the stage's customer-managed key (data keys reused for 5 minutes to limit KMS calls). */
export class EncryptedQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.queue = address(
      new SqsQueue(this, "queue", {
      name: props.name,
      kmsMasterKeyId: props.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 30,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 1209600,
      redrivePolicy: props.deadLetter
        ? JSON.stringify({ deadLetterTargetArn: props.deadLetter.queueArn, maxReceiveCount: props.deadLetter.maxReceiveCount })
        : undefined,
      tags: props.tags,
      }),
      props.address,
    );
  }
}
