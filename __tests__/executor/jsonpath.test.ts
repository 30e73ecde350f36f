import { StatesError } from "../../src/executor/errors";
import { applyResultPath, evaluatePath, EvalScope, isValidPath } from "../../src/executor/jsonpath";

const store = {
  store: {
    book: [
      { category: "reference", author: "Nigel Rees", title: "Sayings of the Century", price: 8.95 },
      { category: "fiction", author: "Evelyn Waugh", title: "Sword of Honour", price: 12.99 },
      { category: "fiction", author: "Herman Melville", title: "Moby Dick", isbn: "0-553-21311-3", price: 8.99 },
      { category: "fiction", author: "J. R. R. Tolkien", title: "The Lord of the Rings", isbn: "0-395-19395-8", price: 22.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  expensive: 10,
};

const scope: EvalScope = {
  input: store,
  context: { Execution: { Input: { a: 1 }, Name: "exec-1" }, Map: { Item: { Index: 2, Value: "x" } } },
  variables: { myVar: { nested: [10, 20] }, plain: "p" },
};
const where = { field: "value.$", state: "S" };

function causeOf(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    return e as StatesError;
  }
  throw new Error("expected a throw");
}

describe("evaluatePath: definite paths return one value", () => {
  test.each([
    ["$", store],
    ["$.expensive", 10],
    ["$.store.bicycle.color", "red"],
    ["$['store']['bicycle']['color']", "red"],
    ["$.store.book[0].author", "Nigel Rees"],
    ["$.store.book[-1].title", "The Lord of the Rings"],
    ["$$.Execution.Name", "exec-1"],
    ["$$.Map.Item.Index", 2],
    ["$myVar.nested[1]", 20],
    ["$plain", "p"],
  ])("%s", (path, expected) => {
    expect(evaluatePath(path, scope, where)).toEqual(expected);
  });
});

describe("evaluatePath: indefinite paths return the list of matches (Jayway)", () => {
  test.each([
    ["$.store.book[*].author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]],
    ["$..author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]],
    ["$.store.book[?(@.isbn)].title", ["Moby Dick", "The Lord of the Rings"]],
    ["$.store.book[?(@.price < 10)].title", ["Sayings of the Century", "Moby Dick"]],
    ["$.store.book[?(@.price > $.expensive)].price", [12.99, 22.99]],
    ["$.store.book[?(@.category == 'fiction' && @.price < 20)].title", ["Sword of Honour", "Moby Dick"]],
    ["$.store.book[?(@.author =~ /.*Tolkien/)].price", [22.99]],
    ["$.store.book[0:2].price", [8.95, 12.99]],
    ["$.store.book[-2:].price", [8.99, 22.99]],
    ["$.store.book[0,2].price", [8.95, 8.99]],
    ["$.store.book[*]['author','price']", ["Nigel Rees", 8.95, "Evelyn Waugh", 12.99, "Herman Melville", 8.99, "J. R. R. Tolkien", 22.99]],
    ["$.store.book[?(@.category in ['reference'])].author", ["Nigel Rees"]],
    ["$.store.book[?(@.nothing == 1)]", []],
    ["$.store.*.color", ["red"]],
  ])("%s", (path, expected) => {
    expect(evaluatePath(path, scope, where)).toEqual(expected);
  });

  test("$..price visits the tree in pre-order", () => {
    expect(evaluatePath("$..price", scope, where)).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
  });
});

describe("evaluatePath errors, worded as AWS records them", () => {
  test("InputPath/OutputPath: Jayway's message for a missing leaf", () => {
    const e = causeOf(() => evaluatePath("$.NoSuchInputPath", { ...scope, input: { "int-literal": 0 } }, { field: "InputPath", state: "pass", enteredEventId: 2 }));
    expect(e.error).toBe("States.Runtime");
    expect(e.causeText).toBe("An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  });

  test("OutputPath: Jayway's message for a missing intermediate property", () => {
    const e = causeOf(() => evaluatePath("$.no.such.result.path", { ...scope, input: {} }, { field: "OutputPath", state: "RaiseRuntime", enteredEventId: 2 }));
    expect(e.causeText).toBe("An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  });

  test("payload fields: 'could not be found in the input' with the compact input", () => {
    const e = causeOf(() => evaluatePath("$.JobName", { ...scope, input: {} }, { field: "JobName.$", state: "Glue StartJobRun", enteredEventId: 8 }));
    expect(e.causeText).toBe(
      "An error occurred while executing the state 'Glue StartJobRun' (entered at the event id #8). The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
    );
  });

  test("a context path that matches nothing fails the same way", () => {
    const e = causeOf(() => evaluatePath("$$.Execution.Input.no_such_jsonpath", { ...scope, input: { "int-literal": 0 } }, { field: "value.$", state: "pass" }));
    expect(e.causeText).toBe(`The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`);
  });

  test("an unknown variable fails", () => {
    expect(() => evaluatePath("$unknown", scope, where)).toThrow(/The JSONPath '\$unknown' specified for the field 'value.\$' could not be found/);
  });

  test("an index past the end is 'no results'", () => {
    const e = causeOf(() => evaluatePath("$.store.book[9]", scope, { field: "InputPath", state: "S" }));
    expect(e.causeText).toBe("Invalid path '$.store.book[9]' : No results for path: $['store']['book'][9]");
  });

  test("a JSON null is a value, not a miss", () => {
    expect(evaluatePath("$.a", { ...scope, input: { a: null } }, where)).toBeNull();
  });
});

describe("bracket-notation escapes", () => {
  test("only an escaped quote is unescaped (recorded against AWS)", () => {
    const input = { 'Test\\""Name"': 'Value"\\' };
    expect(evaluatePath(`$['Test\\""Name"']`, { ...scope, input }, where)).toBe('Value"\\');
  });
  test("escaped single quote inside single quotes", () => {
    expect(evaluatePath("$['it\\'s']", { ...scope, input: { "it's": 1 } }, where)).toBe(1);
  });
});

describe("Jayway path functions", () => {
  test.each([
    ["$.store.book.length()", 4],
    ["$.store.book[*].price.max()", 22.99],
    ["$..price.min()", 8.95],
    ["$.store.bicycle.keys()", ["color", "price"]],
    ["$.store.book[*].author.first()", "Nigel Rees"],
    ["$.store.book[?(@.title.length() > 15)].title", ["Sayings of the Century", "The Lord of the Rings"]],
  ])("%s", (path, expected) => {
    expect(evaluatePath(path, scope, where)).toEqual(expected);
  });
  test("sum/avg of numbers", () => {
    expect(evaluatePath("$.v.sum()", { ...scope, input: { v: [1, 2, 3] } }, where)).toBe(6);
    expect(evaluatePath("$.v.avg()", { ...scope, input: { v: [1, 2, 3] } }, where)).toBe(2);
  });
  test("an aggregate of an empty array is an error", () => {
    expect(() => evaluatePath("$.v.max()", { ...scope, input: { v: [] } }, { field: "InputPath", state: "S" })).toThrow(
      "Invalid path '$.v.max()' : Aggregation function attempted to calculate value using empty array",
    );
  });
  test("unknown functions and functions in the middle are invalid", () => {
    expect(isValidPath("$.a.nope()")).toBe(false);
    expect(isValidPath("$.a.length().b")).toBe(false);
  });
});

describe("isValidPath", () => {
  test.each(["$", "$.a", "$$.Execution.Id", "$var.x[0]", "$.a[?(@.b > 1)]", "$..x"])("%s is valid", (p) => expect(isValidPath(p)).toBe(true));
  test.each(["a.b", "$.a[", "$.a[?(@.b > )]", "$.[1"])("%s is invalid", (p) => expect(isValidPath(p)).toBe(false));
});

describe("applyResultPath", () => {
  const input = { a: 1, nested: { keep: true } };
  test("null discards the result", () => expect(applyResultPath(input, null, { r: 1 }, { state: "S" })).toBe(input));
  test("absent and $ replace the input", () => {
    expect(applyResultPath(input, undefined, 5, { state: "S" })).toBe(5);
    expect(applyResultPath(input, "$", 5, { state: "S" })).toBe(5);
  });
  test("$.x.y creates the objects and leaves the input untouched", () => {
    const out = applyResultPath(input, "$.result.inner", [1], { state: "S" });
    expect(out).toEqual({ a: 1, nested: { keep: true }, result: { inner: [1] } });
    expect(input).toEqual({ a: 1, nested: { keep: true } });
  });
  test("merges into an existing object", () => {
    expect(applyResultPath(input, "$.nested.added", "x", { state: "S" })).toEqual({ a: 1, nested: { keep: true, added: "x" } });
  });
  test("replaces an existing value", () => {
    expect(applyResultPath(input, "$.a", 2, { state: "S" })).toEqual({ a: 2, nested: { keep: true } });
  });
  test("writing under a non-object is a States.Runtime error naming the path", () => {
    const e = causeOf(() => applyResultPath({ a: 1 }, "$.a.b", 2, { state: "S" }));
    expect(e.error).toBe("States.Runtime");
    expect(e.causeText).toMatch(/^Invalid path '\$\.a\.b' : /);
  });
  test("indefinite ResultPath is rejected", () => {
    expect(() => applyResultPath({}, "$.a[*]", 1, { state: "S" })).toThrow(/reference path/);
  });
});
