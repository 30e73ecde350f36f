import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { WILDCARD_SIDS } from "../../modules/iam/statement";
import { EXECUTION_ALARM_METRICS } from "../../modules/workflow-alarms";
import { WORKFLOWS } from "../../workflows/catalogue";
import { stableStringify } from "../../src/json";
import { byField, functionNameOf, policyDocumentOf, resources, synthStage, type Tf } from "./helpers";

let json: string;
let tf: Tf;
let referenced: string[];

beforeAll(() => {
  const result = synthStage();
  json = result.json;
  tf = result.tf;
  referenced = [...new Set(result.stack.rendered.flatMap((r) => r.workflow.functions))].sort();
});

/** `${aws_sfn_alias.X.arn}` of the alias whose routing points at the state machine with this logical id. */
function aliasOf(machineId: string): string {
  const found = Object.entries(resources(tf, "aws_sfn_alias")).filter(([, a]) => JSON.stringify(a.routing_configuration).includes(`aws_sfn_state_machine.${machineId}.`));
  expect(found).toHaveLength(1);
  return `\${aws_sfn_alias.${found[0][0]}.arn}`;
}

/** The state machine role's policy document for a workflow. */
function rolePolicy(workflow: string): any {
  const [, policy] = byField(tf, "aws_iam_policy", "name", `my-app-dev-${workflow}-sfn`);
  return policyDocumentOf(tf, policy.policy);
}

describe("state machines", () => {
  test.each(WORKFLOWS.map((w) => [w.name, w.type]))("%s: %s, logging ALL to its vendedlogs group, X-Ray, stage key", (name, type) => {
    const [, machine] = byField(tf, "aws_sfn_state_machine", "name", `my-app-dev-${name}`);
    expect(machine.type).toBe(type);
    expect(machine.logging_configuration).toEqual({ level: "ALL", include_execution_data: true, log_destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.arn\}:\*$/) });
    expect(machine.tracing_configuration).toEqual({ enabled: true });
    expect(machine.encryption_configuration).toEqual({ type: "CUSTOMER_MANAGED_KMS_KEY", kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./), kms_data_key_reuse_period_seconds: 300 });
    expect(machine.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
    expect(machine.tags).toEqual({ workflow: name });
    const group = /^\$\{aws_cloudwatch_log_group\.([^.]+)\.arn\}/.exec(machine.logging_configuration.log_destination)![1];
    expect(resources(tf, "aws_cloudwatch_log_group")[group]).toMatchObject({ name: `/aws/vendedlogs/states/my-app-dev-${name}`, retention_in_days: 365 });
  });

  test("the definition is pretty-printed with sorted keys and references the functions by Terraform address", () => {
    const [, machine] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-processing");
    const definition = machine.definition as string;
    expect(definition).toBe(stableStringify(JSON.parse(definition)));
    expect(definition.split("\n").length).toBeGreaterThan(50);
    expect(definition).toContain('"FunctionName": "${aws_lambda_function.');
  });

  test("execution data can be kept out of the logs per stage", () => {
    const { tf: other } = synthStage({ env: { SFN_LOG_EXECUTION_DATA: "false" } });
    for (const machine of Object.values(resources(other, "aws_sfn_state_machine"))) expect(machine.logging_configuration.include_execution_data).toBe(false);
  });

  test("matchers: the Express workflow", () => {
    expect(json).toHaveResourceWithProperties(SfnStateMachine, { name: "my-app-dev-data-transform", type: "EXPRESS" });
  });
});

