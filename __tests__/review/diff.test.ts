import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffStates } from "../../src/review/state-diff";
import { FORCES_NEW, changedPaths, diffSynth } from "../../src/review/synth-diff";
import { loadSynth, parseMoved, synthFromJson } from "../../src/review/synth";
import { fixtureJson, fixtureSynth, tempDir } from "./helpers";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ORDER = "order_processing_state_machine_0F1E2D";

/** The fixture with the kinds of change a pull request makes. */
function changedFixture(): Any {
  const json = fixtureJson() as Any;
  const machine = json.resource.aws_sfn_state_machine[ORDER];
  const def = JSON.parse(machine.definition);
  def.States.ProcessPayment.Retry[0].MaxAttempts = 4;
  delete def.States.UpdateInventory.End;
  def.States.UpdateInventory.Next = "NotifyCustomer";
  def.States.NotifyCustomer = { Type: "Pass", End: true };
  def.TimeoutSeconds = 7200;
  machine.definition = JSON.stringify(def);
  const map = json.resource.aws_sfn_state_machine.map_state_machine_0F1E2D;
  const mapDef = JSON.parse(map.definition);
  mapDef.States.ProcessItems.ItemProcessor.States.ProcessItem.TimeoutSeconds = 99;
  map.definition = JSON.stringify(mapDef);
  json.resource.aws_sqs_queue.order_processing_queue_0F1E2D.name = "my-app-dev-orders";
  json.resource.aws_lambda_function.order_processing_bridge_0F1E2D.timeout = 60;
  json.data.aws_iam_policy_document.order_processing_permissions_0F1E2D.statement.push({
    sid: "SendToQueue",
    effect: "Allow",
    actions: ["sqs:SendMessage"],
    resources: ["${aws_sqs_queue.order_processing_queue_0F1E2D.arn}"],
  });
  delete json.resource.aws_cloudwatch_metric_alarm.choice_failed_alarm_0F1E2D;
  json.resource.aws_sns_topic = { alarms_topic_1: { name: "my-app-dev-alarms" } };
  // Same pattern, different formatting: not a change.
  const rule = json.resource.aws_cloudwatch_event_rule.order_processing_rule_0F1E2D;
  rule.event_pattern = JSON.stringify(JSON.parse(rule.event_pattern), null, 4);
  return json;
}

describe("synthesis diff", () => {
  const diff = diffSynth(fixtureSynth(), fixtureSynth(changedFixture()));

  test("added and removed blocks", () => {
    expect(diff.added.map((c) => c.address)).toEqual(["aws_sns_topic.alarms_topic_1"]);
    expect(diff.removed.map((c) => c.address)).toEqual(["aws_cloudwatch_metric_alarm.choice_failed_alarm_0F1E2D"]);
  });

  test("changed blocks: IAM first, then replacements, then the rest; formatting-only JSON changes ignored", () => {
    expect(diff.changed.map((c) => [c.address, c.iam, c.replacedBy])).toEqual([
      ["data.aws_iam_policy_document.order_processing_permissions_0F1E2D", true, []],
      ["aws_sqs_queue.order_processing_queue_0F1E2D", false, ["name"]],
      ["aws_lambda_function.order_processing_bridge_0F1E2D", false, []],
      ["aws_sfn_state_machine.map_state_machine_0F1E2D", false, []],
      [`aws_sfn_state_machine.${ORDER}`, false, []],
    ]);
  });

  test("IAM changes list the statements added and removed", () => {
    expect(diff.changed[0].statements).toEqual({
      added: ["SendToQueue: Allow sqs:SendMessage on ${aws_sqs_queue.order_processing_queue_0F1E2D.arn}"],
      removed: [],
    });
  });

  test("a changed workflow gets a state diff by state path", () => {
    const order = diff.changed.find((c) => c.address.endsWith(ORDER));
    expect(order?.states).toEqual({
      added: [{ path: "States.NotifyCustomer", type: "Pass", fields: [] }],
      removed: [],
      changed: [
        { path: "States.ProcessPayment", type: "Task", fields: ["Retry"] },
        { path: "States.UpdateInventory", type: "Task", fields: ["End", "Next"] },
      ],
      machine: ["TimeoutSeconds"],
    });
    const map = diff.changed.find((c) => c.address.endsWith("map_state_machine_0F1E2D"));
    expect(map?.states?.changed).toEqual([{ path: "States.ProcessItems.ItemProcessor.States.ProcessItem", type: "Task", fields: ["TimeoutSeconds"] }]);
  });

  test("no change, no diff", () => {
    const d = diffSynth(fixtureSynth(), fixtureSynth());
    expect([d.added, d.removed, d.changed]).toEqual([[], [], []]);
  });

  test("the replacement table covers the types the stack creates", () => {
    for (const type of ["aws_sfn_state_machine", "aws_iam_role", "aws_lambda_function", "aws_sqs_queue", "aws_cloudwatch_log_group", "aws_kms_key"]) {
      expect(FORCES_NEW[type]?.length).toBeGreaterThan(0);
    }
    expect(FORCES_NEW.aws_lambda_function).toContain("function_name");
  });
});

