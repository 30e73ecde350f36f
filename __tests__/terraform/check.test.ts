/** The pure parts of the Terraform check (src/terraform/): plan comparison and the moto copy. */
import { MOTO_CANNOT_SERVE, withoutUnservable } from "../../src/terraform/moto";
import { comparePlans } from "../../src/terraform/plans";
import { ROLLOUT_WEIGHTS, rolloutProblems, rolloutSteps } from "../../src/terraform/rollout";

type Change = { address: string; actions: string[]; after: unknown; afterUnknown: unknown };
const plan = (...changes: Change[]) => new Map(changes.map((c) => [c.address, c]));
const queue = (after: unknown, actions = ["create"]): Change => ({ address: "aws_sqs_queue.work", actions, after, afterUnknown: { arn: true } });

describe("comparePlans", () => {
  test("equal plans give no differences", () => {
    expect(comparePlans(plan(queue({ name: "a", tags: { x: "1" } })), plan(queue({ name: "a", tags: { x: "1" } })))).toEqual([]);
  });

  test("names the address and the path of a differing planned value, with both values", () => {
    const diff = comparePlans(plan(queue({ name: "a", policy: "{\"a\":1}" })), plan(queue({ name: "a", policy: "{\"a\":2}" })));
    expect(diff).toHaveLength(1);
    expect(diff[0]).toContain("aws_sqs_queue.work after.policy");
    expect(diff[0]).toContain('JSON: "{\\"a\\":1}"');
    expect(diff[0]).toContain('HCL:  "{\\"a\\":2}"');
  });

  test("reports addresses on one side only, and differing actions", () => {
    const other: Change = { address: "aws_sqs_queue.other", actions: ["create"], after: {}, afterUnknown: {} };
    const diff = comparePlans(plan(queue({})), plan(queue({}, ["delete", "create"]), other));
    expect(diff).toEqual(["  only in the HCL plan:  aws_sqs_queue.other", "  aws_sqs_queue.work: actions JSON [create] vs HCL [delete,create]"]);
  });

  test("a value known in one plan and unknown in the other is a difference", () => {
    const a = queue({ name: "a" });
    const b = { ...queue({ name: "a" }), afterUnknown: { arn: true, name: true } };
    expect(comparePlans(plan(a), plan(b)).join("\n")).toContain("after_unknown.name");
  });
});

describe("withoutUnservable", () => {
  test("removes every resource of the listed types and says which", () => {
    const doc = {
      resource: {
        aws_sqs_queue: { work: { name: "w" } },
        aws_sqs_queue_redrive_allow_policy: { work_allow: { queue_url: "${aws_sqs_queue.work.id}" } },
      },
    };
    const { doc: out, removed } = withoutUnservable(doc);
    expect(removed).toEqual(["aws_sqs_queue_redrive_allow_policy.work_allow"]);
    expect(Object.keys(out.resource as object)).toEqual(["aws_sqs_queue"]);
    expect(Object.keys(MOTO_CANNOT_SERVE)).toContain("aws_sqs_queue_redrive_allow_policy");
  });

  test("refuses when another block refers to a removed resource", () => {
    const doc = {
      resource: { aws_sqs_queue_redrive_allow_policy: { allow: {} } },
      output: { x: { value: "${aws_sqs_queue_redrive_allow_policy.allow.id}" } },
    };
    expect(() => withoutUnservable(doc)).toThrow(/referenced by other blocks/);
  });
});

describe("rollout steps planned against the applied stage", () => {
  const change = (actions: string[], after: unknown) => ({ actions, after });
  const drift = { "aws_lambda_function.a": change(["update"], { x: 1 }) };
  const plansAt = (alias10: unknown, alias50: unknown, extra: Record<string, unknown> = {}) =>
    new Map([
      [100, new Map(Object.entries({ ...drift, "aws_sfn_alias.order_processing": change(["no-op"], { w: 100 }) }))],
      [10, new Map(Object.entries({ ...drift, "aws_sfn_alias.order_processing": change(["update"], alias10), ...extra }))],
      [50, new Map(Object.entries({ ...drift, "aws_sfn_alias.order_processing": change(["update"], alias50) }))],
    ]) as Map<number, Map<string, { actions: string[]; after: unknown }>>;

  test("each weight differs from 100% in the order-processing alias alone; drift common to every plan cancels out", () => {
    expect(ROLLOUT_WEIGHTS).toEqual([100, 10, 50]);
    const steps = rolloutSteps(plansAt({ w: 10 }, { w: 50 }));
    expect(steps).toEqual([
      { weight: 100, differs: [], changes: 1 },
      { weight: 10, differs: ["aws_sfn_alias.order_processing"], changes: 2 },
      { weight: 50, differs: ["aws_sfn_alias.order_processing"], changes: 2 },
    ]);
    expect(rolloutProblems(steps)).toEqual([]);
  });

  test("anything else that changes with the weight is a failure naming it", () => {
    const steps = rolloutSteps(plansAt({ w: 10 }, { w: 50 }, { "aws_sfn_state_machine.order_processing": change(["update"], {}) }));
    expect(rolloutProblems(steps)).toEqual([
      "rollout at 10%: expected the plan to differ from 100% in aws_sfn_alias.order_processing; it differs in aws_sfn_alias.order_processing, aws_sfn_state_machine.order_processing",
    ]);
    expect(rolloutProblems(rolloutSteps(plansAt({ w: 100 }, { w: 50 }).set(10, plansAt({ w: 100 }, {}).get(100)!)))).toEqual([
      "rollout at 10%: expected the plan to differ from 100% in aws_sfn_alias.order_processing; it differs in nothing",
    ]);
  });
});
