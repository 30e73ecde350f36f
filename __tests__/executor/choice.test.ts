import { evaluateChoiceRule, parseTimestamp, wildcardRegex } from "../../src/executor/choice";
import { EvalScope } from "../../src/executor/jsonpath";

const where = { state: "CheckValues" };
const withVar = (Variable: unknown, Value?: unknown): EvalScope => ({ input: { Variable, Value }, context: { Execution: { Name: "n" } }, variables: { limit: 10 } });
const rule = (op: string, expected: unknown, extra: Record<string, unknown> = {}) => ({ Variable: "$.Variable", [op]: expected, Next: "X", ...extra });

describe("type rules: a comparison on the wrong type is false, not an error (recorded against AWS)", () => {
  test.each([
    ["StringEquals", "HelloWorld", "HelloWorld", true],
    ["StringEquals", "HelloWorld", "", false],
    ["StringEquals", "1", 1, false],
    ["StringLessThan", "b", "a", true],
    ["StringGreaterThan", "a", "b", true],
    ["StringLessThanEquals", "a", "a", true],
    ["StringGreaterThanEquals", "a", "b", true],
    ["NumericEquals", 1, 1, true],
    ["NumericEquals", 1, 1.0, true],
    ["NumericEquals", 1, "1", false],
    ["NumericLessThan", 1, 0.5, true],
    ["NumericGreaterThan", 1, 1, false],
    ["NumericLessThanEquals", 1, 1, true],
    ["NumericGreaterThanEquals", 1, 0, false],
    ["BooleanEquals", true, true, true],
    ["BooleanEquals", false, true, false],
    ["BooleanEquals", true, "true", false],
    ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", true],
    ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T21:00:55+02:00", true],
    ["TimestampEquals", "2012-10-09T19:00:55Z", 1, false],
    ["TimestampEquals", "2012-10-09T19:00:55Z", "not a date", false],
    ["TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:54.999999999Z", true],
    ["TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", true],
    ["TimestampLessThanEquals", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", true],
    ["TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", true],
  ])("%s %j on %j -> %s", (op, expected, value, result) => {
    expect(evaluateChoiceRule(rule(op, expected), withVar(value), where)).toBe(result);
  });
});

describe("...Path variants compare with another value of the input", () => {
  test.each([
    ["StringEqualsPath", "a", "a", true],
    ["NumericLessThanPath", 1, 2, true],
    ["NumericGreaterThanEqualsPath", 1, 2, false],
    ["BooleanEqualsPath", true, true, true],
    ["TimestampGreaterThanPath", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", false],
    ["StringMatchesPath", "he*o", "hello", false],
  ])("%s", (op, variable, value, result) => {
    expect(evaluateChoiceRule({ Variable: "$.Variable", [op]: "$.Value" }, withVar(variable, value), where)).toBe(result);
  });

  test("a variable as the compared value", () => {
    expect(evaluateChoiceRule({ Variable: "$.Variable", NumericLessThanPath: "$limit" }, withVar(5), where)).toBe(true);
  });
});

describe("Is* operators", () => {
  test.each([
    ["IsNull", true, null, true],
    ["IsNull", true, 0, false],
    ["IsNull", false, "x", true],
    ["IsNumeric", true, 1.5, true],
    ["IsNumeric", true, "1", false],
    ["IsNumeric", false, null, true],
    ["IsString", true, "", true],
    ["IsString", true, [], false],
    ["IsBoolean", true, false, true],
    ["IsBoolean", true, "true", false],
    ["IsTimestamp", true, "2016-03-14T01:59:00Z", true],
    ["IsTimestamp", true, "2016-03-14T01:59:00", false],
    ["IsTimestamp", true, "2016-13-14T01:59:00Z", false],
    ["IsTimestamp", false, 1, true],
  ])("%s: %j on %j -> %s", (op, expected, value, result) => {
    expect(evaluateChoiceRule(rule(op, expected), withVar(value), where)).toBe(result);
  });

  test("IsPresent is the only operator that tolerates a missing path", () => {
    expect(evaluateChoiceRule({ Variable: "$.missing", IsPresent: false }, withVar(1), where)).toBe(true);
    expect(evaluateChoiceRule({ Variable: "$.Variable", IsPresent: true }, withVar(null), where)).toBe(true);
    expect(evaluateChoiceRule({ Variable: "$.missing", IsPresent: true }, withVar(1), where)).toBe(false);
  });

  test("any other operator on a missing path is a States.Runtime error", () => {
    expect(() => evaluateChoiceRule({ Variable: "$.missing", IsNull: true }, withVar(1), where)).toThrow(
      "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
    expect(() => evaluateChoiceRule({ Variable: "$.missing", StringEquals: "x" }, withVar(1), { state: "C", enteredEventId: 2 })).toThrow(
      "An error occurred while executing the state 'C' (entered at the event id #2). Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });
});

describe("StringMatches", () => {
  test.each([
    ["log-*.txt", "log-2024.txt", true],
    ["log-*.txt", "log-2024.csv", false],
    ["*", "", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axxb", false],
    ["a\\\\*", "a\\anything", true],
    ["x.y", "xzy", false],
  ])("%s vs %s -> %s", (pattern, value, result) => {
    expect(evaluateChoiceRule(rule("StringMatches", pattern), withVar(value), where)).toBe(result);
  });
  test("non-string variable does not match", () => expect(evaluateChoiceRule(rule("StringMatches", "*"), withVar(1), where)).toBe(false));
  test("wildcardRegex escapes regex characters", () => expect(wildcardRegex("a+b(*)").test("a+b(zz)")).toBe(true));
});

describe("And / Or / Not", () => {
  const scope = withVar(5);
  const gt1 = { Variable: "$.Variable", NumericGreaterThan: 1 };
  const lt3 = { Variable: "$.Variable", NumericLessThan: 3 };
  test("And", () => expect(evaluateChoiceRule({ And: [gt1, lt3], Next: "X" }, scope, where)).toBe(false));
  test("Or", () => expect(evaluateChoiceRule({ Or: [gt1, lt3], Next: "X" }, scope, where)).toBe(true));
  test("Not", () => expect(evaluateChoiceRule({ Not: lt3, Next: "X" }, scope, where)).toBe(true));
  test("nested", () => expect(evaluateChoiceRule({ And: [{ Not: { Or: [lt3] } }, gt1] }, scope, where)).toBe(true));
  test("context path as Variable", () => expect(evaluateChoiceRule({ Variable: "$$.Execution.Name", StringEquals: "n" }, scope, where)).toBe(true));
  test("a rule without an operator names the state", () => expect(() => evaluateChoiceRule({ Variable: "$.Variable" }, scope, where)).toThrow(/CheckValues/));
});

describe("parseTimestamp", () => {
  test("offsets and fractions compare as instants", () => {
    expect(parseTimestamp("2016-03-14T01:59:00Z")).toBe(parseTimestamp("2016-03-13T20:59:00-05:00"));
    expect(parseTimestamp("2016-03-14T01:59:00.5Z")! - parseTimestamp("2016-03-14T01:59:00Z")!).toBe(500_000_000n);
  });
  test.each(["2016-02-30T00:00:00Z", "2016-12-05T25:29:29Z", "05-12-2016T21:29:29Z", "2016-12-05T21:29:29", "2016-12-05 21:29:29Z"])("rejects %s", (t) => {
    expect(parseTimestamp(t)).toBeUndefined();
  });
});
