import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnknownIntegrationError, derivePermissions, toPolicyStatements, type PermissionRow } from "../../src/asl/iam";
import { INTEGRATIONS, parseServiceResource, queueArnFromUrl } from "../../src/asl/integrations";
import { localFunctionArn } from "../../src/config/naming";
import { loadStageConfig } from "../../src/config/stage";
import { renderWorkflow } from "../../src/render/render";
import { WORKFLOWS, getWorkflow } from "../../src/catalogue";

const config = loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "iam-")), env: {} });
const fn = (handler: string) => localFunctionArn(config, handler);
const opts = { workflow: "test", file: "test.asl.json" };

const task = (resource: string, extra: Record<string, unknown> = {}) => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource: resource, End: true, ...extra } },
});

function derive(name: string): PermissionRow[] {
  const spec = getWorkflow(name);
  const rendered = renderWorkflow(spec, config);
  return derivePermissions(rendered.definition, { workflow: spec.name, file: spec.template });
}

describe("derivePermissions on the catalogue", () => {
  test("order processing: invoke on exactly its four functions and their aliases, nothing else", () => {
    const statements = toPolicyStatements(derive("order-processing"));
    const functions = ["handle-error", "process-payment", "update-inventory", "validate-order"].map(fn);
    expect(statements).toEqual([
      { sid: "LambdaInvokeFunction", actions: ["lambda:InvokeFunction"], resources: functions.flatMap((f) => [f, `${f}:*`]).sort() },
    ]);
  });

  test("Parallel branches are walked: each branch task is its own row with its state path", () => {
    const rows = derive("parallel");
    expect(rows.map((r) => r.statePath)).toEqual([
      "States.ParallelProcessing.Branches[0].States.ProcessA",
      "States.ParallelProcessing.Branches[1].States.ProcessB",
      "States.CombineResults",
    ]);
    expect(rows[1]).toMatchObject({
      actions: ["lambda:InvokeFunction"],
      resources: [fn("assess-risk"), `${fn("assess-risk")}:*`],
      integration: "lambda:invoke",
      doc: expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\//),
    });
  });

  test("Map ItemProcessor tasks are walked", () => {
    expect(derive("map")).toEqual([expect.objectContaining({ statePath: "States.ProcessItems.ItemProcessor.States.ProcessItem", resources: [fn("process-item"), `${fn("process-item")}:*`] })]);
  });

  test.each(WORKFLOWS.map((w) => w.name))("%s: no wildcard action or resource", (name) => {
    for (const row of derive(name)) {
      expect(row.actions.every((a) => !a.includes("*"))).toBe(true);
      expect(row.resources).not.toContain("*");
    }
  });
});