describe("renamed blocks (moved.tf)", () => {
  /** The fixture with the state machine, its role and its trust document renamed, as the explicit addresses did. */
  function renamedFixture(): { before: Any; after: Any; moved: Array<{ from: string; to: string }> } {
    const before = fixtureJson() as Any;
    before.data.aws_iam_policy_document.order_processing_trust_0F1E2D["//"] = { metadata: { path: "my-app-dev/order-processing/trust" } };
    const after = JSON.parse(JSON.stringify(before)) as Any;
    const rename = (group: Any, from: string, to: string) => {
      group[to] = group[from];
      delete group[from];
    };
    rename(after.resource.aws_sfn_state_machine, ORDER, "order_processing");
    rename(after.resource.aws_iam_role, "order_processing_role_0F1E2D", "order_processing_execution");
    rename(after.data.aws_iam_policy_document, "order_processing_trust_0F1E2D", "order_processing_execution_trust");
    // References follow the new names; one real change rides along.
    const text = JSON.stringify(after)
      .split("aws_iam_role.order_processing_role_0F1E2D")
      .join("aws_iam_role.order_processing_execution")
      .split("data.aws_iam_policy_document.order_processing_trust_0F1E2D")
      .join("data.aws_iam_policy_document.order_processing_execution_trust")
      .split(`aws_sfn_state_machine.${ORDER}`)
      .join("aws_sfn_state_machine.order_processing");
    const renamed = JSON.parse(text) as Any;
    renamed.resource.aws_iam_role.order_processing_execution.max_session_duration = 7200;
    const moved = [
      { from: `aws_sfn_state_machine.${ORDER}`, to: "aws_sfn_state_machine.order_processing" },
      { from: "aws_iam_role.order_processing_role_0F1E2D", to: "aws_iam_role.order_processing_execution" },
    ];
    return { before, after: renamed, moved };
  }

  test("a resource with a moved block and a data source at the same construct path are renamed, not removed and added; references follow", () => {
    const { before, after, moved } = renamedFixture();
    const d = diffSynth(fixtureSynth(before), synthFromJson(after, "fixture/cdk.tf.json", "my-app-dev", moved));
    expect(d.renamed).toEqual([
      { from: "aws_iam_role.order_processing_role_0F1E2D", to: "aws_iam_role.order_processing_execution", how: "moved" },
      { from: `aws_sfn_state_machine.${ORDER}`, to: "aws_sfn_state_machine.order_processing", how: "moved" },
      { from: "data.aws_iam_policy_document.order_processing_trust_0F1E2D", to: "data.aws_iam_policy_document.order_processing_execution_trust", how: "data" },
    ]);
    expect([d.added, d.removed]).toEqual([[], []]);
    // Only the real change is left, reported under the new address with the old one.
    expect(d.changed.map((c) => [c.address, c.movedFrom, c.paths])).toEqual([
      ["aws_iam_role.order_processing_execution", "aws_iam_role.order_processing_role_0F1E2D", ["max_session_duration"]],
    ]);
  });

  test("without the moved blocks the same rename is a removal and an addition, as Terraform would plan it", () => {
    const { before, after } = renamedFixture();
    const d = diffSynth(fixtureSynth(before), fixtureSynth(after));
    expect(d.removed.map((c) => c.address)).toEqual(["aws_iam_role.order_processing_role_0F1E2D", `aws_sfn_state_machine.${ORDER}`]);
    expect(d.added.map((c) => c.address)).toEqual(["aws_iam_role.order_processing_execution", "aws_sfn_state_machine.order_processing"]);
  });

  test("moved.tf beside cdk.tf.json is read with the stack", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "my-app-dev"));
    writeFileSync(join(dir, "my-app-dev", "cdk.tf.json"), JSON.stringify(fixtureJson()));
    writeFileSync(join(dir, "my-app-dev", "moved.tf"), "# comment\n\nmoved {\n  from = aws_sqs_queue.a-b_12345678\n  to   = aws_sqs_queue.a_b\n}\n\nmoved {\n  from = aws_iam_role.r_ABCDEF01\n  to   = aws_iam_role.r\n}\n");
    expect(loadSynth(dir, "my-app-dev").moved).toEqual([
      { from: "aws_sqs_queue.a-b_12345678", to: "aws_sqs_queue.a_b" },
      { from: "aws_iam_role.r_ABCDEF01", to: "aws_iam_role.r" },
    ]);
    expect(parseMoved("moved { from = a.b to = a.c }")).toEqual([{ from: "a.b", to: "a.c" }]);
  });
});

describe("state diff", () => {
  test("a state moved into a Parallel branch is removed at the top and added in the branch", () => {
    const before = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } };
    const after = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "P" },
        P: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }], End: true },
      },
    };
    const d = diffStates(before, after);
    expect(d.added.map((s) => s.path)).toEqual(["States.P", "States.P.Branches[0].States.B"]);
    expect(d.removed.map((s) => s.path)).toEqual(["States.B"]);
    expect(d.changed).toEqual([{ path: "States.A", type: "Pass", fields: ["Next"] }]);
  });

  test("key order is not a change", () => {
    expect(diffStates({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }, { States: { A: { End: true, Type: "Pass" } }, StartAt: "A" })).toEqual({
      added: [],
      removed: [],
      changed: [],
      machine: [],
    });
  });

  test("a nested state's change is reported on the nested state, not on its Parallel", () => {
    const branch = (seconds: number) => ({ StartAt: "W", States: { W: { Type: "Wait", Seconds: seconds, End: true } } });
    const d = diffStates(
      { StartAt: "P", States: { P: { Type: "Parallel", Branches: [branch(1)], End: true } } },
      { StartAt: "P", States: { P: { Type: "Parallel", Branches: [branch(2)], End: true } } },
    );
    expect(d.changed).toEqual([{ path: "States.P.Branches[0].States.W", type: "Wait", fields: ["Seconds"] }]);
  });
});

test("changedPaths walks objects and same-length arrays, and compares JSON text attributes parsed", () => {
  expect(changedPaths({ a: { b: 1, c: [1, 2] }, policy: '{"x":1}' }, { a: { b: 2, c: [1, 3] }, policy: '{ "x": 1 }' })).toEqual(["a.b", "a.c[1]"]);
  expect(changedPaths({ list: [1] }, { list: [1, 2] })).toEqual(["list"]);
});
