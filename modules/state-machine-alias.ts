import { Construct } from "constructs";
import { SfnAlias } from "@cdktf/provider-aws/lib/sfn-alias";
import type { Route } from "../src/deploy/rollout";
import { address } from "./addresses";

export interface StateMachineAliasProps {
  /** The workflow's address base: the alias is `aws_sfn_alias.<address>`. */
  readonly address: string;
  /** The alias name: the stage (`dev`, `prod`). */
  readonly name: string;
  /** The unqualified state machine ARN, for earlier versions (`<arn>:<version>`). */
  readonly stateMachineArn: string;
  /** The version ARN the state machine published for this definition (`publish = true`). */
  readonly currentVersionArn: string;
  /** From aliasRoutes(): one route, or two during a rollout. */
  readonly routes: readonly Route[];
  readonly description: string;
}

/**
 * The stage alias every trigger starts executions through, so a new
 * definition can be rolled out to a share of the traffic and rolled back by
 * routing, without touching the triggers.
 */
export class StateMachineAlias extends Construct {
  readonly alias: SfnAlias;

  constructor(scope: Construct, id: string, props: StateMachineAliasProps) {
    super(scope, id);
    this.alias = address(
      new SfnAlias(this, "alias", {
      name: props.name,
      description: props.description,
      routingConfiguration: props.routes.map((route) => ({
        stateMachineVersionArn: route.version === "current" ? props.currentVersionArn : `${props.stateMachineArn}:${route.version}`,
        weight: route.weight,
      })),
      }),
      props.address,
    );
  }
}
