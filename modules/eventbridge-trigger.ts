import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { address } from "./addresses";
import { escapeTerraformTemplates } from "../src/hcl/escape";
import { type Json, canonicalJson } from "../src/hcl/json";
import { EncryptedQueue } from "./encrypted-queue";
import { ServiceRole } from "./iam/service-role";
import { policyDocument } from "./iam/policy-document";

export interface EventBridgeTriggerProps {
  /**
   * Base of the addresses (snake_case, unique in the stack): rule and target `<address>`,
   * target role `<address>_events`, dead-letter queue and its policy `<address>_events_dlq`.
   */
  readonly address: string;
  readonly ruleName: string;
  readonly description: string;
  readonly eventBusName: string;
  /** The catalogue's event pattern. */
  readonly pattern: unknown;
  readonly stateMachineArn: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** @default 185 (EventBridge's maximum) */
  readonly maximumRetryAttempts?: number;
  /** @default 86400 (one day, EventBridge's maximum) */
  readonly maximumEventAgeSeconds?: number;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A rule on the stage bus that starts the state machine: the target's role may
 * only StartExecution on that state machine; events EventBridge cannot
 * deliver after the retry policy go to an encrypted dead-letter queue.
 */
export class EventBridgeTrigger extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly deadLetterQueue: EncryptedQueue;

  constructor(scope: Construct, id: string, props: EventBridgeTriggerProps) {
    super(scope, id);
    this.rule = address(
      new CloudwatchEventRule(this, "rule", {
        name: props.ruleName,
        description: props.description,
        eventBusName: props.eventBusName,
        // Catalogue text is data for Terraform ($${ escapes); sorted keys so the HCL copy reads jsonencode({...}).
        eventPattern: canonicalJson(escapeTerraformTemplates(props.pattern as Json)),
        tags: props.tags,
      }),
      props.address,
    );
    const dlq = `${props.address}_events_dlq`;
    const role = new ServiceRole(this, "target-role", {
      address: `${props.address}_events`,
      roleName: props.roleName,
      service: "events.amazonaws.com",
      sourceAccount: props.accountId,
      sourceArns: [this.rule.arn],
      description: `Lets rule ${props.ruleName} start its state machine`,
      statements: [{ sid: "StartThisStateMachine", actions: ["states:StartExecution"], resources: [props.stateMachineArn] }],
      tags: props.tags,
    });
    this.deadLetterQueue = new EncryptedQueue(this, "dlq", { address: dlq, name: props.deadLetterQueueName, kmsKeyArn: props.kmsKeyArn, tags: props.tags });
    const queueArn = this.deadLetterQueue.queue.arn;
    const queuePolicy = policyDocument(this, "dlq-policy-document", `${dlq}_policy`, [
      {
        sid: "EventBridgeDeadLetters",
        actions: ["sqs:SendMessage"],
        resources: [queueArn],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [this.rule.arn] }],
      },
    ]);
    address(new SqsQueuePolicy(this, "dlq-policy", { queueUrl: this.deadLetterQueue.queue.url, policy: queuePolicy.json }), dlq);
    const target = new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      eventBusName: props.eventBusName,
      targetId: "state-machine",
      arn: props.stateMachineArn,
      roleArn: role.role.arn,
      deadLetterConfig: { arn: queueArn },
      retryPolicy: {
        maximumRetryAttempts: props.maximumRetryAttempts ?? 185,
        maximumEventAgeInSeconds: props.maximumEventAgeSeconds ?? 86400,
      },
      dependsOn: [role.attachment],
    });
    address(target, props.address);
  }
}
