import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { address } from "./addresses";
import { policyDocument } from "./iam/policy-document";

export interface SecureBucketProps {
  /** Base of the Terraform addresses (`aws_s3_bucket.<address>` and its settings; the policy document `<address>_bucket_tls_only`). */
  readonly address: string;
  readonly name: string;
  readonly kmsKeyArn: string;
  /** Days after which old object versions are deleted. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** The lifecycle rule's id. @default "expire-old-versions" */
  readonly lifecycleRuleId?: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * An S3 bucket secure by default: versioned, encrypted with a customer-managed
 * KMS key (bucket key on), every public access blocked, ACLs off, TLS-only,
 * old versions and incomplete multipart uploads expired. The stage's declared
 * buckets (modules/declared-resources.ts) and the Terraform state bucket
 * (modules/state-bootstrap-stack.ts) are both this.
 */
export function secureBucket(scope: Construct, props: SecureBucketProps): S3Bucket {
  // Resources go straight into `scope` (construct ids bucket, versioning, ...): the addresses
  // the state bucket had before moved.tf are derived from those paths.
  const s3 = address(new S3Bucket(scope, "bucket", { bucket: props.name, tags: props.tags }), props.address);
  const bucket = s3.id;
  address(new S3BucketVersioning(scope, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } }), props.address);
  address(
    new S3BucketServerSideEncryptionConfiguration(scope, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    }),
    props.address,
  );
  address(
    new S3BucketPublicAccessBlock(scope, "public-access-block", { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    props.address,
  );
  address(new S3BucketOwnershipControls(scope, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }), props.address);
  const tlsOnly = policyDocument(scope, "tls-only", `${props.address}_bucket_tls_only`, [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      actions: ["s3:*"],
      resources: [s3.arn, `${s3.arn}/*`],
      principals: [{ type: "*", identifiers: ["*"] }],
      conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
  ]);
  address(new S3BucketPolicy(scope, "policy", { bucket, policy: tlsOnly.json }), props.address);
  address(
    new S3BucketLifecycleConfiguration(scope, "lifecycle", {
      bucket,
      rule: [
        {
          id: props.lifecycleRuleId ?? "expire-old-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    }),
    props.address,
  );
  return s3;
}
