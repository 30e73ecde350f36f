import { join } from "node:path";
import { readPlan, summarisePlan } from "../../src/review/plan";
import { FIXTURE_DIR } from "./helpers";

const plans = join(FIXTURE_DIR, "plans");

describe("plan summary", () => {
  const summary = readPlan(join(plans, "plan.json"));

  test("counts every action, replacement in both orders included", () => {
    expect(summary.counts).toEqual({ create: 1, update: 2, delete: 1, replace: 2, read: 1, "no-op": 1, forget: 0 });
    expect(summary.terraformVersion).toBe("1.9.8");
    expect(summary.formatVersion).toBe("1.2");
  });

  test("risky changes first: deletions, then replacements, then IAM; the rest after", () => {
    expect(summary.changes.map((c) => [c.action, c.address])).toEqual([
      ["delete", "aws_sns_topic.old_topic"],
      ["replace", "aws_cloudwatch_log_group.wait_logs_1"],
      ["replace", "aws_sqs_queue.order-processing_sqs_queue_1"],
      ["update", "aws_iam_policy.choice_state-machine_execution-role_policy_1"],
      ["update", "aws_sfn_state_machine.order-processing_state-machine_1"],
      ["create", "aws_lambda_function.function-enrich-record_function_1"],
    ]);
    expect(summary.changes.map((c) => c.risks)).toEqual([
      ["deletes a resource"],
      ["replaces a resource (new one created first)"],
      ["replaces a resource (destroyed first)"],
      ["changes IAM"],
      [],
      [],
    ]);
  });

  test("replacements carry Terraform's reason and the attributes forcing them", () => {
    const queue = summary.changes.find((c) => c.type === "aws_sqs_queue");
    expect(queue).toMatchObject({ reason: "replace_because_cannot_update", replacePaths: ["name"] });
    expect(queue?.attributes).toEqual(["name", "arn (known after apply)", "url (known after apply)"]);
  });

  test("updates list changed attributes; values known only after apply are marked, not counted as removed", () => {
    const machine = summary.changes.find((c) => c.type === "aws_sfn_state_machine");
    expect(machine?.attributes).toEqual(["definition.StartAt", "revision_id (known after apply)"]);
    const policy = summary.changes.find((c) => c.type === "aws_iam_policy");
    expect(policy?.attributes).toEqual(["policy (known after apply)"]);
  });

  test("output changes other than no-op are listed", () => {
    expect(summary.outputChanges).toEqual(["enrich_arn: create"]);
  });

  test("errored or incomplete plans say so", () => {
    const s = summarisePlan({ format_version: "1.2", resource_changes: [], errored: true, complete: false }, "p.json");
    expect(s.notes).toEqual([
      "The plan reports errored: true; it is incomplete and cannot be applied.",
      "The plan is not complete (complete: false): another plan and apply will be needed.",
    ]);
  });
});

describe("files that are not a Terraform JSON plan", () => {
  const fix = "Fix: create it with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`.";
  test.each([
    ["state.json", 'it has "values" but no "resource_changes": it looks like a state (terraform show -json without a plan file)'],
    ["not-a-plan.json", 'it has no "format_version"'],
    ["future.json", 'format_version "2.0" is not supported (this reader knows 1.x)'],
    ["plan.out", "it is a binary plan file (zip), not its JSON form"],
  ])("%s", (file, detail) => {
    const path = join(plans, file);
    expect(() => readPlan(path)).toThrow(`--plan ${path} is not a Terraform JSON plan: ${detail}. ${fix}`);
  });

  test("text output of terraform plan", () => {
    expect(() => readPlan(join(plans, "text-plan.txt"))).toThrow(/is not a Terraform JSON plan: it is not JSON \(Unexpected token/);
  });

  test("a missing file", () => {
    expect(() => readPlan(join(plans, "nope.json"))).toThrow(`--plan ${join(plans, "nope.json")}: cannot read the file (ENOENT). Fix: pass the output of \`terraform show -json plan.out > plan.json\`.`);
  });

  test("actions Terraform never produces", () => {
    expect(() => summarisePlan({ format_version: "1.0", resource_changes: [{ address: "a.b", change: { actions: ["explode"] } }] }, "p.json")).toThrow(
      'resource_changes[0] (a.b) has actions ["explode"], which Terraform does not produce',
    );
  });
});
