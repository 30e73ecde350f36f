import { Construct } from "constructs";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { address } from "./addresses";
import { policyDocument } from "./iam/policy-document";

export interface QueueEventsPolicyProps {
  /** Base of the Terraform addresses (snake_case, unique in the stack). */
  readonly address: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** The EventBridge rules that may send to the queue (a queue has one policy: every rule is listed here). */
  readonly ruleArns: readonly string[];
}

/**
 * The policy of a queue that EventBridge rules deliver to (execution
 * notifications): events.amazonaws.com may SendMessage, for these rules only.
 * The queue's KMS key must let EventBridge use it (the stage key does).
 */
export class QueueEventsPolicy extends Construct {
  constructor(scope: Construct, id: string, props: QueueEventsPolicyProps) {
    super(scope, id);
    const document = policyDocument(this, "document", `${props.address}_events_policy`, [
      {
        sid: "ExecutionNotificationRules",
        actions: ["sqs:SendMessage"],
        resources: [props.queueArn],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [...props.ruleArns] }],
      },
    ]);
    address(new SqsQueuePolicy(this, "policy", { queueUrl: props.queueUrl, policy: document.json }), `${props.address}_events`);
  }
}
