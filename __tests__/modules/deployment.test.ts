// Versions and aliases, gradual rollout, schedule and HTTP API triggers, execution notifications.
import { WORKFLOWS, type WorkflowSpec } from "../../workflows/catalogue";
import { ConfigError } from "../../src/errors";
import { aliasRoutes, parseRollout, rolloutVariable } from "../../src/deploy/rollout";
import { byField, policyDocumentOf, resources, stageConfig, synthStage, type Tf } from "./helpers";

let tf: Tf;
beforeAll(() => {
  tf = synthStage().tf;
});

/** `${aws_sfn_alias.X.arn}` of a workflow's alias. */
function aliasArnOf(t: Tf, workflow: string): string {
  const [machineId] = byField(t, "aws_sfn_state_machine", "name", `my-app-dev-${workflow}`);
  const aliases = Object.entries(resources(t, "aws_sfn_alias")).filter(([, a]) =>
    JSON.stringify(a.routing_configuration).includes(`aws_sfn_state_machine.${machineId}.`),
  );
  expect(aliases).toHaveLength(1);
  return `\${aws_sfn_alias.${aliases[0][0]}.arn}`;
}

function statementsOfRole(t: Tf, roleName: string): any[] {
  const [, policy] = byField(t, "aws_iam_policy", "name", roleName);
  return policyDocumentOf(t, policy.policy).statement;
}

describe("versions and aliases", () => {
  test.each(WORKFLOWS.map((w) => [w.name]))("%s publishes a version and has the stage alias on it", (name) => {
    const [machineId, machine] = byField(tf, "aws_sfn_state_machine", "name", `my-app-dev-${name}`);
    expect(machine.publish).toBe(true);
    const aliasArn = aliasArnOf(tf, name);
    const alias = resources(tf, "aws_sfn_alias")[/aws_sfn_alias\.([^.]+)\.arn/.exec(aliasArn)![1]];
    expect(alias.name).toBe("dev");
    expect(alias.routing_configuration).toEqual([{ state_machine_version_arn: `\${aws_sfn_state_machine.${machineId}.state_machine_version_arn}`, weight: 100 }]);
  });

  test("every trigger starts executions through the alias, and every trigger role may start only the alias", () => {
    const alias = aliasArnOf(tf, "order-processing");
    const targets = Object.values(resources(tf, "aws_cloudwatch_event_target")).filter((t: any) => t.target_id === "state-machine");
    expect(targets.map((t: any) => t.arn)).toEqual([alias]);
    const [, bridge] = byField(tf, "aws_lambda_function", "function_name", "my-app-dev-order-processing-sqs");
    expect(bridge.environment.variables.STATE_MACHINE_ARN).toBe(alias);
    const [, integration] = Object.entries(resources(tf, "aws_apigatewayv2_integration"))[0];
    expect(integration.request_parameters).toEqual({ StateMachineArn: alias, Input: "$request.body" });
    const [, schedule] = byField(tf, "aws_scheduler_schedule", "name", "my-app-dev-wait");
    expect(schedule.target.arn).toBe(aliasArnOf(tf, "wait"));

    for (const role of ["my-app-dev-order-processing-events", "my-app-dev-order-processing-sqs-fn", "my-app-dev-order-processing-api", "my-app-dev-wait-schedule"]) {
      const starts = statementsOfRole(tf, role).filter((s) => s.actions.some((a: string) => a.startsWith("states:")));
      expect(starts).toHaveLength(1);
      expect(starts[0].resources).toEqual([role.startsWith("my-app-dev-wait") ? aliasArnOf(tf, "wait") : alias]);
    }
  });
});

