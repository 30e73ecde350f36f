/**
 * Every row of the IAM table (src/asl/integrations.ts, src/asl/aws-sdk.ts),
 * each with a definition it derives exactly and a definition it must refuse or
 * warn about.
 */
import { UnknownIntegrationError, UnsupportedPatternError, derivePermissions, permissionFindings, toPolicyStatements, type DeriveOptions } from "../../src/asl/iam";
import { SDK_IAM_PREFIX, sdkIamActions } from "../../src/asl/aws-sdk";

const opts: DeriveOptions = { workflow: "shop", file: "workflows/shop.asl.json.hbs", arn: { partition: "aws", region: "us-east-1", accountId: "123456789012", stateMachineName: "shop-dev-main" } };
const task = (resource: string, extra: Record<string, unknown> = {}) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, End: true, ...extra } } });
const statements = (definition: Record<string, unknown>, options: Partial<DeriveOptions> = {}) =>
  toPolicyStatements(derivePermissions(definition, { ...opts, ...options })).map(({ sid: _sid, ...rest }) => rest);
const warnings = (definition: Record<string, unknown>) => permissionFindings(derivePermissions(definition, opts), opts.file);

const distributedMap = (fields: Record<string, unknown>) => ({
  StartAt: "M",
  States: {
    M: {
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
      ...fields,
    },
  },
});
const MAP_SELF = [
  { actions: ["states:DescribeExecution", "states:StopExecution"], resources: ["arn:aws:states:us-east-1:123456789012:execution:shop-dev-main/*"] },
  { actions: ["states:RedriveExecution"], resources: ["arn:aws:states:us-east-1:123456789012:execution:shop-dev-main/*"] },
  { actions: ["states:StartExecution"], resources: ["arn:aws:states:us-east-1:123456789012:stateMachine:shop-dev-main"] },
];
const RESULT_ACTIONS = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"];

describe("distributed Map", () => {
  test("pass: starts, tracks, stops and redrives its own child executions", () => {
    expect(statements(distributedMap({}))).toEqual(MAP_SELF);
  });
  test("fail: an inline Map needs none of it", () => {
    expect(statements({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } })).toEqual([]);
  });
});

describe("ResultWriter (s3:putObject)", () => {
  test("pass: the four multipart actions on bucket/prefix/*", () => {
    const def = distributedMap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "shop-dev-exports", Prefix: "results/" } } });
    expect(statements(def)).toContainEqual({ actions: RESULT_ACTIONS, resources: ["arn:aws:s3:::shop-dev-exports/results/*"] });
    expect(warnings(def)).toEqual([]);
  });
  test("fail: a dynamic Prefix widens the grant to the bucket, with a warning; a dynamic Bucket to *", () => {
    const prefix = distributedMap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "shop-dev-exports", "Prefix.$": "$.run" } } });
    expect(statements(prefix)).toContainEqual({ actions: RESULT_ACTIONS, resources: ["arn:aws:s3:::shop-dev-exports/*"] });
    expect(warnings(prefix)).toEqual([expect.objectContaining({ code: "IAM001", severity: "warning", path: "States.M.ResultWriter", message: expect.stringContaining("Prefix is computed at run time") })]);
    const bucket = distributedMap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { "Bucket.$": "$.b", Prefix: "r" } } });
    expect(statements(bucket)).toContainEqual({ actions: RESULT_ACTIONS, resources: ["*"] });
  });
  test("fail: s3:putObject is not a Task integration", () => {
    expect(() => derivePermissions(task("arn:aws:states:::s3:putObject", { Parameters: { Bucket: "b" } }), opts)).toThrow(
      'Workflow "shop" (workflows/shop.asl.json.hbs): state States.T uses "arn:aws:states:::s3:putObject" in a Task, where it does not exist: ' +
        'it is only valid in a distributed Map\'s ResultWriter. As a Task, call the SDK instead: "arn:aws:states:::aws-sdk:s3:putObject".',
    );
  });
});

