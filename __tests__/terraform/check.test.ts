/** The pure parts of src/terraform/check.ts: plan comparison and the moto copy. */
import { comparePlans, MOTO_CANNOT_SERVE, ROLLOUT_WEIGHTS, rolloutProblems, withoutUnservable } from "../../src/terraform/check";

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
  test("each weight may change only the order-processing alias, and 100% nothing", () => {
    expect(ROLLOUT_WEIGHTS).toEqual([10, 50, 100]);
    expect(
      rolloutProblems([
        { weight: 10, changed: ["aws_sfn_alias.order_processing (update)"] },
        { weight: 50, changed: ["aws_sfn_alias.order_processing (update)"] },
        { weight: 100, changed: [] },
      ]),
    ).toEqual([]);
    expect(rolloutProblems([{ weight: 10, changed: ["aws_sfn_alias.order_processing (update)", "aws_sfn_state_machine.order_processing (update)"] }])).toEqual([
      "rollout at 10%: expected aws_sfn_alias.order_processing (update), the plan changes aws_sfn_alias.order_processing (update), aws_sfn_state_machine.order_processing (update)",
    ]);
    expect(rolloutProblems([{ weight: 100, changed: ["aws_sfn_alias.order_processing (update)"] }])).toEqual([
      "rollout at 100%: expected no change, the plan changes aws_sfn_alias.order_processing (update)",
    ]);
  });
});