describe("gradual rollout", () => {
  const synthAt = (value?: string) => synthStage({ env: value === undefined ? {} : { ROLLOUT_ORDER_PROCESSING: value } });

  test.each([
    ["previous=3,weight=10", [["current", 10], [3, 90]]],
    ["previous=3,weight=50", [["current", 50], [3, 50]]],
    ["previous=3,weight=100", [["current", 100]]],
    [undefined, [["current", 100]]],
    ["previous=3,weight=0", [[3, 100]]],
  ] as const)("ROLLOUT_ORDER_PROCESSING=%s routes %j, and only the alias changes", (value, expected) => {
    const { tf: at, json } = synthAt(value);
    const [machineId] = byField(at, "aws_sfn_state_machine", "name", "my-app-dev-order-processing");
    const aliasId = /aws_sfn_alias\.([^.]+)\.arn/.exec(aliasArnOf(at, "order-processing"))![1];
    const routing = resources(at, "aws_sfn_alias")[aliasId].routing_configuration;
    expect(routing).toEqual(
      expected.map(([version, weight]) => ({
        state_machine_version_arn:
          version === "current" ? `\${aws_sfn_state_machine.${machineId}.state_machine_version_arn}` : `\${aws_sfn_state_machine.${machineId}.arn}:${version}`,
        weight,
      })),
    );
    // Everything but the order-processing alias is byte-identical to the stage without a rollout.
    const base = tf;
    const withoutAlias = (t: Tf) => {
      const copy = JSON.parse(JSON.stringify(t));
      delete copy.resource.aws_sfn_alias[aliasId];
      return copy;
    };
    expect(withoutAlias(JSON.parse(json))).toEqual(withoutAlias(base));
  });

  test("a malformed rollout is a configuration error naming the variable, the format and what was received", () => {
    expect(() => stageConfig({ ROLLOUT_ORDER_PROCESSING: "10%" })).toThrow(ConfigError);
    expect(() => stageConfig({ ROLLOUT_ORDER_PROCESSING: "10%" })).toThrow(
      'ROLLOUT_ORDER_PROCESSING must be "previous=<version number>,weight=<0-100>" (the share of executions for the new version; remove the line to promote). Received: "10%"',
    );
    expect(parseRollout("ROLLOUT_X", "previous=0,weight=5")).toEqual(expect.stringContaining("Received"));
    expect(parseRollout("ROLLOUT_X", "previous=2,weight=101")).toEqual(expect.stringContaining("Received"));
    expect(parseRollout("ROLLOUT_X", "previous=2, weight=25")).toEqual({ previousVersion: 2, weight: 25 });
  });

  test("routes and variable names", () => {
    expect(rolloutVariable("order-processing")).toBe("ROLLOUT_ORDER_PROCESSING");
    expect(aliasRoutes(undefined)).toEqual([{ version: "current", weight: 100 }]);
    expect(aliasRoutes({ previousVersion: 7, weight: 25 })).toEqual([
      { version: "current", weight: 25 },
      { version: 7, weight: 75 },
    ]);
  });
});