describe("the integration table", () => {
  test("every row links the AWS page it comes from", () => {
    for (const row of INTEGRATIONS) expect(row.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test("no two rows share an id (a Resource is looked up by id: the later row would silently replace the earlier)", () => {
    const ids = INTEGRATIONS.map((row) => row.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  test("parses partition and integration pattern", () => {
    expect(parseServiceResource("arn:aws-us-gov:states:::lambda:invoke.waitForTaskToken")).toEqual({ id: "lambda:invoke", pattern: ".waitForTaskToken" });
    expect(parseServiceResource("arn:aws:states:::states:startExecution.sync:2")).toEqual({ id: "states:startExecution", pattern: ".sync:2" });
    expect(parseServiceResource("arn:aws:lambda:us-east-1:123456789012:function:f")).toBeUndefined();
  });

  test("Iterator (legacy Map) and plain function ARNs as Resource", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
    const rows = derivePermissions(
      { StartAt: "M", States: { M: { Type: "Map", Iterator: { StartAt: "I", States: { I: { Type: "Task", Resource: arn, End: true } } }, End: true } } },
      opts,
    );
    expect(rows).toEqual([expect.objectContaining({ statePath: "States.M.Iterator.States.I", actions: ["lambda:InvokeFunction"], resources: [arn] })]);
  });

  test("a function given by name is turned into an ARN in the stage's account", () => {
    const rows = derivePermissions(task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: "my-fn" } }), { ...opts, arn: { accountId: "111122223333", region: "eu-west-1" } });
    expect(rows[0].resources).toEqual(["arn:aws:lambda:eu-west-1:111122223333:function:my-fn", "arn:aws:lambda:eu-west-1:111122223333:function:my-fn:*"]);
  });

  test("SQS, SNS, DynamoDB and EventBridge targets", () => {
    const ctx = { ...opts, arn: { accountId: "111122223333", region: "eu-west-1" } };
    const sqs = derivePermissions(task("arn:aws:states:::sqs:sendMessage", { Parameters: { QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/q", "MessageBody.$": "$" } }), ctx);
    expect(sqs[0]).toMatchObject({ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:111122223333:q"] });
    const sns = derivePermissions(task("arn:aws:states:::sns:publish", { Parameters: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "m" } }), ctx);
    expect(sns[0]).toMatchObject({ actions: ["sns:Publish"], resources: ["arn:aws:sns:eu-west-1:111122223333:t"] });
    const ddb = derivePermissions(task("arn:aws:states:::dynamodb:putItem", { Parameters: { TableName: "orders", Item: {} } }), ctx);
    expect(ddb[0]).toMatchObject({ actions: ["dynamodb:PutItem"], resources: ["arn:aws:dynamodb:eu-west-1:111122223333:table/orders"] });
    const events = derivePermissions(task("arn:aws:states:::events:putEvents", { Parameters: { Entries: [{ EventBusName: "bus", Detail: {} }] } }), ctx);
    expect(events[0]).toMatchObject({ actions: ["events:PutEvents"], resources: ["arn:aws:events:eu-west-1:111122223333:event-bus/bus"] });
    expect(queueArnFromUrl("https://sqs.us-east-1.amazonaws.com/123456789012/my-q", { partition: "aws", region: "*", accountId: "*" })).toBe("arn:aws:sqs:us-east-1:123456789012:my-q");
  });

  test("startExecution.sync adds describe/stop on the child's executions and the managed rule", () => {
    const child = "arn:aws:states:us-east-1:123456789012:stateMachine:child";
    const rows = derivePermissions(task("arn:aws:states:::states:startExecution.sync:2", { Parameters: { StateMachineArn: child } }), { ...opts, arn: { accountId: "123456789012", region: "us-east-1" } });
    expect(toPolicyStatements(rows)).toEqual([
      { sid: "EventsDescribeRuleEtc", actions: ["events:DescribeRule", "events:PutRule", "events:PutTargets"], resources: ["arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"] },
      { sid: "StatesDescribeExecutionEtc", actions: ["states:DescribeExecution", "states:StopExecution"], resources: ["arn:aws:states:us-east-1:123456789012:execution:child:*"] },
      { sid: "StatesStartExecution", actions: ["states:StartExecution"], resources: [child] },
    ]);
  });

  test("a target computed at run time is granted on * and says why", () => {
    const rows = derivePermissions(task("arn:aws:states:::lambda:invoke", { Parameters: { "FunctionName.$": "$.fn" } }), opts);
    expect(rows[0]).toMatchObject({ resources: ["*"], reason: expect.stringContaining("computed at run time") });
    const jsonata = derivePermissions(
      { QueryLanguage: "JSONata", ...task("arn:aws:states:::lambda:invoke", { Arguments: { FunctionName: "{% $states.input.fn %}" } }) },
      opts,
    );
    expect(jsonata[0].resources).toEqual(["*"]);
  });

  test("JSONata Arguments with a literal target", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
    const rows = derivePermissions({ QueryLanguage: "JSONata", ...task("arn:aws:states:::lambda:invoke", { Arguments: { FunctionName: arn, Payload: "{% $states.input %}" } }) }, opts);
    expect(rows[0].resources).toEqual([arn, `${arn}:*`]);
  });

  test("tokens the caller declares as function ARNs are recognised as Resource", () => {
    const token = "${TfToken[TOKEN.7]}";
    const rows = derivePermissions(task(token), { ...opts, functionArns: new Set([token]) });
    expect(rows[0]).toMatchObject({ actions: ["lambda:InvokeFunction"], resources: [token] });
  });
});

describe("unknown integrations and the escape hatch", () => {
  const glue = "arn:aws:states:::sagemaker:createTrainingJob.sync";
  const definition = {
    StartAt: "P",
    States: { P: { Type: "Parallel", Branches: [{ StartAt: "Job", States: { Job: { Type: "Task", Resource: glue, Parameters: { TrainingJobName: "j" }, End: true } } }], End: true } },
  };

  test("fails with a message naming the workflow, the state and the escape hatch", () => {
    const run = () => derivePermissions(definition, { workflow: "etl", file: "workflows/etl.asl.json.hbs" });
    expect(run).toThrow(UnknownIntegrationError);
    expect(run).toThrow(
      'Workflow "etl" (workflows/etl.asl.json.hbs): state States.P.Branches[0].States.Job uses the integration "arn:aws:states:::sagemaker:createTrainingJob.sync", ' +
        "which the IAM table (src/asl/integrations.ts) does not know, so its role would lack the permission. " +
        "Grant it explicitly with the stage stack's extraStatements prop, e.g. " +
        'extraStatements: { "etl": [{ covers: ["arn:aws:states:::sagemaker:createTrainingJob.sync"], actions: ["<service>:<Action>"], resources: ["<arn>"] }] } (see modules/README.md, "Escape hatch"), ' +
        "or add a row for it to src/asl/integrations.ts.",
    );
  });

  test("an extra statement that covers the resource lets it through and becomes a row", () => {
    const rows = derivePermissions(definition, {
      workflow: "etl",
      file: "workflows/etl.asl.json.hbs",
      extraStatements: [{ covers: [glue], actions: ["glue:StartJobRun", "glue:GetJobRun"], resources: ["arn:aws:glue:us-east-1:123456789012:job/j"], reason: "run the nightly job" }],
    });
    expect(rows).toEqual([
      {
        actions: ["glue:StartJobRun", "glue:GetJobRun"],
        resources: ["arn:aws:glue:us-east-1:123456789012:job/j"],
        statePath: "States.P.Branches[0].States.Job",
        integration: "extraStatements",
        reason: "run the nightly job",
        doc: "modules/README.md#escape-hatch",
      },
    ]);
  });

  test("an extra statement that covers another resource does not", () => {
    expect(() =>
      derivePermissions(definition, { ...opts, extraStatements: [{ covers: ["arn:aws:states:::sagemaker:createTrainingJob"], actions: ["glue:StartJobRun"], resources: ["*"] }] }),
    ).toThrow(UnknownIntegrationError);
  });
});

describe("toPolicyStatements", () => {
  test("merges rows with the same actions, sorts and dedupes resources", () => {
    const row = (resources: string[]): PermissionRow => ({ actions: ["lambda:InvokeFunction"], resources, statePath: "", integration: "", reason: "", doc: "" });
    expect(toPolicyStatements([row(["b", "a"]), row(["a", "c"])])).toEqual([{ sid: "LambdaInvokeFunction", actions: ["lambda:InvokeFunction"], resources: ["a", "b", "c"] }]);
  });
});

test("a token FunctionName the caller declares as a function ARN is used as is (not wrapped as a name)", () => {
  const token = "${TfToken[TOKEN.9]}";
  const rows = derivePermissions(task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: token } }), { ...opts, functionArns: new Set([token]) });
  expect(rows[0].resources).toEqual([token, `${token}:*`]);
});
