import { join } from "node:path";
import { toMarkdown } from "../../src/review/document";
import { readPlan } from "../../src/review/plan";
import { buildReview } from "../../src/review/report";
import { diffSynth } from "../../src/review/synth-diff";
import { ENGINE_ANALYSERS } from "../../src/review/run";
import { reviewWorkflows } from "../../src/review/workflows";
import { FIXTURE_DIR, fixtureJson, fixtureSynth } from "./helpers";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("workflow facts read from the synthesis", () => {
  const workflows = reviewWorkflows(fixtureSynth());
  const order = workflows.find((w) => w.workflow === "order-processing");

  test("state machines map to catalogue entries by name", () => {
    expect(workflows.map((w) => [w.workflow, w.type, w.spec?.template])).toEqual([
      ["order-processing", "STANDARD", "workflows/order-processing.asl.json.hbs"],
      ["parallel", "STANDARD", "workflows/parallel.asl.json.hbs"],
      ["map", "STANDARD", "workflows/map.asl.json.hbs"],
      ["choice", "STANDARD", "workflows/choice.asl.json.hbs"],
    ]);
  });

  test("triggers: the EventBridge rule targeting the machine and the SQS queue feeding its bridge function", () => {
    expect(order?.triggers).toEqual([
      'EventBridge rule my-app-dev-order-processing on bus my-app-dev-events: pattern {"source":["myapp.orders"],"detail-type":["Order Created"]}',
      "SQS queue my-app-dev-order-processing through function my-app-dev-order-processing-sqs, batch size 1",
    ]);
    expect(workflows.find((w) => w.workflow === "map")?.triggers).toEqual([]);
  });

  test("alarms that watch the machine", () => {
    expect(order?.alarms).toEqual([
      {
        address: "aws_cloudwatch_metric_alarm.order_processing_failed_alarm_0F1E2D",
        name: "my-app-dev-order-processing-executions-failed",
        condition: "AWS/States ExecutionsFailed Sum >= 1 over 300 s",
      },
    ]);
  });

  test("IAM rows are the role's policy statements, each explained by the states that name its resources", () => {
    const doc = (fixtureJson() as Any).data.aws_iam_policy_document.order_processing_permissions_0F1E2D;
    expect(order?.permissions.map((r) => ({ sid: r.sid, effect: r.effect, actions: r.actions, resources: r.resources }))).toEqual(doc.statement);
    expect(order?.permissions.map((r) => r.why)).toEqual([
      "States.ValidateOrder, States.ProcessPayment, States.UpdateInventory, States.HandleError",
      "state machine logging to CloudWatch Logs (AWS offers no narrower resource)",
      "X-Ray tracing (AWS offers no narrower resource)",
    ]);
  });

  test("with a deriver: a permission the definition needs but the policy lacks is reported", () => {
    const json = fixtureJson() as Any;
    const statement = json.data.aws_iam_policy_document.order_processing_permissions_0F1E2D.statement[0];
    statement.resources = statement.resources.filter((r: string) => !r.includes("update_inventory"));
    const [reviewed] = reviewWorkflows(fixtureSynth(json), {
      derive: () => [
        { actions: ["lambda:InvokeFunction"], resources: ["${aws_lambda_function.update_inventory_function_A1B2C3.arn}"], statePath: "States.UpdateInventory", reason: "invoke" },
        { actions: ["lambda:InvokeFunction"], resources: ["${aws_lambda_function.validate_order_function_A1B2C3.arn}"], statePath: "States.ValidateOrder", reason: "invoke" },
      ],
    }).filter((w) => w.workflow === "order-processing");
    expect(reviewed.missing.map((m) => m.statePath)).toEqual(["States.UpdateInventory"]);
    expect(reviewed.permissions[0].why).toBe("States.ValidateOrder: invoke");
  });

  test("an ARN reference wrapped in another ARN is an IAM problem (the grant matches nothing)", () => {
    const json = fixtureJson() as Any;
    json.data.aws_iam_policy_document.map_permissions_0F1E2D.statement[0].resources = [
      "arn:${data.aws_partition.p.partition}:lambda:us-east-1:${data.aws_caller_identity.i.account_id}:function:${aws_lambda_function.process_item_function_A1B2C3.arn}",
    ];
    const map = reviewWorkflows(fixtureSynth(json)).find((w) => w.workflow === "map");
    expect(map?.iamProblems).toEqual([
      expect.stringContaining(
        "data.aws_iam_policy_document.map_permissions_0F1E2D (Sid InvokeFunctions): 1 resource(s) put an ARN reference inside another ARN",
      ),
    ]);
    expect(map?.iamProblems[0]).toContain("lambda:InvokeFunction will be denied on aws_lambda_function.process_item_function_A1B2C3.arn");
  });

  test("a definition that is not JSON is reported, not thrown", () => {
    const json = fixtureJson() as Any;
    json.resource.aws_sfn_state_machine.map_state_machine_0F1E2D.definition = "${jsonencode(local.x)}";
    const map = reviewWorkflows(fixtureSynth(json)).find((w) => w.workflow === "map");
    expect(map?.definition).toBeUndefined();
    expect(map?.problems[0]).toMatch(/^aws_sfn_state_machine\.map_state_machine_0F1E2D\.definition is not a JSON definition/);
  });
});