describe("execution roles", () => {
  test("trust states.amazonaws.com for this account and this state machine", () => {
    const [, role] = byField(tf, "aws_iam_role", "name", "my-app-dev-order-processing-sfn");
    const trust = policyDocumentOf(tf, role.assume_role_policy);
    expect(trust.statement).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["states.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current.account_id}"] },
          { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:${data.aws_partition.current.partition}:states:us-east-1:${data.aws_caller_identity.current.account_id}:stateMachine:my-app-dev-order-processing"] },
        ],
      },
    ]);
  });

  test("order processing: invoke on exactly its four functions and their aliases, plus logging, X-Ray and the key, nothing else", () => {
    const statements = rolePolicy("order-processing").statement;
    expect(statements.map((s: any) => s.sid)).toEqual(["LambdaInvokeFunction", "CloudWatchLogsDelivery", "XRayTracing", "UseStageKey"]);
    const invoke = statements[0];
    expect(invoke.actions).toEqual(["lambda:InvokeFunction"]);
    expect(invoke.resources.map((r: string) => functionNameOf(tf, r)).sort()).toEqual(
      ["handle-error", "process-payment", "update-inventory", "validate-order"].flatMap((h) => [`my-app-dev-${h}`, `my-app-dev-${h}:*`]).sort(),
    );
    expect(statements[3]).toMatchObject({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/)] });
  });

  test("no wildcard actions anywhere, and wildcard resources only in the logging and X-Ray statements", () => {
    const documents = Object.entries(tf.data.aws_iam_policy_document);
    expect(documents.length).toBeGreaterThan(0);
    for (const [id, doc] of documents) {
      for (const s of doc.statement) {
        // A bucket's TLS-only Deny is the one exception (s3:* must be denied): the state bucket's and each declared bucket's.
        if (s.effect === "Deny" && s.sid === "DenyInsecureTransport") {
          expect(s.actions).toEqual(["s3:*"]);
          continue;
        }
        for (const action of s.actions) expect(`${id} ${action}`).not.toMatch(/\*/);
        if ((s.resources ?? []).includes("*")) expect(WILDCARD_SIDS.has(s.sid)).toBe(true);
      }
    }
  });
});

