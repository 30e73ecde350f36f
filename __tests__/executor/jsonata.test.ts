import { StatesError } from "../../src/executor/errors";
import { containsJsonata, evaluateJsonataValue, jsonataExpression, jsonataTypeError, JsonataBindings } from "../../src/executor/jsonata";

const bindings: JsonataBindings = {
  states: { input: { input_value: "string literal", input_values: [1, 2, 3], FunctionInput: { fst: [0, 1, 2, 3], snd: 2 } }, context: { Execution: { Name: "exec" } }, result: { Payload: 7 } },
  variables: { var_constant_1: 1, items: ["a", "b"] },
};
const where = { field: "Output", state: "State0" };

async function failure(value: unknown, w: { field: string; state: string; enteredEventId?: number } = where): Promise<StatesError> {
  try {
    await evaluateJsonataValue(value, bindings, w);
  } catch (e) {
    return e as StatesError;
  }
  throw new Error("expected a failure");
}

describe("evaluateJsonataValue", () => {
  test("resolves templates recursively, leaves other values alone", async () => {
    const value = {
      ja_states_input: "{% $states.input.input_value %}",
      ja_expr: "{% $sum($states.input.input_values) + $var_constant_1 %}",
      nested: { list: ["{% $items[1] %}", "plain", 3, null] },
      notATemplate: "{% partial",
      ctx: "{% $states.context.Execution.Name %}",
      res: "{%$states.result.Payload%}",
    };
    expect(await evaluateJsonataValue(value, bindings, where)).toEqual({
      ja_states_input: "string literal",
      ja_expr: 7,
      nested: { list: ["b", "plain", 3, null] },
      notATemplate: "{% partial",
      ctx: "exec",
      res: 7,
    });
  });

  test("JSONata sequences come back as plain arrays", async () => {
    const out = await evaluateJsonataValue("{% $states.input.input_values.($ * 2) %}", bindings, where);
    expect(out).toEqual([2, 4, 6]);
    expect(Object.keys(out as object)).toEqual(["0", "1", "2"]);
  });
});

describe("AWS's added functions", () => {
  test.each([
    ["{% $partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd) %}", [[0, 1], [2, 3]]],
    ["{% $partition([0], 4) %}", [[0]]],
    ["{% $range(1, 9, 2) %}", [1, 3, 5, 7, 9]],
    // Recorded against AWS: a one-item $range collapses to the item.
    ["{% $range(1, 9, 9) %}", 1],
    ["{% $hash('input data', 'SHA-256') %}", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    ["{% $parse('{\"Arg1\": 1, \"Arg2\": []}') %}", { Arg1: 1, Arg2: [] }],
    ["{% $parse('1.1') %}", 1.1],
  ])("%s", async (expr, expected) => {
    expect(await evaluateJsonataValue(expr, bindings, where)).toEqual(expected);
  });

  test("$random with a seed repeats; without one it is in [0, 1)", async () => {
    const a = await evaluateJsonataValue("{% $random(7) %}", bindings, where);
    expect(await evaluateJsonataValue("{% $random(7) %}", bindings, where)).toBe(a);
    const r = (await evaluateJsonataValue("{% $random() %}", bindings, where)) as number;
    expect(r >= 0 && r < 1).toBe(true);
  });

  test("$uuid is a v4 UUID", async () => {
    expect(await evaluateJsonataValue("{% $uuid() %}", bindings, where)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("$eval is not available", async () => {
    const e = await failure("{% $eval('1 + 1') %}");
    expect(e.error).toBe("States.QueryEvaluationError");
    expect(e.causeText).toMatch(/\$eval is not available/);
  });

  test("$partition refuses a bad chunk size", async () => {
    expect((await failure("{% $partition([1], 0) %}")).causeText).toMatch(/positive integer chunk size/);
  });
});

describe("errors, worded as AWS records them", () => {
  test("an expression that returns nothing names the nested field", async () => {
    const e = await failure({ result: "{% $doesNotExist %}" }, { field: "Output", state: "State2", enteredEventId: 6 });
    expect(e.error).toBe("States.QueryEvaluationError");
    expect(e.causeText).toBe(
      "An error occurred while executing the state 'State2' (entered at the event id #6). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    );
  });

  test("an evaluation error carries JSONata's code and message", async () => {
    const e = await failure({ FunctionResult: "{% $randomSeeded($states.input.FunctionInput.fst) %}" }, { field: "Output", state: "State_0", enteredEventId: 2 });
    expect(e.causeText).toBe(
      "An error occurred while executing the state 'State_0' (entered at the event id #2). The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
  });

  test("a syntax error is a QueryEvaluationError too", async () => {
    expect((await failure("{% $states.input.( %}")).error).toBe("States.QueryEvaluationError");
  });

  test("jsonataTypeError words the Items type check as AWS does", () => {
    const e = jsonataTypeError({ field: "Items", state: "MapIterateState", enteredEventId: 2 }, "'string'", "array", "string");
    expect(e.causeText).toBe(
      "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\"",
    );
  });
});

describe("helpers", () => {
  test("jsonataExpression only accepts a whole {% %} string", () => {
    expect(jsonataExpression("{% $x %}")).toBe("$x");
    expect(jsonataExpression(" {% $x %}")).toBeUndefined();
    expect(jsonataExpression("{% $x %} tail")).toBeUndefined();
    expect(jsonataExpression(5)).toBeUndefined();
  });
  test("containsJsonata looks through objects and arrays", () => {
    expect(containsJsonata({ a: [1, { b: "{% 1 %}" }] })).toBe(true);
    expect(containsJsonata({ a: [1, { b: "{ 1 }" }] })).toBe(false);
  });
});
