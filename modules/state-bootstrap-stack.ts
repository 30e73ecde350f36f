import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { address, checkAddresses } from "./addresses";
import { policyDocument } from "./iam/policy-document";
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
    this.bucket = address(new S3Bucket(this, "bucket", { bucket: props.bucketName }), "state");
    const bucket = this.bucket.id;
    address(new S3BucketVersioning(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } }), "state");
    address(
      new S3BucketServerSideEncryptionConfiguration(this, "encryption", {
        bucket,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
      }),
      "state",
    );
    address(
      new S3BucketPublicAccessBlock(this, "public-access-block", {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
      "state",
    );
    address(new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }), "state");
    const tlsOnly = policyDocument(this, "tls-only", "state_bucket_tls_only", [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
    address(new S3BucketPolicy(this, "policy", { bucket, policy: tlsOnly.json }), "state");
    const lifecycle = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    address(lifecycle, "state");
    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "The S3 bucket for Terraform state: set STATE_BUCKET to this." });
    new TerraformOutput(this, "state_kms_key_arn", { value: key.arn, description: "The KMS key of the state bucket: optionally set STATE_KMS_KEY_ID to this." });
  }
}
