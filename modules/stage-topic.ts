import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { address } from "./addresses";

export interface StageTopicProps {
  /** Terraform address: `aws_sns_topic.<address>`. */
  readonly address: string;
  readonly name: string;
  readonly kmsKeyArn: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** A declared SNS topic, encrypted with the stage key; with no topic policy, only this account may use it. */
export class StageTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: StageTopicProps) {
    super(scope, id);
    this.topic = address(new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn, tags: props.tags }), props.address);
  }
}
