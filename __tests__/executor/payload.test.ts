import { StatesError } from "../../src/executor/errors";
import { EvalScope } from "../../src/executor/jsonpath";
import { resolvePayloadTemplate } from "../../src/executor/payload";

const scope: EvalScope = {
  input: { comment: "Example for Parameters.", product: { details: { color: "blue", size: "small", material: "cotton" }, availability: "in stock", sku: "2317", cost: "$23" } },
  context: { Execution: { Name: "exec-1", Input: { x: 1 } }, Map: { Item: { Index: 0, Value: { id: 7 } } } },
  variables: { total: 42 },
};
const where = { field: "Parameters", state: "S" };

describe("resolvePayloadTemplate", () => {
  test("the AWS docs example: .$ keys select from the input, others are literal", () => {
    const template = {
      comment: "Selecting what I care about.",
      MyDetails: { "size.$": "$.product.details.size", "exists.$": "$.product.availability", StaticValue: "foo" },
    };
    expect(resolvePayloadTemplate(template, scope, where)).toEqual({
      comment: "Selecting what I care about.",
      MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" },
    });
  });

  test("context paths, variables and intrinsics", () => {
    const template = { "name.$": "$$.Execution.Name", "item.$": "$$.Map.Item.Value.id", "total.$": "$total", "msg.$": "States.Format('{} costs {}', $.product.sku, $.product.cost)" };
    expect(resolvePayloadTemplate(template, scope, where)).toEqual({ name: "exec-1", item: 7, total: 42, msg: "2317 costs $23" });
  });

  test("templates inside arrays are resolved too", () => {
    expect(resolvePayloadTemplate({ list: [{ "c.$": "$.product.details.color" }, "lit", 3] }, scope, where)).toEqual({ list: [{ c: "blue" }, "lit", 3] });
  });

  test("non-object templates pass through", () => {
    expect(resolvePayloadTemplate("x", scope, where)).toBe("x");
    expect(resolvePayloadTemplate(null, scope, where)).toBeNull();
  });

  test("a path that matches nothing names the key as the field", () => {
    let err: StatesError | undefined;
    try {
      resolvePayloadTemplate({ "value.$": "$.no_such_jsonpath" }, { ...scope, input: { "int-literal": 0 } }, { field: "Parameters", state: "pass", enteredEventId: 2 });
    } catch (e) {
      err = e as StatesError;
    }
    expect(err?.error).toBe("States.Runtime");
    expect(err?.causeText).toBe(
      `An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
    );
  });

  test("a .$ key with a non-string value is an error that says how to fix it", () => {
    expect(() => resolvePayloadTemplate({ "n.$": 5 }, scope, where)).toThrow(/drop the '\.\$' suffix/);
  });
});
