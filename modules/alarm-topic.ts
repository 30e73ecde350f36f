import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { address } from "./addresses";
import { policyDocument } from "./iam/policy-document";

export interface AlarmTopicProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_sns_topic.<address>` and its policy, `aws_sns_topic_subscription.<address>_email`, the policy document `<address>_topic_policy`). */
  readonly address: string;
  readonly name: string;
  /** The stage key; its policy lets cloudwatch.amazonaws.com and events.amazonaws.com use it (StageKey does). */
  readonly kmsKeyArn: string;
  /** The account whose alarms and rules may publish (confused-deputy protection). */
  readonly accountId: string;
  /** Subscribed by e-mail (AWS sends a confirmation first). @default no subscription */
  readonly email?: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * The stage's alarm topic, encrypted with the stage key. Its policy lets this
 * account's CloudWatch alarms and EventBridge rules (execution notifications)
 * publish, and nothing else from outside the account.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = address(new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn, tags: props.tags }), props.address);
    const document = policyDocument(this, "policy-document", `${props.address}_topic_policy`, [
      {
        sid: "AlarmsAndRulesOfThisAccount",
        actions: ["sns:Publish"],
        resources: [this.topic.arn],
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }],
        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
      },
    ]);
    address(new SnsTopicPolicy(this, "policy", { arn: this.topic.arn, policy: document.json }), props.address);
    if (props.email) {
      address(new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email }), `${props.address}_email`);
    }
  }
}
