/**
 * KMS for resources encrypted with a customer-managed key: the data table of
 * which KMS actions each service action needs on the resource's key, with the
 * AWS page each row comes from. A declared resource the stage creates is
 * encrypted with the stage key (event buses: EventBridge's own key); an
 * existing one of any kind may give its key per stage (RESOURCE_<NAME>_KMS_KEY_ARN). Either way derivePermissions (iam.ts) adds,
 * for every state whose grant touches such a resource, exactly the KMS
 * actions its service actions need, on that key and nothing else.
 *
 * Reviewed like data: a new row needs a failing and a passing definition in
 * __tests__/asl/kms-rows.test.ts.
 */

/** The `integration` of every KMS row, so the policy merges them per key. */
export const KMS_INTEGRATION = "kms (customer-managed key)";

/** The integrations that write an object in parts (CreateMultipartUpload, UploadPart, CompleteMultipartUpload). */
const MULTIPART = /^(s3:putObject|aws-sdk:s3:(createMultipartUpload|uploadPart|uploadPartCopy|completeMultipartUpload))$/;
const MULTIPART_ACTIONS = ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

export interface KmsRule {
  /** The service actions (as granted, `service:Action`) that make the service call KMS with the resource's key. */
  readonly actions: readonly string[];
  /** What the caller then needs on the key. */
  readonly kms: readonly string[];
  /** Only when this holds for the row (its integration and all its actions). @default always */
  readonly when?: (row: { readonly integration: string; readonly actions: readonly string[] }) => boolean;
  /** The AWS page that says so. */
  readonly doc: string;
}

export const KMS_RULES: readonly KmsRule[] = [
  // "Allow a user to send messages to a topic with SSE": kms:GenerateDataKey and kms:Decrypt on the topic's key.
  { actions: ["sns:Publish"], kms: ["kms:Decrypt", "kms:GenerateDataKey"], doc: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html" },
  // Producers need kms:GenerateDataKey and kms:Decrypt; consumers kms:Decrypt.
  { actions: ["sqs:SendMessage"], kms: ["kms:Decrypt", "kms:GenerateDataKey"], doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html" },
  { actions: ["sqs:ReceiveMessage"], kms: ["kms:Decrypt"], doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html" },
  // Uploading an SSE-KMS object needs kms:GenerateDataKey, downloading it kms:Decrypt.
  { actions: ["s3:GetObject", "s3:GetObjectVersion"], kms: ["kms:Decrypt"], doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html" },
  { actions: ["s3:PutObject"], kms: ["kms:GenerateDataKey"], doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html" },
  // A multipart upload of an SSE-KMS object needs kms:Decrypt as well (S3 decrypts the parts' data keys to complete it).
  {
    actions: ["s3:PutObject"],
    kms: ["kms:Decrypt"],
    when: (row) => MULTIPART.test(row.integration) || row.actions.some((a) => MULTIPART_ACTIONS.includes(a)),
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions",
  },
  // DynamoDB decrypts the table key with the caller's permission (kms:Decrypt) on access; it generates data keys
  // (kms:GenerateDataKey) and describes the key only when the table is created or its key changes, which the stack does, not the state machine.
  {
    actions: [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PartiQLDelete",
      "dynamodb:PartiQLInsert",
      "dynamodb:PartiQLSelect",
      "dynamodb:PartiQLUpdate",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ],
    kms: ["kms:Decrypt"],
    doc: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html",
  },
  // Reading a secret's value decrypts its data key (kms:Decrypt); writing a new value generates one (kms:GenerateDataKey) and checks it (kms:Decrypt).
  { actions: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], kms: ["kms:Decrypt"], doc: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html" },
  { actions: ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret"], kms: ["kms:Decrypt", "kms:GenerateDataKey"], doc: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html" },
  // An EventBridge connection keeps its authorization in a Secrets Manager secret (events!connection/<name>/...) encrypted with
  // the connection's key. An HTTP Task reads it with the execution role (events:RetrieveConnectionCredentials, and
  // secretsmanager:GetSecretValue on that secret: call-https-apis.html#connect-http-task-permissions); the key policy
  // delegates its use to IAM, through Secrets Manager (kms:ViaService secretsmanager, SecretARN events!connection/*), and
  // reading a secret's value decrypts its data key (kms:Decrypt, security-encryption.html). Nothing is encrypted by the call.
  { actions: ["events:RetrieveConnectionCredentials"], kms: ["kms:Decrypt"], doc: "https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-connections.html" },
  // An event bus with a customer-managed key: managing its rules and targets needs kms:Decrypt ("AWS KMS key permissions for
  // event bus actions"). events:PutEvents is not among them: EventBridge encrypts the events itself, as events.amazonaws.com,
  // which the key policy must allow (eb-encryption-key-policy.html), so putting events needs no grant on the key.
  // IAM grants these actions on the rule (rule/[<bus>/]<name>) or on "*" (ListRules, ListRuleNamesByTarget), never on the
  // bus: the grant names the bus it touches (eventbridge.ts, the .sync managed rules), and that is where the key is found.
  {
    actions: [
      "events:DescribeRule",
      "events:DisableRule",
      "events:EnableRule",
      "events:ListRuleNamesByTarget",
      "events:ListRules",
      "events:ListTargetsByRule",
      "events:PutRule",
      "events:PutTargets",
    ],
    kms: ["kms:Decrypt"],
    doc: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-event-bus-cmkey.html#eb-encryption-key-permissions-bus",
  },
];

/** The KMS actions a row's service actions need on its resource's key (sorted; empty when none), and the pages that say so. */
export function kmsNeeds(row: { readonly integration: string; readonly actions: readonly string[] }): { actions: string[]; docs: string[] } {
  const actions = new Set<string>();
  const docs: string[] = [];
  for (const rule of KMS_RULES) {
    if (!row.actions.some((a) => rule.actions.includes(a)) || (rule.when && !rule.when(row))) continue;
    rule.kms.forEach((a) => actions.add(a));
    if (!docs.includes(rule.doc)) docs.push(rule.doc);
  }
  return { actions: [...actions].sort(), docs };
}
