import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { address } from "./addresses";
import { resourcePolicyJson } from "./iam/resource-policy";
import type { Statement } from "./iam/statement";

export interface StageKeyProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_kms_key.<address>`, `aws_kms_alias.<address>`). */
  readonly address: string;
  /** `alias/<name>`. */
  readonly aliasName: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /**
   * Service principals (besides CloudWatch Logs, which gets its own
   * encryption-context statement) allowed to use the key for data keys, each
   * limited to this account, e.g. `events.amazonaws.com` for encrypted DLQs.
   * @default ["states.amazonaws.com", "delivery.logs.amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com"]
   */
  readonly services?: readonly string[];
  /** @default 30 */
  readonly deletionWindowInDays?: number;
}

const DEFAULT_SERVICES = ["cloudwatch.amazonaws.com", "delivery.logs.amazonaws.com", "events.amazonaws.com", "states.amazonaws.com"];

/**
 * The stage's customer-managed key: state machines, log groups, queues, the
 * alarm topic and Lambda environments are encrypted with it. Rotation on;
 * the key policy lets the account's IAM policies grant use (each role gets
 * only the actions it needs) and lets each AWS service that writes encrypted
 * data on our behalf use it for this account only.
 */
export class StageKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  /** The key policy's statements (tests read them). */
  readonly statements: readonly Statement[];

  constructor(scope: Construct, id: string, props: StageKeyProps) {
    super(scope, id);
    const { accountId, partition, region } = props;
    const services = [...(props.services ?? DEFAULT_SERVICES)].sort();
    this.statements = [
      {
        // Without it the key becomes unmanageable; IAM policies still decide who may do what.
        sid: "EnableAccountIamPolicies",
        actions: ["kms:*"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
      },
      {
        sid: "AllowCloudWatchLogs",
        actions: ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
        conditions: [
          { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:${partition}:logs:${region}:${accountId}:log-group:*`] },
        ],
      },
      ...(services.length > 0 ? [servicesStatement(services, accountId)] : []),
    ];
    this.key = address(
      new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: resourcePolicyJson(this.statements),
      }),
      props.address,
    );
    address(new KmsAlias(this, "alias", { name: props.aliasName, targetKeyId: this.key.keyId }), props.address);
    this.arn = this.key.arn;
  }
}

function servicesStatement(services: string[], accountId: string): Statement {
  return {
    sid: "AllowServicesForThisAccount",
    actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
    resources: ["*"],
    principals: [{ type: "Service", identifiers: services }],
    conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
  };
}
