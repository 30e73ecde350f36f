import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { address } from "./addresses";

export interface EncryptedLogGroupProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_cloudwatch_log_group.<address>`). */
  readonly address: string;
  readonly name: string;
  /** One of the values CloudWatch Logs accepts (the stage config validates it). */
  readonly retentionDays: number;
  /** The stage key; its policy must allow logs.<region>.amazonaws.com (StageKey does). */
  readonly kmsKeyArn: string;
  /** @default none (provider default_tags still apply) */
  readonly tags?: Record<string, string>;
}

/** A log group created before its writer, so retention and encryption apply from the first line. */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroup = address(
      new CloudwatchLogGroup(this, "log-group", {
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags: props.tags,
      }),
      props.address,
    );
  }
}
