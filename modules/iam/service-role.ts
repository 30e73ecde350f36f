import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyDocument } from "./policy-document";
import type { Statement } from "./statement";

export interface ServiceRoleProps {
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
    const trust = policyDocument(this, "trust", [
      {
        sid: "TrustService",
        actions: ["sts:AssumeRole"],
        resources: [],
        principals: [{ type: "Service", identifiers: [props.service] }],
        conditions,
      },
    ]);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: props.tags,
    });
    const document = policyDocument(this, "document", props.statements);
    this.policy = new IamPolicy(this, "policy", {
      name: props.roleName,
      description: `${props.description} (least privilege)`,
      policy: document.json,
      tags: props.tags,
    });
    this.attachment = new IamRolePolicyAttachment(this, "attachment", { role: this.role.name, policyArn: this.policy.arn });
  }
}
