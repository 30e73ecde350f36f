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

export interface StageBucketProps {
  /** Base of the Terraform addresses (`aws_s3_bucket.<address>` and its settings; the policy document `<address>_bucket_tls_only`). */
  readonly address: string;
  readonly name: string;
  readonly kmsKeyArn: string;
  /** Days after which old object versions are deleted. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A declared S3 bucket: versioned, encrypted with the stage key (bucket key
 * on), every public access blocked, ACLs off, TLS-only, old versions and
 * incomplete multipart uploads expired.
 */
export class StageBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StageBucketProps) {
    super(scope, id);
    this.bucket = address(new S3Bucket(this, "bucket", { bucket: props.name, tags: props.tags }), props.address);
    const bucket = this.bucket.id;
    address(new S3BucketVersioning(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } }), props.address);
    address(
      new S3BucketServerSideEncryptionConfiguration(this, "encryption", {
        bucket,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
      }),
      props.address,
    );
    address(
      new S3BucketPublicAccessBlock(this, "public-access-block", { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
      props.address,
    );
    address(new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }), props.address);
    const tlsOnly = policyDocument(this, "tls-only", `${props.address}_bucket_tls_only`, [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
    address(new S3BucketPolicy(this, "policy", { bucket, policy: tlsOnly.json }), props.address);
    address(
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket,
        rule: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: [{ prefix: "" }],
            noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      }),
      props.address,
    );
  }
}
