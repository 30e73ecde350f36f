import { Construct } from "constructs";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import type { PermissionRow } from "../src/asl/iam";
import { escapeTerraformTemplate } from "../src/hcl/escape";
import type { WorkflowType } from "../workflows/catalogue";
import { address } from "./addresses";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { StateMachineRole } from "./state-machine-role";

export interface WorkflowStateMachineProps {
  /**
   * Base of the addresses (snake_case, unique in the stack), e.g. `order_processing`: the state
   * machine is `<address>`, its log group `<address>_state_machine`, its role `<address>_execution`.
   */
  readonly address: string;
  readonly name: string;
  readonly roleName: string;
  readonly type: WorkflowType;
  /** The rendered definition, pretty-printed with sorted keys (Terraform tokens inside are resolved by cdktf). */
  readonly definitionJson: string;
  readonly permissions: readonly PermissionRow[];
  /** Must be under /aws/vendedlogs/states/. */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Inputs and outputs in the logs (they may hold personal data). */
  readonly logExecutionData: boolean;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A Standard or Express state machine with its log group (level ALL), X-Ray
 * tracing, encryption with the stage key and a derived least-privilege role.
 */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: StateMachineRole;
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    if (!props.logGroupName.startsWith("/aws/vendedlogs/states/")) {
      throw new Error(
        `State machine "${props.name}": its log group must be named under /aws/vendedlogs/states/ (other names hit the CloudWatch Logs resource-policy size limit). Received: "${props.logGroupName}". Use names.stateMachineLogGroup().`,
      );
    }
    this.logGroup = new EncryptedLogGroup(this, "logs", {
      address: `${props.address}_state_machine`,
      name: props.logGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
      tags: props.tags,
    });
    this.role = new StateMachineRole(this, "execution-role", {
      address: `${props.address}_execution`,
      roleName: props.roleName,
      stateMachineName: props.name,
      permissions: props.permissions,
      accountId: props.accountId,
      partition: props.partition,
      region: props.region,
      kmsKeyArn: props.kmsKeyArn,
      tags: props.tags,
    });
    this.stateMachine = new SfnStateMachine(this, "state-machine", {
      name: props.name,
      type: props.type,
      roleArn: this.role.role.role.arn,
      // Template text reaches Terraform escaped ($${, %%{); the {{lambda}} references (cdktf tokens) stay references.
      definition: escapeTerraformTemplate(props.definitionJson),
      loggingConfiguration: {
        level: "ALL",
        includeExecutionData: props.logExecutionData,
        logDestination: `${this.logGroup.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: "CUSTOMER_MANAGED_KMS_KEY",
        kmsKeyId: props.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      // Every change of the definition publishes a version; the stage alias routes executions to versions.
      publish: true,
      tags: props.tags,
      // Without this the first apply can create the state machine before its role may log or invoke.
      dependsOn: [this.role.role.attachment],
    });
    address(this.stateMachine, props.address);
  }
}
