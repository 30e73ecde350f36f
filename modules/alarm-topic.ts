import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { address } from "./addresses";

export interface AlarmTopicProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_sns_topic.<address>`, `aws_sns_topic_subscription.<address>_email`). */
  readonly address: string;
  readonly name: string;
  /** The stage key; its policy lets cloudwatch.amazonaws.com use it (StageKey does). */
  readonly kmsKeyArn: string;
  /** Subscribed by e-mail (AWS sends a confirmation first). @default no subscription */
  readonly email?: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** The stage's alarm topic, encrypted with the stage key. */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = address(new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn, tags: props.tags }), props.address);
    if (props.email) {
      address(new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email }), `${props.address}_email`);
    }
  }
}
