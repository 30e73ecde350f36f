import type { ConformanceCase } from "../../src/conformance/cases";
import { compareOutcome } from "../../src/conformance/compare";

function makeCase(overrides: Partial<ConformanceCase>): ConformanceCase {
  return {
    id: "t",
    file: "t.json",
    stateMachineType: "STANDARD",
    definition: {},
    input: {},
    expected: { status: "SUCCEEDED", output: {} },
    features: [],
    placeholders: false,
    ...overrides,
  };
}

describe("exact cases", () => {
  const c = makeCase({ expected: { status: "SUCCEEDED", output: { a: [1, { b: 2.5 }], c: "x" } } });

  test("passes when the output deep-equals, ignoring key order", () => {
    expect(compareOutcome(c, { status: "SUCCEEDED", output: { c: "x", a: [1, { b: 2.5 }] } })).toEqual({ pass: true });
  });

  test("fails on a different value and names where", () => {
    const v = compareOutcome(c, { status: "SUCCEEDED", output: { c: "x", a: [1, { b: 3 }] } });
    expect(v.pass).toBe(false);
    expect(v.reason).toContain("$.a[1].b");
  });

  test("array order matters, extra keys fail", () => {
    expect(compareOutcome(makeCase({ expected: { status: "SUCCEEDED", output: [1, 2] } }), { status: "SUCCEEDED", output: [2, 1] }).pass).toBe(false);
    expect(compareOutcome(c, { status: "SUCCEEDED", output: { c: "x", a: [1, { b: 2.5 }], extra: 1 } }).pass).toBe(false);
  });

  test("status must match", () => {
    expect(compareOutcome(c, { status: "FAILED", error: "E", cause: "C" }).reason).toMatch(/^status FAILED \(expected SUCCEEDED\)/);
  });

  test("FAILED: error and cause equal; absent expected cause means none", () => {
    const f = makeCase({ expected: { status: "FAILED", error: "States.Runtime" } });
    expect(compareOutcome(f, { status: "FAILED", error: "States.Runtime" }).pass).toBe(true);
    expect(compareOutcome(f, { status: "FAILED", error: "States.Runtime", cause: "something" }).pass).toBe(false);
    expect(compareOutcome(f, { status: "FAILED", error: "States.TaskFailed" }).pass).toBe(false);
  });

  test("causeJson compares parsed JSON, whatever the spacing", () => {
    const f = makeCase({ expected: { status: "FAILED", error: "Exception", causeJson: { errorMessage: "m", errorType: "Exception" } } });
    expect(compareOutcome(f, { status: "FAILED", error: "Exception", cause: '{"errorType": "Exception", "errorMessage": "m"}' }).pass).toBe(true);
    expect(compareOutcome(f, { status: "FAILED", error: "Exception", cause: '{"errorType":"Exception","errorMessage":"other"}' }).pass).toBe(false);
    expect(compareOutcome(f, { status: "FAILED", error: "Exception", cause: "not json" }).pass).toBe(false);
  });

  test("placeholder-looking text is literal in exact cases", () => {
    const e = makeCase({ expected: { status: "SUCCEEDED", output: { d: "date", id: "<uuid:1>" } } });
    expect(compareOutcome(e, { status: "SUCCEEDED", output: { d: "2024-01-01T00:00:00Z", id: "abc" } }).pass).toBe(false);
  });
});

describe("placeholder cases", () => {
  const c = makeCase({
    placeholders: true,
    placeholderTokens: ["<uuid:1>", "date", "RequestId", "111111111111", "X-Amzn-Trace-Id", "lambda_function_name"],
    snapshotReplacements: [
      { regex: "lambda_func_a0000001", placeholder: "lambda_function_name" },
      { jsonpath: "$..FunctionResult", placeholder: "RandomNumberGenerated", wholeValue: true },
    ],
    expected: {
      status: "SUCCEEDED",
      output: {
        Date: "date",
        RequestId: "RequestId",
        Trace: "X-Amzn-Trace-Id",
        FunctionResult: "RandomNumberGenerated",
        Arn: "arn:aws:lambda:us-east-1:111111111111:function:lambda_function_name",
        Cause: '{"requestId":"<uuid:1>","at":"date"}',
        Static: "exact",
      },
    },
  });
  const good = {
    Date: "Mon, 01 Jan 2024 00:00:00 GMT",
    RequestId: "5f1b0c3e-1111-4222-8333-444455556666",
    Trace: ["Root=1-abc"],
    FunctionResult: 42,
    Arn: "arn:aws:lambda:us-east-1:123456789012:function:lambda_func_a0000001",
    Cause: '{"requestId":"5f1b0c3e-1111-4222-8333-444455556666","at":"2024-01-01T00:00:00.123Z"}',
    Static: "exact",
  };

  test("whole-value placeholders, tokens, 12-digit accounts, regex replacements and timestamps all match", () => {
    expect(compareOutcome(c, { status: "SUCCEEDED", output: good })).toEqual({ pass: true });
  });

  test("text outside the placeholders must still match", () => {
    const v = compareOutcome(c, { status: "SUCCEEDED", output: { ...good, Arn: "arn:aws:lambda:eu-west-1:123456789012:function:lambda_func_a0000001" } });
    expect(v.pass).toBe(false);
    expect(v.reason).toContain("$.Arn");
    expect(compareOutcome(c, { status: "SUCCEEDED", output: { ...good, Static: "other" } }).pass).toBe(false);
  });

  test("an account id must be 12 digits", () => {
    expect(compareOutcome(c, { status: "SUCCEEDED", output: { ...good, Arn: "arn:aws:lambda:us-east-1:1234:function:lambda_func_a0000001" } }).pass).toBe(false);
  });

  test("a whole-value placeholder still needs the key to be there", () => {
    const { RequestId: _omit, ...missing } = good;
    expect(compareOutcome(c, { status: "SUCCEEDED", output: missing }).pass).toBe(false);
  });
});
