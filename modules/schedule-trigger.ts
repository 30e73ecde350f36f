import { Construct } from "constructs";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { address } from "./addresses";
import { EncryptedQueue } from "./encrypted-queue";
import { ServiceRole } from "./iam/service-role";

export interface ScheduleTriggerProps {
  /**
   * Base of the addresses (snake_case, unique in the stack), e.g. `order_processing_schedule`: the
   * schedule and its role are `<address>`, the dead-letter queue `<address>_dlq`.
   */
  readonly address: string;
  readonly name: string;
  readonly description: string;
  /** `cron(...)`, `rate(...)` or `at(...)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  /** IANA time zone of a cron or at expression. */
  readonly timezone: string;
  /** Let Scheduler start up to this many minutes late to spread load; 0 starts on time. */
  readonly flexibleWindowMinutes: number;
  /** The execution input, as JSON text. */
  readonly input: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** The stage alias ARN: the only thing the role may start. */
  readonly aliasArn: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * An EventBridge Scheduler schedule that starts the workflow's stage alias:
 * encrypted with the stage key, retried by Scheduler's own policy, and what
 * it still cannot deliver goes to an encrypted dead-letter queue (the stack
 * alarms on it). The role may start only that alias and write only that queue.
 */
export class ScheduleTrigger extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly deadLetterQueue: EncryptedQueue;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: ScheduleTriggerProps) {
    super(scope, id);
    this.deadLetterQueue = new EncryptedQueue(this, "dlq", { address: `${props.address}_dlq`, name: props.deadLetterQueueName, kmsKeyArn: props.kmsKeyArn, tags: props.tags });
    this.role = new ServiceRole(this, "role", {
      address: props.address,
      roleName: props.roleName,
      service: "scheduler.amazonaws.com",
      sourceAccount: props.accountId,
      description: `Lets schedule ${props.name} start its workflow`,
      statements: [
        // Scoped to the alias: an alias-qualified resource allows starts through that alias only.
        { sid: "StartThroughTheAlias", actions: ["states:StartExecution"], resources: [props.aliasArn] },
        // Scheduler writes undeliverable starts to the dead-letter queue with this role.
        { sid: "DeadLetters", actions: ["sqs:SendMessage"], resources: [this.deadLetterQueue.queue.arn] },
        { sid: "EncryptedDeadLetters", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.kmsKeyArn] },
      ],
      tags: props.tags,
    });
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: props.name,
      description: props.description,
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timezone,
      flexibleTimeWindow:
        props.flexibleWindowMinutes > 0 ? { mode: "FLEXIBLE", maximumWindowInMinutes: props.flexibleWindowMinutes } : { mode: "OFF" },
      kmsKeyArn: props.kmsKeyArn,
      target: {
        arn: props.aliasArn,
        roleArn: this.role.role.arn,
        input: props.input,
        retryPolicy: { maximumRetryAttempts: props.maximumRetryAttempts, maximumEventAgeInSeconds: props.maximumEventAgeSeconds },
        deadLetterConfig: { arn: this.deadLetterQueue.queue.arn },
      },
      dependsOn: [this.role.attachment],
    });
    address(this.schedule, props.address);
  }
}