describe("functions", () => {
  test("exactly the handlers the templates reference, plus one SQS bridge", () => {
    const names = Object.values(resources(tf, "aws_lambda_function")).map((f) => f.function_name).sort();
    expect(names).toEqual([...referenced.map((h) => `my-app-dev-${h}`), "my-app-dev-order-processing-sqs"].sort());
  });

  test("nodejs22.x, X-Ray, reserved concurrency, encrypted environment, DLQ, own log group created first", () => {
    const [, fn] = byField(tf, "aws_lambda_function", "function_name", "my-app-dev-validate-order");
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      handler: "index.handler",
      tracing_config: { mode: "Active" },
      reserved_concurrent_executions: 10,
      kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\./),
      dead_letter_config: { target_arn: expect.stringMatching(/^\$\{aws_sqs_queue\./) },
      environment: { variables: { LOG_LEVEL: "INFO", PROJECT_NAME: "my-app", STAGE: "dev", NODE_OPTIONS: "--enable-source-maps" } },
      logging_config: { log_format: "Text", log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\./) },
      filename: expect.stringMatching(/^assets\/[^/]+\/[0-9A-F]{16}\/validate-order\.zip$/),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
    expect(fn.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/lambda/my-app-dev-validate-order", retention_in_days: 365 });
  });

  test("a function's role writes only to its own log group", () => {
    const [, role] = byField(tf, "aws_iam_policy", "name", "my-app-dev-validate-order-fn");
    const statements = policyDocumentOf(tf, role.policy).statement;
    const [logGroupId] = byField(tf, "aws_cloudwatch_log_group", "name", "/aws/lambda/my-app-dev-validate-order");
    expect(statements[0]).toEqual({ sid: "WriteOwnLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`\${aws_cloudwatch_log_group.${logGroupId}.arn}:*`] });
  });
});

describe("SQS trigger", () => {
  test("work queue and DLQ: encrypted, redrive, redrive-allow, visibility 6x the bridge timeout", () => {
    const [dlqId, dlq] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-order-processing-dlq");
    const [queueId, queue] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-order-processing");
    const [, bridge] = byField(tf, "aws_lambda_function", "function_name", "my-app-dev-order-processing-sqs");
    expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(dlq.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(queue.visibility_timeout_seconds).toBe(6 * bridge.timeout);
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}`, maxReceiveCount: 5 });
    const allow = Object.values(resources(tf, "aws_sqs_queue_redrive_allow_policy"))[0];
    expect(JSON.parse(allow.redrive_allow_policy)).toEqual({ redrivePermission: "byQueue", sourceQueueArns: [`\${aws_sqs_queue.${queueId}.arn}`] });
    expect(json).toHaveResourceWithProperties(SqsQueue, { name: "my-app-dev-order-processing" });
  });

  test("event source mapping: batch size from the catalogue, partial failures, concurrency within the reserved", () => {
    const mapping = Object.values(resources(tf, "aws_lambda_event_source_mapping"))[0];
    const [, bridge] = byField(tf, "aws_lambda_function", "function_name", "my-app-dev-order-processing-sqs");
    expect(mapping).toMatchObject({ batch_size: 1, function_response_types: ["ReportBatchItemFailures"] });
    expect(mapping.scaling_config.maximum_concurrency).toBeGreaterThanOrEqual(2);
    expect(mapping.scaling_config.maximum_concurrency).toBeLessThanOrEqual(bridge.reserved_concurrent_executions);
    expect(json).toHaveResourceWithProperties(LambdaEventSourceMapping, { function_response_types: ["ReportBatchItemFailures"] });
  });

  test("the bridge gets STATE_MACHINE_ARN, processMessage, and exactly its permissions", () => {
    const [, bridge] = byField(tf, "aws_lambda_function", "function_name", "my-app-dev-order-processing-sqs");
    const [machineId] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-processing");
    const [queueId] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-order-processing");
    expect(bridge.handler).toBe("index.processMessage");
    expect(bridge.environment.variables.STATE_MACHINE_ARN).toBe(aliasOf(machineId));
    const [, policy] = byField(tf, "aws_iam_policy", "name", "my-app-dev-order-processing-sqs-fn");
    const bySid = Object.fromEntries(policyDocumentOf(tf, policy.policy).statement.map((s: any) => [s.sid, s]));
    expect(Object.keys(bySid)).toEqual(["WriteOwnLogs", "XRayTracing", "SendToDeadLetterQueue", "UseStageKey", "StartThisStateMachine", "ConsumeWorkQueue"]);
    expect(bySid.StartThisStateMachine).toMatchObject({ actions: ["states:StartExecution"], resources: [aliasOf(machineId)] });
    expect(bySid.ConsumeWorkQueue).toMatchObject({ actions: ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], resources: [`\${aws_sqs_queue.${queueId}.arn}`] });
  });

  test("reserved concurrency below 2 still gives the bridge a valid maximum concurrency", () => {
    const { tf: low } = synthStage({ env: { LAMBDA_RESERVED_CONCURRENCY: "1" } });
    const mapping = Object.values(resources(low, "aws_lambda_event_source_mapping"))[0];
    const [, bridge] = byField(low, "aws_lambda_function", "function_name", "my-app-dev-order-processing-sqs");
    expect(mapping.scaling_config.maximum_concurrency).toBe(2);
    expect(bridge.reserved_concurrent_executions).toBe(2);
  });
});

describe("EventBridge trigger", () => {
  test("custom bus limited to the account, rule with the catalogue's pattern, target role, DLQ and retries", () => {
    const bus = Object.values(resources(tf, "aws_cloudwatch_event_bus"))[0];
    expect(bus.name).toBe("my-app-dev-events");
    const busPolicy = policyDocumentOf(tf, Object.values(resources(tf, "aws_cloudwatch_event_bus_policy"))[0].policy);
    expect(busPolicy.statement[0].principals).toEqual([{ type: "AWS", identifiers: ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"] }]);
    expect(json).toHaveResourceWithProperties(CloudwatchEventRule, { event_pattern: '{"detail-type":["Order Created"],"source":["myapp.orders"]}' });
    const target = Object.values(resources(tf, "aws_cloudwatch_event_target")).find((t: any) => t.target_id === "state-machine");
    expect(target).toMatchObject({ retry_policy: { maximum_retry_attempts: 185, maximum_event_age_in_seconds: 86400 }, dead_letter_config: { arn: expect.stringMatching(/^\$\{aws_sqs_queue\./) } });
    expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, { target_id: "state-machine" });
    const [, policy] = byField(tf, "aws_iam_policy", "name", "my-app-dev-order-processing-events");
    const [machineId] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-processing");
    expect(policyDocumentOf(tf, policy.policy).statement).toEqual([
      { sid: "StartThisStateMachine", effect: "Allow", actions: ["states:StartExecution"], resources: [aliasOf(machineId)] },
    ]);
  });
});

describe("alarms, topic, dashboard, key", () => {
  test("four execution alarms per state machine and one per DLQ, all to the encrypted topic", () => {
    const alarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm"));
    for (const w of WORKFLOWS) {
      for (const metric of EXECUTION_ALARM_METRICS) expect(alarms.map((a) => a.alarm_name)).toContain(`my-app-dev-${w.name}-${metric}`);
    }
    const dlqAlarms = alarms.filter((a) => a.metric_name === "ApproximateNumberOfMessagesVisible").map((a) => a.dimensions.QueueName).sort();
    expect(dlqAlarms).toEqual(["my-app-dev-functions-dlq", "my-app-dev-order-processing-dlq", "my-app-dev-order-processing-events-dlq", "my-app-dev-wait-schedule-dlq"]);
    for (const a of alarms) expect(a.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.[^.]+\.arn\}$/)]);
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: "my-app-dev-alarms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) });
  });

  test("e-mail subscription only when configured", () => {
    expect(resources(tf, "aws_sns_topic_subscription")).toEqual({});
    const { tf: withEmail } = synthStage({ env: { ALARM_EMAIL: "ops@example.com" } });
    expect(Object.values(resources(withEmail, "aws_sns_topic_subscription"))).toEqual([expect.objectContaining({ protocol: "email", endpoint: "ops@example.com" })]);
  });

  test("dashboard: executions and duration per state machine, Lambda errors and duration, queue depth", () => {
    const body = JSON.parse(Object.values(resources(tf, "aws_cloudwatch_dashboard"))[0].dashboard_body);
    const titles = body.widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining(["my-app-dev-order-processing: executions", "my-app-dev-order-processing: duration (ms)", "Lambda errors", "Lambda duration p99 (ms)", "Queue depth (visible messages)"]));
  });

  test("stage key: rotation, logs with the encryption-context condition", () => {
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    const key = Object.values(resources(tf, "aws_kms_key"))[0];
    const policy = JSON.parse(key.policy);
    const logs = policy.Statement.find((s: any) => s.Sid === "AllowCloudWatchLogs");
    expect(logs.Principal).toEqual({ Service: ["logs.us-east-1.amazonaws.com"] });
    expect(logs.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:${data.aws_partition.current.partition}:logs:us-east-1:${data.aws_caller_identity.current.account_id}:log-group:*"] } });
  });

  test("every log group has retention and the stage key", () => {
    for (const group of Object.values(resources(tf, "aws_cloudwatch_log_group"))) {
      expect(group).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) });
    }
  });
});

describe("provider, backend, outputs", () => {
  test("default_tags carry the seed's keys and the cost-report ones", () => {
    expect(json).toHaveProviderWithProperties({ tfResourceType: "aws" } as never, {
      region: "us-east-1",
      default_tags: [{ tags: { Owner: "platform-team", env: "my-app", stage: "dev", project: "my-app", "managed-by": "cdktf" } }],
    });
  });

  test("local backend at a relative path, one state file per stage; no required_version (checkov issue 7454)", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.my-app-dev.tfstate" } });
    expect(tf.terraform.required_version).toBeUndefined();
  });

  test("outputs: state machine ARNs, queue URL, bus name, topic ARN, each described", () => {
    const expected = [
      ...WORKFLOWS.flatMap((w) => [`${w.name.replace(/-/g, "_")}_state_machine_arn`, `${w.name.replace(/-/g, "_")}_alias_arn`]),
      "order_processing_queue_url",
      "order_processing_http_endpoint",
      "event_bus_name",
      "alarm_topic_arn",
    ];
    expect(Object.keys(tf.output).sort()).toEqual(expected.sort());
    for (const output of Object.values(tf.output)) expect(output.description).toMatch(/\S{3,}/);
  });
});

describe("snapshot", () => {
  test("the default stage stack, asset hashes masked", () => {
    const masked = json
      .replace(/"source_code_hash": "[^"]+"/g, '"source_code_hash": "<hash>"')
      .replace(/(assets\/[^/"]+\/)[0-9A-F]{16}\//g, "$1<hash>/");
    expect(masked).toMatchSnapshot();
  });
});

// Keep the imported class referenced for the matcher above.
void LambdaFunction;
