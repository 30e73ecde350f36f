import { Construct } from "constructs";
import { type PermissionRow, toPolicyStatements } from "../src/asl/iam";
import { ServiceRole } from "./iam/service-role";
import { LOG_DELIVERY_ACTIONS, type Statement, xrayStatement } from "./iam/statement";

export interface StateMachineRoleProps {
  /** Base of the addresses of the role, its policy and attachment (see ServiceRole), e.g. `order_processing_execution`. */
  readonly address: string;
  readonly roleName: string;
  readonly stateMachineName: string;
  /** From derivePermissions(rendered definition): the integrations the definition calls. */
  readonly permissions: readonly PermissionRow[];
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** The stage key that encrypts the state machine's data. */
  readonly kmsKeyArn: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * The execution role: trusted by states.amazonaws.com for this account and this
 * state machine only; its policy is the derived integration statements plus
 * logging, X-Ray and the stage key, nothing else.
 */
export class StateMachineRole extends Construct {
  readonly role: ServiceRole;
  readonly statements: readonly Statement[];

  constructor(scope: Construct, id: string, props: StateMachineRoleProps) {
    super(scope, id);
    const derived: Statement[] = toPolicyStatements(props.permissions).map((s) => ({ sid: s.sid, actions: s.actions, resources: s.resources, ...(s.conditions ? { conditions: s.conditions } : {}) }));
    this.statements = [
      ...derived,
      // AWS gives no narrower resource for log delivery and X-Ray: the Step Functions developer guide grants these on "*".
      { sid: "CloudWatchLogsDelivery", actions: LOG_DELIVERY_ACTIONS, resources: ["*"] },
      xrayStatement(),
      { sid: "UseStageKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.kmsKeyArn] },
    ];
    // Built from the name, not the resource: the state machine depends on this role.
    const stateMachineArn = `arn:${props.partition}:states:${props.region}:${props.accountId}:stateMachine:${props.stateMachineName}`;
    this.role = new ServiceRole(this, "role", {
      address: props.address,
      roleName: props.roleName,
      service: "states.amazonaws.com",
      sourceAccount: props.accountId,
      sourceArns: [stateMachineArn],
      description: `Execution role of ${props.stateMachineName}`,
      statements: this.statements,
      tags: props.tags,
    });
  }
}
