import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { type Json, canonicalJson } from "../src/hcl/json";
import { address } from "./addresses";

export interface ExecutionNotificationsProps {
  /** Base of the addresses (snake_case, unique in the stack): the rule and its target are `<address>`, e.g. `order_processing_notifications`. */
  readonly address: string;
  readonly ruleName: string;
  /** For the rule's description. */
  readonly stateMachineName: string;
  /** The unqualified state machine ARN: status events name it, whatever alias or version ran. */
  readonly stateMachineArn: string;
  /** Execution statuses to notify on (Step Functions' status values). */
  readonly statuses: readonly string[];
  /** Where the events go: the SNS topic (its policy must let events.amazonaws.com publish: AlarmTopic's does) or an SQS queue (QueueEventsPolicy lets the rule send). */
  readonly target: { readonly kind: "topic" | "queue"; readonly arn: string };
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * An EventBridge rule on the default bus, where Step Functions sends
 * "Step Functions Execution Status Change" events, for this state machine and
 * the chosen statuses, delivered to a topic or a queue.
 */
export class ExecutionNotifications extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ExecutionNotificationsProps) {
    super(scope, id);
    this.rule = address(
      new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: `Executions of ${props.stateMachineName} whose status becomes ${props.statuses.join(", ")}`,
      // Sorted keys, as jsonencode writes them, so the HCL copy reads jsonencode({...}) and plans the same.
      eventPattern: canonicalJson({
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { status: [...props.statuses], stateMachineArn: [props.stateMachineArn] },
      } as Json),
      tags: props.tags,
      }),
      props.address,
    );
    address(new CloudwatchEventTarget(this, "target", { rule: this.rule.name, targetId: props.target.kind, arn: props.target.arn }), props.address);
  }
}
