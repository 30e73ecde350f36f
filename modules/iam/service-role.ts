import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { address } from "../addresses";
import { policyDocument } from "./policy-document";
import type { Statement } from "./statement";

export interface ServiceRoleProps {
  /**
   * Base of the addresses (snake_case, unique in the stack): the role, its policy and
   * the attachment are `<address>`, the policy documents `<address>_trust` and `<address>_policy`.
   */
  readonly address: string;
  readonly roleName: string;
  /** The service principal allowed to assume the role, e.g. `states.amazonaws.com`. */
  readonly service: string;
  /**
   * The account the service must act for (confused-deputy protection), as an
   * `aws:SourceAccount` trust condition. @default no condition (for services that do not send it)
   */
  readonly sourceAccount?: string;
  /** `aws:SourceArn` values the service must act for. @default no condition */
  readonly sourceArns?: readonly string[];
  readonly description: string;
  /** The role's identity policy. */
  readonly statements: readonly Statement[];
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A role one AWS service assumes, with one customer-managed policy attached.
 * A managed policy plus attachment (not inline) so dependants can wait on the
 * attachment: the state machine does, or its first apply can fail.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamPolicy;
  readonly attachment: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const conditions = [
      ...(props.sourceAccount ? [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.sourceAccount] }] : []),
      ...(props.sourceArns?.length ? [{ test: "ArnLike", variable: "aws:SourceArn", values: [...props.sourceArns] }] : []),
    ];
    const trust = policyDocument(this, "trust", `${props.address}_trust`, [
      {
        sid: "TrustService",
        actions: ["sts:AssumeRole"],
        resources: [],
        principals: [{ type: "Service", identifiers: [props.service] }],
        conditions,
      },
    ]);
    this.role = address(
      new IamRole(this, "role", {
        name: props.roleName,
        description: props.description,
        assumeRolePolicy: trust.json,
        tags: props.tags,
      }),
      props.address,
    );
    const document = policyDocument(this, "document", `${props.address}_policy`, props.statements);
    this.policy = address(
      new IamPolicy(this, "policy", {
        name: props.roleName,
        description: `${props.description} (least privilege)`,
        policy: document.json,
        tags: props.tags,
      }),
      props.address,
    );
    this.attachment = address(new IamRolePolicyAttachment(this, "attachment", { role: this.role.name, policyArn: this.policy.arn }), props.address);
  }
}
