import { Construct } from "constructs";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { address } from "./addresses";
import { EncryptedQueue } from "./encrypted-queue";
import { HandlerFunction, type HandlerFunctionProps } from "./handler-function";

export interface SqsTriggerProps {
  /**
   * Base of the addresses (snake_case, unique in the stack): work queue and event source
   * mapping `<address>`, dead-letter queue and its redrive-allow policy `<address>_dlq`,
   * the bridge function `<address>_bridge`.
   */
  readonly address: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly stateMachineArn: string;
  readonly kmsKeyArn: string;
  /** @default 1 */
  readonly batchSize?: number;
  /** @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * The bridge function (handlers/sqs.ts), minus what this construct decides:
   * STATE_MACHINE_ARN and its permissions are added here.
   */
  readonly bridge: Omit<HandlerFunctionProps, "extraStatements" | "address">;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** AWS's lower bound for an SQS event source mapping's maximum concurrency. */
export const MIN_SQS_MAXIMUM_CONCURRENCY = 2;

/**
 * A work queue whose messages start executions through the bridge function:
 * encrypted queue and dead-letter queue (redrive after maxReceiveCount, the
 * DLQ only accepts redrives from this queue), visibility timeout six times the
 * bridge's timeout (AWS's advice: retries of a slow batch must not overlap),
 * partial batch failures, and maximum concurrency no higher than the bridge's
 * reserved concurrency (else the poller gets throttled and messages age into the DLQ).
 */
export class SqsTrigger extends Construct {
  readonly queue: EncryptedQueue;
  readonly deadLetterQueue: EncryptedQueue;
  readonly bridge: HandlerFunction;
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: SqsTriggerProps) {
    super(scope, id);
    const bridgeTimeout = props.bridge.timeoutSeconds ?? 30;
    if (props.bridge.reservedConcurrency < MIN_SQS_MAXIMUM_CONCURRENCY) {
      throw new Error(
        `SQS trigger "${props.queueName}": the bridge function's reserved concurrency must be at least ${MIN_SQS_MAXIMUM_CONCURRENCY} (the smallest maximum concurrency an SQS event source mapping accepts). Received: ${props.bridge.reservedConcurrency}. Raise LAMBDA_RESERVED_CONCURRENCY.`,
      );
    }
    this.deadLetterQueue = new EncryptedQueue(this, "dlq", { address: `${props.address}_dlq`, name: props.deadLetterQueueName, kmsKeyArn: props.kmsKeyArn, tags: props.tags });
    this.queue = new EncryptedQueue(this, "queue", {
      address: props.address,
      name: props.queueName,
      kmsKeyArn: props.kmsKeyArn,
      visibilityTimeoutSeconds: 6 * bridgeTimeout,
      messageRetentionSeconds: 345600,
      deadLetter: { queueArn: this.deadLetterQueue.queue.arn, maxReceiveCount: props.maxReceiveCount ?? 5 },
      tags: props.tags,
    });
    address(
      new SqsQueueRedriveAllowPolicy(this, "dlq-redrive-allow", {
        queueUrl: this.deadLetterQueue.queue.url,
        redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.queue.arn] }),
      }),
      `${props.address}_dlq`,
    );
    this.bridge = new HandlerFunction(this, "bridge", {
      ...props.bridge,
      address: `${props.address}_bridge`,
      environment: { ...props.bridge.environment, STATE_MACHINE_ARN: props.stateMachineArn },
      extraStatements: [
        { sid: "StartThisStateMachine", actions: ["states:StartExecution"], resources: [props.stateMachineArn] },
        {
          sid: "ConsumeWorkQueue",
          actions: ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
          resources: [this.queue.queue.arn],
        },
      ],
    });
    this.mapping = new LambdaEventSourceMapping(this, "event-source", {
      eventSourceArn: this.queue.queue.arn,
      functionName: this.bridge.function.arn,
      batchSize: props.batchSize ?? 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: props.bridge.reservedConcurrency },
      tags: props.tags,
      dependsOn: [this.bridge.role.attachment],
    });
    address(this.mapping, props.address);
  }
}