describe("schedule trigger", () => {
  test("wait runs on EventBridge Scheduler: cron in its time zone, flexible window, retries, encrypted and alarmed DLQ", () => {
    const [, schedule] = byField(tf, "aws_scheduler_schedule", "name", "my-app-dev-wait");
    expect(schedule).toMatchObject({
      schedule_expression: "cron(0 6 * * ? *)",
      schedule_expression_timezone: "Europe/London",
      flexible_time_window: { mode: "FLEXIBLE", maximum_window_in_minutes: 15 },
      kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\./),
    });
    expect(JSON.parse(schedule.target.input)).toEqual({ jobId: "nightly-report" });
    expect(schedule.target.retry_policy).toEqual({ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 });
    const [dlqId, dlq] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-wait-schedule-dlq");
    expect(dlq.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(schedule.target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${dlqId}.arn}` });
    byField(tf, "aws_cloudwatch_metric_alarm", "alarm_name", "my-app-dev-wait-schedule-dlq-not-empty");
    const statements = statementsOfRole(tf, "my-app-dev-wait-schedule");
    expect(statements.map((s) => s.actions)).toEqual([["states:StartExecution"], ["sqs:SendMessage"], ["kms:Decrypt", "kms:GenerateDataKey"]]);
    const [, role] = byField(tf, "aws_iam_role", "name", "my-app-dev-wait-schedule");
    expect(JSON.stringify(tf.data.aws_iam_policy_document)).toContain("scheduler.amazonaws.com");
    expect(role.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\./);
  });
});

describe("HTTP API trigger", () => {
  test("order intake: POST /orders with IAM authorization, StartExecution, access logs and throttling", () => {
    const [, route] = Object.entries(resources(tf, "aws_apigatewayv2_route"))[0];
    expect(route).toMatchObject({ route_key: "POST /orders", authorization_type: "AWS_IAM" });
    const [, integration] = Object.entries(resources(tf, "aws_apigatewayv2_integration"))[0];
    expect(integration).toMatchObject({ integration_type: "AWS_PROXY", integration_subtype: "StepFunctions-StartExecution", payload_format_version: "1.0" });
    const [, stage] = Object.entries(resources(tf, "aws_apigatewayv2_stage"))[0];
    expect(stage.access_log_settings.destination_arn).toMatch(/^\$\{aws_cloudwatch_log_group\./);
    expect(stage.default_route_settings).toMatchObject({ throttling_rate_limit: 50, throttling_burst_limit: 100 });
    expect(tf.output.order_processing_http_endpoint.value).toMatch(/^\$\{aws_apigatewayv2_stage\.[^.]+\.invoke_url\}$/);
  });

  test("an Express workflow is started synchronously (its output is the response); a JWT authorizer is an option", () => {
    const express: WorkflowSpec = {
      ...WORKFLOWS.find((w) => w.name === "data-transform")!,
      triggers: [{ kind: "http", route: "POST /transform", authorization: { type: "jwt", issuer: "https://issuer.example.com", audience: ["api"] } }],
    };
    const { tf: t } = synthStage({ workflows: [express] });
    const [, integration] = Object.entries(resources(t, "aws_apigatewayv2_integration"))[0];
    expect(integration.integration_subtype).toBe("StepFunctions-StartSyncExecution");
    expect(statementsOfRole(t, "my-app-dev-data-transform-api")[0].actions).toEqual(["states:StartSyncExecution"]);
    const [authorizerId, authorizer] = Object.entries(resources(t, "aws_apigatewayv2_authorizer"))[0];
    expect(authorizer).toMatchObject({ authorizer_type: "JWT", jwt_configuration: { issuer: "https://issuer.example.com", audience: ["api"] } });
    const [, route] = Object.entries(resources(t, "aws_apigatewayv2_route"))[0];
    expect(route).toMatchObject({ authorization_type: "JWT", authorizer_id: `\${aws_apigatewayv2_authorizer.${authorizerId}.id}` });
  });
});

describe("execution notifications", () => {
  test("order processing: failed, timed-out and aborted executions go to the alarm topic, which lets this account's rules publish", () => {
    const [, rule] = byField(tf, "aws_cloudwatch_event_rule", "name", "my-app-dev-order-processing-status");
    const [machineId] = byField(tf, "aws_sfn_state_machine", "name", "my-app-dev-order-processing");
    expect(rule.event_bus_name).toBeUndefined();
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: [`\${aws_sfn_state_machine.${machineId}.arn}`] },
    });
    const [topicId] = byField(tf, "aws_sns_topic", "name", "my-app-dev-alarms");
    const target = Object.values(resources(tf, "aws_cloudwatch_event_target")).find((t: any) => t.target_id === "topic") as any;
    expect(target.arn).toBe(`\${aws_sns_topic.${topicId}.arn}`);
    const [, topicPolicy] = Object.entries(resources(tf, "aws_sns_topic_policy"))[0];
    const document = policyDocumentOf(tf, topicPolicy.policy);
    expect(document.statement[0]).toMatchObject({
      actions: ["sns:Publish"],
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/caller_identity/)] }],
    });
  });

  test("the shipped catalogue uses every trigger kind at least once", () => {
    const kinds = new Set(WORKFLOWS.flatMap((w) => w.triggers.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual(["eventbridge", "http", "schedule", "sqs"]);
    expect(WORKFLOWS.some((w) => w.notifications)).toBe(true);
  });
});

describe("reserved concurrency against the account quota", () => {
  test("16 functions x 1000 is a warning naming the figure; the default 10 is not", () => {
    const warned = synthStage({ env: { LAMBDA_RESERVED_CONCURRENCY: "1000" } }).stack.findings.filter((f) => f.code === "CFG002");
    expect(warned).toHaveLength(1);
    expect(warned[0].message).toMatch(/^LAMBDA_RESERVED_CONCURRENCY: \d+ functions x 1000 = \d+ reserved concurrent executions, more than the 900 /);
    expect(synthStage().stack.findings.filter((f) => f.code === "CFG002")).toEqual([]);
  });
});

describe("execution notifications to a declared queue", () => {
  test("order-fulfilment's failures go to the fulfilment-alerts queue, whose one policy lets exactly that rule send", () => {
    const [, rule] = byField(tf, "aws_cloudwatch_event_rule", "name", "my-app-dev-order-fulfilment-status");
    const [ruleId] = byField(tf, "aws_cloudwatch_event_rule", "name", "my-app-dev-order-fulfilment-status");
    expect(JSON.parse(rule.event_pattern).detail.status).toEqual(["FAILED", "TIMED_OUT", "ABORTED"]);
    const [queueId, queue] = byField(tf, "aws_sqs_queue", "name", "my-app-dev-fulfilment-alerts");
    expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const target = Object.values(resources(tf, "aws_cloudwatch_event_target")).find((t: any) => t.rule === `\${aws_cloudwatch_event_rule.${ruleId}.name}`) as any;
    expect(target).toMatchObject({ target_id: "queue", arn: `\${aws_sqs_queue.${queueId}.arn}` });
    const policies = Object.values(resources(tf, "aws_sqs_queue_policy")).filter((p: any) => p.queue_url === `\${aws_sqs_queue.${queueId}.url}`) as any[];
    expect(policies).toHaveLength(1);
    expect(policyDocumentOf(tf, policies[0].policy).statement).toEqual([
      {
        sid: "ExecutionNotificationRules",
        effect: "Allow",
        actions: ["sqs:SendMessage"],
        resources: [`\${aws_sqs_queue.${queueId}.arn}`],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [`\${aws_cloudwatch_event_rule.${ruleId}.arn}`] }],
      },
    ]);
  });

  test("a queue that is not declared, or that a stage gives as existing, is a clear error", () => {
    const spec = (queue: string): WorkflowSpec => ({ ...WORKFLOWS.find((w) => w.name === "choice")!, notifications: { statuses: ["FAILED"], queue } });
    expect(() => synthStage({ workflows: [spec("nope")] })).toThrow(
      'workflows/catalogue.ts: workflow "choice" sends its notifications to queue "nope", which workflows/resources.ts does not declare as an sqs-queue. Declared queues: fulfilment-alerts. Declare it there or fix the name.',
    );
    expect(() =>
      synthStage({ workflows: [spec("fulfilment-alerts")], env: { RESOURCE_FULFILMENT_ALERTS_ARN: "arn:aws:sqs:us-east-1:123456789012:alerts" } }),
    ).toThrow(/which stage dev gives as an existing queue \(RESOURCE_FULFILMENT_ALERTS_ARN\); this stack cannot set that queue's policy/);
  });
});
