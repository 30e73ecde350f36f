import { Construct } from "constructs";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { policyDocument } from "./iam/policy-document";

export interface StageEventBusProps {
  readonly name: string;
  readonly accountId: string;
  readonly partition: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** The stage's custom event bus; its policy admits PutEvents from this account only. */
export class StageEventBus extends Construct {
  readonly bus: CloudwatchEventBus;

  constructor(scope: Construct, id: string, props: StageEventBusProps) {
    super(scope, id);
    this.bus = new CloudwatchEventBus(this, "bus", { name: props.name, tags: props.tags });
    const policy = policyDocument(this, "policy", [
      {
        sid: "ThisAccountOnly",
        actions: ["events:PutEvents"],
        resources: [this.bus.arn],
        principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
      },
    ]);
    new CloudwatchEventBusPolicy(this, "bus-policy", { eventBusName: this.bus.name, policy: policy.json });
  }
}