describe("ItemReader", () => {
  const reader = (resource: string, parameters: Record<string, unknown>) => distributedMap({ ItemReader: { Resource: resource, ReaderConfig: { InputType: "JSON" }, Parameters: parameters } });
  test("pass: getObject on the one object", () => {
    expect(statements(reader("arn:aws:states:::s3:getObject", { Bucket: "shop-dev-exports", Key: "lines.json" }))).toContainEqual({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-dev-exports/lines.json"] });
  });
  test("fail: only the key is dynamic: scoped to the bucket (not *), with a warning", () => {
    const def = reader("arn:aws:states:::s3:getObject", { Bucket: "shop-dev-exports", "Key.$": "$.key" });
    expect(statements(def)).toContainEqual({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-dev-exports/*"] });
    expect(warnings(def).map((f) => [f.code, f.path])).toEqual([["IAM001", "States.M.ItemReader"]]);
  });
  test("a key computed from a literal start stays under that prefix (States.Format, JSONata)", () => {
    const format = reader("arn:aws:states:::s3:getObject", { Bucket: "shop-dev-exports", "Key.$": "States.Format('in/{}.json', $.batch)" });
    expect(statements(format)).toContainEqual({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-dev-exports/in/*"] });
    const jsonata = {
      QueryLanguage: "JSONata",
      ...distributedMap({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Arguments: { Bucket: "shop-dev-exports", Key: "{% 'in/' & $states.input.batch %}" } } }),
    };
    expect(statements(jsonata)).toContainEqual({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-dev-exports/in/*"] });
  });

  test("pass: listObjectsV2 lists the bucket under the prefix only", () => {
    expect(statements(reader("arn:aws:states:::s3:listObjectsV2", { Bucket: "shop-dev-exports", Prefix: "in/" }))).toContainEqual({
      actions: ["s3:ListBucket"],
      resources: ["arn:aws:s3:::shop-dev-exports"],
      conditions: [{ test: "StringLike", variable: "s3:prefix", values: ["in/*"] }],
    });
  });
  test("fail: a dynamic bucket is granted on * with a warning", () => {
    const def = reader("arn:aws:states:::s3:listObjectsV2", { "Bucket.$": "$.bucket" });
    expect(statements(def)).toContainEqual({ actions: ["s3:ListBucket"], resources: ["*"] });
    expect(warnings(def)).toHaveLength(1);
  });
});

describe("KMS for customer-managed keys", () => {
  const key = "arn:aws:kms:us-east-1:123456789012:key/1111-2222";
  const queue = "arn:aws:sqs:us-east-1:123456789012:shop-dev-fulfilment";
  const send = task("arn:aws:states:::sqs:sendMessage", { Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/shop-dev-fulfilment", "MessageBody.$": "$" } });
  test("pass: a state touching an encrypted resource gets GenerateDataKey and Decrypt on its key", () => {
    const rows = derivePermissions(send, { ...opts, encryptionKeys: { [queue]: key } });
    expect(rows.map((r) => [r.statePath, r.actions, r.resources])).toEqual([
      ["States.T", ["sqs:SendMessage"], [queue]],
      ["States.T", ["kms:Decrypt", "kms:GenerateDataKey"], [key]],
    ]);
    expect(rows[1].doc).toMatch(/sqs-key-management/);
  });
  test("pass: objects under an encrypted bucket, and Terraform references mapped to ARNs", () => {
    const bucketKey = "${aws_kms_key.k.arn}";
    const def = distributedMap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "${aws_s3_bucket.x.bucket}", Prefix: "r" } } });
    const rows = derivePermissions(def, { ...opts, references: { "${aws_s3_bucket.x.bucket}": "${aws_s3_bucket.x.arn}" }, encryptionKeys: { "${aws_s3_bucket.x.arn}": bucketKey } });
    expect(rows.find((r) => r.integration === "s3:putObject")?.resources).toEqual(["${aws_s3_bucket.x.arn}/r/*"]);
    expect(rows.filter((r) => r.actions.includes("kms:Decrypt")).map((r) => r.resources)).toEqual([[bucketKey]]);
  });
  test("fail: a resource without a customer-managed key gets no KMS grant", () => {
    expect(derivePermissions(send, { ...opts, encryptionKeys: { "arn:aws:sqs:us-east-1:123456789012:other": key } }).some((r) => r.actions.includes("kms:Decrypt"))).toBe(false);
  });
});

describe("aws-sdk integrations", () => {
  test.each([
    ["sfn", "startExecution", "states:StartExecution"],
    ["cloudwatchlogs", "putLogEvents", "logs:PutLogEvents"],
    ["efs", "describeFileSystems", "elasticfilesystem:DescribeFileSystems"],
    ["elasticloadbalancingv2", "describeTargetHealth", "elasticloadbalancing:DescribeTargetHealth"],
    ["emrserverless", "startJobRun", "emr-serverless:StartJobRun"],
    ["sesv2", "sendEmail", "ses:SendEmail"],
    ["mediapackagevod", "listAssets", "mediapackage-vod:ListAssets"],
    ["s3", "listObjectsV2", "s3:ListBucket"],
    ["ec2", "describeInstances", "ec2:DescribeInstances"],
  ])("aws-sdk:%s:%s needs %s", (service, action, iam) => {
    expect(sdkIamActions(service, action)).toEqual([iam]);
  });

  test("every prefix exception is a valid IAM service prefix", () => {
    for (const prefix of Object.values(SDK_IAM_PREFIX)) expect(prefix).toMatch(/^[a-z0-9-]+$/);
  });

  test("pass: resources from the literal parameter where the ARN shape is known", () => {
    const sdk = (a: string, p: Record<string, unknown>, pattern = "") => statements(task(`arn:aws:states:::aws-sdk:${a}${pattern}`, { Parameters: p }));
    expect(sdk("dynamodb:query", { TableName: "shop-dev-orders", IndexName: "byCustomer" })).toEqual([
      { actions: ["dynamodb:Query"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-orders", "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-orders/index/byCustomer"] },
    ]);
    expect(sdk("s3:listObjectsV2", { Bucket: "shop-dev-exports" })).toEqual([{ actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::shop-dev-exports"] }]);
    expect(sdk("s3:copyObject", { Bucket: "b", Key: "k", CopySource: "b/x" })).toEqual([{ actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::b/k"] }]);
    expect(sdk("secretsmanager:getSecretValue", { SecretId: "shop/api" })).toEqual([{ actions: ["secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/api-??????"] }]);
    expect(sdk("sqs:sendMessage", { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q", MessageBody: "m" }, ".waitForTaskToken")).toEqual([{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:q"] }]);
    expect(sdk("sfn:describeExecution", { ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e" })).toEqual([{ actions: ["states:DescribeExecution"], resources: ["arn:aws:states:us-east-1:123456789012:execution:m:e"] }]);
    expect(sdk("dynamodb:batchWriteItem", { RequestItems: { b: [], a: [] } })).toEqual([{ actions: ["dynamodb:BatchWriteItem"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/a", "arn:aws:dynamodb:us-east-1:123456789012:table/b"] }]);
  });

  test("fail: a service whose ARN shape the table does not know is granted on * with a warning", () => {
    const def = task("arn:aws:states:::aws-sdk:ec2:startInstances", { Parameters: { InstanceIds: ["i-1"] } });
    expect(statements(def)).toEqual([{ actions: ["ec2:StartInstances"], resources: ["*"] }]);
    expect(warnings(def)[0].message).toContain("add the ARN shape of ec2 to SDK_RESOURCES");
  });

  test("pass: an action AWS defines on no resource is granted on * without a warning", () => {
    const def = task("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", { Parameters: { "TaskToken.$": "$.token", Output: "{}" } });
    expect(statements(def)).toEqual([{ actions: ["states:SendTaskSuccess"], resources: ["*"] }]);
    expect(warnings(def)).toEqual([]);
  });

  test("fail: a target parameter the rule knows but the Task omits is granted on * with a warning", () => {
    const def = task("arn:aws:states:::aws-sdk:dynamodb:describeTable", { Parameters: {} });
    expect(statements(def)).toEqual([{ actions: ["dynamodb:DescribeTable"], resources: ["*"] }]);
    expect(warnings(def)[0].message).toContain("the parameter that names its target is absent");
  });

  test("fail: a service whose permissions cannot be derived names the escape hatch, unless an extra statement covers it", () => {
    const resource = "arn:aws:states:::aws-sdk:apigatewaymanagementapi:postToConnection";
    const def = task(resource, { Parameters: { ConnectionId: "c", Data: "d" } });
    expect(() => derivePermissions(def, opts)).toThrow(UnknownIntegrationError);
    expect(() => derivePermissions(def, opts)).toThrow(/execute-api:ManageConnections.*extraStatements/);
    const rows = derivePermissions(def, { ...opts, extraStatements: [{ covers: [resource], actions: ["execute-api:ManageConnections"], resources: ["arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/@connections/*"] }] });
    expect(rows.map((r) => r.integration)).toEqual(["extraStatements"]);
  });

  test("fail: aws-sdk integrations have no .sync", () => {
    expect(() => derivePermissions(task("arn:aws:states:::aws-sdk:s3:getObject.sync"), opts)).toThrow(UnsupportedPatternError);
  });
});

describe(".sync integrations and their managed rules", () => {
  const rule = (name: string) => ({ actions: ["events:DescribeRule", "events:PutRule", "events:PutTargets"], resources: [`arn:aws:events:us-east-1:123456789012:rule/${name}`] });
  test("pass: ECS runTask.sync", () => {
    expect(statements(task("arn:aws:states:::ecs:runTask.sync", { Parameters: { Cluster: "c", TaskDefinition: "shop-job" } }))).toEqual([
      { actions: ["ecs:DescribeTasks", "ecs:StopTask"], resources: ["*"] },
      { actions: ["ecs:RunTask"], resources: ["arn:aws:ecs:us-east-1:123456789012:task-definition/shop-job:*"] },
      rule("StepFunctionsGetEventsForECSTaskRule"),
    ]);
  });
  test("pass: Batch submitJob.sync", () => {
    expect(statements(task("arn:aws:states:::batch:submitJob.sync", { Parameters: { JobName: "j", JobQueue: "q", JobDefinition: "d:3" } }))).toEqual([
      { actions: ["batch:DescribeJobs", "batch:TerminateJob"], resources: ["*"] },
      { actions: ["batch:SubmitJob"], resources: ["arn:aws:batch:us-east-1:123456789012:job-definition/d:3", "arn:aws:batch:us-east-1:123456789012:job-queue/q"] },
      rule("StepFunctionsGetEventsForBatchJobsRule"),
    ]);
  });
  test("pass: Glue startJobRun.sync polls (no rule)", () => {
    expect(statements(task("arn:aws:states:::glue:startJobRun.sync", { Parameters: { JobName: "nightly" } }))).toEqual([
      { actions: ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"], resources: ["arn:aws:glue:us-east-1:123456789012:job/nightly"] },
    ]);
  });
  test("pass: CodeBuild startBuild.sync", () => {
    expect(statements(task("arn:aws:states:::codebuild:startBuild.sync", { Parameters: { ProjectName: "shop-build" } }))).toEqual([
      { actions: ["codebuild:BatchGetBuilds", "codebuild:BatchGetReports", "codebuild:StartBuild", "codebuild:StopBuild"], resources: ["arn:aws:codebuild:us-east-1:123456789012:project/shop-build"] },
      rule("StepFunctionsGetEventForCodeBuildStartBuildRule"),
    ]);
  });
  test("pass: Athena startQueryExecution.sync, with its results location; the tables it reads are a warning", () => {
    const def = task("arn:aws:states:::athena:startQueryExecution.sync", { Parameters: { QueryString: "select 1", WorkGroup: "shop", ResultConfiguration: { OutputLocation: "s3://shop-results/q/" } } });
    expect(statements(def)).toEqual([
      { actions: ["athena:GetQueryExecution", "athena:StartQueryExecution", "athena:StopQueryExecution"], resources: ["arn:aws:athena:us-east-1:123456789012:workgroup/shop"] },
      { actions: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListMultipartUploadParts", "s3:PutObject"], resources: ["arn:aws:s3:::shop-results", "arn:aws:s3:::shop-results/q/*"] },
    ]);
    expect(warnings(def).map((w) => w.message)).toEqual([expect.stringContaining("Glue Data Catalog")]);
  });
  test.each(["batch:submitJob.waitForTaskToken", "codebuild:startBuild.waitForTaskToken", "athena:startQueryExecution.sync:2", "glue:startJobRun.sync:2"])(
    "fail: %s does not exist",
    (resource) => {
      expect(() => derivePermissions(task(`arn:aws:states:::${resource}`, { Parameters: {} }), opts)).toThrow(UnsupportedPatternError);
    },
  );
});

describe("IAM001 warnings", () => {
  test("a dynamic Task target the lint already reports (SFN125) is not warned twice; one it does not report is", () => {
    expect(warnings(task("arn:aws:states:::lambda:invoke", { Parameters: { "FunctionName.$": "$.fn" } }))).toEqual([]);
    expect(warnings(task("arn:aws:states:::aws-sdk:s3:getObject", { Parameters: { "Bucket.$": "$.b", Key: "k" } }))).toEqual([
      { code: "IAM001", severity: "warning", file: opts.file, path: "States.T", message: 's3:GetObject Bucket is computed at run time, so the target cannot be known at synthesis: granted on "*". Fix: name Bucket literally.' },
    ]);
  });
});

describe("non-existent suffixes", () => {
  test("lambda:invoke.sync says the resource does not exist and lists the ones that do, not the escape hatch", () => {
    const run = () => derivePermissions(task("arn:aws:states:::lambda:invoke.sync", { Parameters: { FunctionName: "f" } }), opts);
    expect(run).toThrow(
      'Workflow "shop" (workflows/shop.asl.json.hbs): state States.T uses "arn:aws:states:::lambda:invoke.sync", which does not exist: ' +
        'this integration has no ".sync" pattern (received "arn:aws:states:::lambda:invoke.sync"). ' +
        'Fix: use one of "arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken".',
    );
  });
  test("states:startExecution.sync:2 exists", () => {
    expect(() => derivePermissions(task("arn:aws:states:::states:startExecution.sync:2", { Parameters: { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:c" } }), opts)).not.toThrow();
  });
});
