import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { address, checkAddresses } from "./addresses";
import { secureBucket } from "./secure-bucket";
import { configureBackend } from "./state-backend";
import { StageKey } from "./stage-key";
import { awsProvider } from "./aws-provider";

export interface StateBootstrapStackProps {
  readonly projectName: string;
  readonly owner: string;
  readonly region: string;
  readonly bucketName: string;
  /** Where this stack's own (small) state lives: it cannot live in the bucket it creates. */
  readonly statePath: string;
  /** Days an overwritten state version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
}

/**
 * Creates the S3 bucket that holds the stages' Terraform state: versioned,
 * KMS-encrypted, private, owner-enforced, TLS-only, with old versions and
 * abandoned multipart uploads cleaned up. Deploy it once, then set
 * STATE_BACKEND=s3 STATE_BUCKET=<bucket> for the stages (README).
 */
export class StateBootstrapStack extends TerraformStack {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    checkAddresses(this);
    awsProvider(this, {
      region: props.region,
      defaultTags: [{ tags: { Owner: props.owner, env: props.projectName, stage: "shared", project: props.projectName, "managed-by": "cdktf" } }],
    });
    configureBackend(this, { type: "local", path: props.statePath });
    const identity = address(new DataAwsCallerIdentity(this, "identity"), "current");
    const partition = address(new DataAwsPartition(this, "partition"), "current");
    const key = new StageKey(this, "key", {
      address: "state",
      aliasName: `alias/${id}`,
      description: `Encrypts the Terraform state of ${props.projectName}`,
      accountId: identity.accountId,
      partition: partition.partition,
      region: props.region,
      services: [],
    });
    this.bucket = secureBucket(this, {
      address: "state",
      name: props.bucketName,
      kmsKeyArn: key.arn,
      noncurrentVersionDays: props.noncurrentVersionDays,
      lifecycleRuleId: "expire-old-state-versions",
    });
    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "The S3 bucket for Terraform state: set STATE_BUCKET to this." });
    new TerraformOutput(this, "state_kms_key_arn", { value: key.arn, description: "The KMS key of the state bucket: optionally set STATE_KMS_KEY_ID to this." });
  }
}