describe("review.md", () => {
  const before = fixtureJson() as Any;
  const after = fixtureJson() as Any;
  after.resource.aws_sqs_queue.order_processing_queue_0F1E2D.name = "renamed";
  after.data.aws_iam_policy_document.choice_permissions_0F1E2D.statement.pop();
  const review = buildReview({
    stage: "dev",
    synth: fixtureSynth(after),
    synthLabel: "cdktf.out/stacks/my-app-dev/cdk.tf.json",
    base: { label: "main (abc1234)", diff: diffSynth(fixtureSynth(before), fixtureSynth(after)) },
    plan: { label: "plan.json", summary: readPlan(join(FIXTURE_DIR, "plans", "plan.json")) },
  });
  const md = toMarkdown(review.blocks);

  test("sections in reading order: plan, changes, workflows, inventory", () => {
    const headings = md.split("\n").filter((l) => /^##? /.test(l));
    expect(headings).toEqual([
      "# Infrastructure review: my-app-dev (stage dev)",
      "## Terraform plan",
      "## Changes since main (abc1234)",
      "## Workflows",
      "## Resource inventory",
    ]);
  });

  test("one Mermaid block per workflow", () => {
    expect(md.match(/^```mermaid$/gm)).toHaveLength(4);
  });

  test("plan summary line and risky rows first", () => {
    expect(md).toContain("**1 to create, 2 to update, 2 to replace, 1 to delete**");
    const rows = md.split("\n").filter((l) => /^\| (delete|replace|update|create) \|/.test(l));
    expect(rows.map((r) => r.split(" | ")[0].slice(2))).toEqual(["delete", "replace", "replace", "update", "update", "create"]);
  });

  test("IAM changes and the replacement are listed before other changes", () => {
    const section = md.slice(md.indexOf("### IAM changes, replacements and removals"), md.indexOf("## Workflows"));
    expect(section).toContain("| changed | `data.aws_iam_policy_document.choice_permissions_0F1E2D` | − `XRay: Allow");
    expect(section).toContain("| replaced | `aws_sqs_queue.order_processing_queue_0F1E2D` | **replacement** (forced by `name`).");
  });

  test("IAM table row (resources as readable ARNs), trigger and alarm of a workflow", () => {
    expect(md).toContain(
      "| Allow | `lambda:InvokeFunction` | `arn:aws:lambda:us-east-1:<account>:function:my-app-dev-process-item`, `arn:aws:lambda:us-east-1:<account>:function:my-app-dev-process-item:*` | States.ProcessItems.ItemProcessor.States.ProcessItem (Sid InvokeFunctions) |",
    );
    expect(md).toContain("- SQS queue renamed through function my-app-dev-order-processing-sqs, batch size 1");
    expect(md).toContain("| `my-app-dev-map-executions-failed` | AWS/States ExecutionsFailed Sum \\>= 1 over 300 s |");
  });

  test("inventory counts resources by type", () => {
    expect(md).toContain("| `aws_sfn_state_machine` | 4 | `my-app-dev-choice`, `my-app-dev-map`, `my-app-dev-order-processing`, `my-app-dev-parallel` |");
    expect(md).toContain("| `data.aws_iam_policy_document` | 8 |");
  });
});

describe("lint warnings in the report", () => {
  test("the engine's lint runs on the synthesized definition and its warnings are listed under the workflow", () => {
    const json = fixtureJson() as Any;
    const machine = json.resource.aws_sfn_state_machine.map_state_machine_0F1E2D;
    const def = JSON.parse(machine.definition);
    // The seed's defect 5: a Task without TimeoutSeconds.
    delete def.States.ProcessItems.ItemProcessor.States.ProcessItem.TimeoutSeconds;
    machine.definition = JSON.stringify(def);
    const review = buildReview({ stage: "dev", synth: fixtureSynth(json), synthLabel: "x", analysers: ENGINE_ANALYSERS });
    const map = review.workflows.find((w) => w.workflow === "map");
    expect(map?.findings.map((f) => f.path)).toContain("States.ProcessItems.ItemProcessor.States.ProcessItem");
    const md = toMarkdown(review.blocks);
    const section = md.slice(md.indexOf("### map"), md.indexOf("### choice"));
    expect(section).toMatch(/#### Lint\n\n- warning `SFN\d+` `States.ProcessItems.ItemProcessor.States.ProcessItem`: .*TimeoutSeconds/);
  });
});
