import { Construct } from "constructs";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { address } from "./addresses";
import { policyDocument } from "./iam/policy-document";

export interface StageEventBusProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: the bus and its policy are `<address>`, the policy document `<address>_event_bus`). */
  readonly address: string;
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
    this.bus = address(new CloudwatchEventBus(this, "bus", { name: props.name, tags: props.tags }), props.address);
    const policy = policyDocument(this, "policy", `${props.address}_event_bus`, [
      {
        sid: "ThisAccountOnly",
        actions: ["events:PutEvents"],
        resources: [this.bus.arn],
        principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
      },
    ]);
    address(new CloudwatchEventBusPolicy(this, "bus-policy", { eventBusName: this.bus.name, policy: policy.json }), props.address);
  }
}
