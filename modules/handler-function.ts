import { Construct } from "constructs";
import { TerraformAsset, AssetType } from "cdktf";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { address } from "./addresses";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { ServiceRole } from "./iam/service-role";
import { type Statement, xrayStatement } from "./iam/statement";
import type { HandlerPackage } from "./assets/handler-packages";

export interface HandlerFunctionProps {
  /** Base of the addresses (snake_case, unique in the stack): the function, its log group and its role are all `<address>`. */
  readonly address: string;
  readonly functionName: string;
  readonly roleName: string;
  readonly package: HandlerPackage;
  /** The exported function, `index.<export>`. @default "index.handler" */
  readonly entryPoint?: string;
  readonly description: string;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Encrypts the environment, the log group and the dead-letter queue's messages. */
  readonly kmsKeyArn: string;
  /** Asynchronous invocations that fail land here (checkov CKV_AWS_116); Step Functions invokes synchronously, so it stays empty in normal operation. */
  readonly deadLetterQueueArn: string;
  readonly reservedConcurrency: number;
  /** Stage values: LOG_LEVEL, PROJECT_NAME, STAGE, ... NODE_OPTIONS is always added. */
  readonly environment: Record<string, string>;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** Permissions beyond logging, X-Ray, the DLQ and the key. @default none */
  readonly extraStatements?: readonly Statement[];
  /** @default none */
  readonly tags?: Record<string, string>;
}

/**
 * One bundled handler as a Lambda function on nodejs22.x, with its own log
 * group (created first, with retention and the stage key), X-Ray active,
 * reserved concurrency, an encrypted environment and a role limited to its log
 * group, X-Ray, its dead-letter queue and the stage key.
 */
export class HandlerFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: EncryptedLogGroup;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.timeoutSeconds = props.timeoutSeconds ?? 30;
    this.reservedConcurrency = props.reservedConcurrency;
    this.logGroup = new EncryptedLogGroup(this, "logs", {
      address: props.address,
      name: props.logGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    const logGroupArn = this.logGroup.logGroup.arn;
    this.role = new ServiceRole(this, "role", {
      address: props.address,
      roleName: props.roleName,
      service: "lambda.amazonaws.com",
      description: `Runs ${props.functionName}`,
      statements: [
        // AWSLambdaBasicExecutionRole, minus CreateLogGroup (the group exists) and scoped to this function's group.
        { sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroupArn}:*`] },
        xrayStatement(),
        { sid: "SendToDeadLetterQueue", actions: ["sqs:SendMessage"], resources: [props.deadLetterQueueArn] },
        { sid: "UseStageKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.kmsKeyArn] },
        ...(props.extraStatements ?? []),
      ],
      tags: props.tags,
    });
    const asset = new TerraformAsset(this, "code", {
      path: props.package.zipFile,
      type: AssetType.FILE,
      assetHash: props.package.assetHash,
    });
    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.role.arn,
      runtime: "nodejs22.x",
      handler: props.entryPoint ?? "index.handler",
      filename: asset.path,
      sourceCodeHash: props.package.sourceCodeHash,
      timeout: this.timeoutSeconds,
      memorySize: props.memorySize ?? 256,
      reservedConcurrentExecutions: props.reservedConcurrency,
      kmsKeyArn: props.kmsKeyArn,
      environment: { variables: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" } },
      tracingConfig: { mode: "Active" },
      deadLetterConfig: { targetArn: props.deadLetterQueueArn },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.logGroup.name },
      tags: props.tags,
      // The role must be able to write logs before the first invocation.
      dependsOn: [this.logGroup.logGroup, this.role.attachment],
    });
    address(this.function, props.address);
  }
}
