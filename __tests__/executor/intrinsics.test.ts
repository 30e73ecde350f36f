import { StatesError } from "../../src/executor/errors";
import { evaluateIntrinsic } from "../../src/executor/intrinsics";
import { EvalScope } from "../../src/executor/jsonpath";

const scope: EvalScope = {
  input: {
    name: "World",
    obj: { Arg1: 1, Arg2: [] },
    arr: [1, 2, 3, 4, 5],
    dupes: [1, 2, 3, 3, 3, 3, 3, 3, 4],
    json1: { a: { a1: 1, a2: 2 }, b: 2, d: 3 },
    json2: { a: { a3: 1, a4: 2 }, c: 3, d: 4 },
    csv: "1,2,3,4,5",
  },
  context: { StateMachine: { Name: "part0-part1-part2" } },
  variables: { v: [7, 8] },
};
const where = { field: "FunctionResult.$", state: "S" };
const run = (expr: string) => evaluateIntrinsic(expr, scope, where);

function failure(expr: string): StatesError {
  try {
    run(expr);
  } catch (e) {
    return e as StatesError;
  }
  throw new Error(`expected ${expr} to fail`);
}

describe("States.Format", () => {
  test.each([
    ["States.Format('Hello, my name is {}.', $.name)", "Hello, my name is World."],
    ["States.Format('Formatting argument {}.', null)", "Formatting argument null."],
    ["States.Format('n={} f={}', 1, 1.1)", "n=1 f=1.1"],
    // Objects print as Java maps, as recorded against AWS.
    ["States.Format('fst={}', $.obj)", "fst={Arg1=1, Arg2=[]}"],
    ["States.Format('arr={}', $.arr)", "arr=[1, 2, 3, 4, 5]"],
    ["States.Format('escaped \\{\\} and \\'quote\\' {}', 'x')", "escaped {} and 'quote' x"],
  ])("%s", (expr, expected) => expect(run(expr)).toBe(expected));

  test("more arguments than placeholders fails", () => {
    const e = failure("States.Format('{}', 1, 2)");
    expect(e.error).toBe("States.IntrinsicFailure");
  });
  test("fewer arguments than placeholders fails", () => expect(failure("States.Format('{} {}', 1)").error).toBe("States.IntrinsicFailure"));
});

describe("JSON functions", () => {
  test.each([
    ["States.StringToJson('{\"a\": 1}')", { a: 1 }],
    ["States.StringToJson('')", null],
    ["States.StringToJson('-0')", -0],
    ["States.JsonToString($.obj)", '{"Arg1":1,"Arg2":[]}'],
    ["States.JsonToString('HelloWorld')", '"HelloWorld"'],
    ["States.JsonMerge($.json1, $.json2, false)", { a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 }],
  ])("%s", (expr, expected) => expect(run(expr)).toEqual(expected));

  test("StringToJson of text that is not JSON fails", () => expect(failure("States.StringToJson('{nope')").error).toBe("States.IntrinsicFailure"));
  test("JsonMerge deep mode is refused", () => expect(failure("States.JsonMerge($.json1, $.json2, true)").causeText).toMatch(/shallow/));
  test("JsonMerge of a non-object fails", () => expect(failure("States.JsonMerge($.arr, $.json2, false)").error).toBe("States.IntrinsicFailure"));
});

describe("array functions", () => {
  test.each([
    ["States.Array('Foo', 2020, $.obj, null)", ["Foo", 2020, { Arg1: 1, Arg2: [] }, null]],
    ["States.Array()", []],
    ["States.ArrayPartition($.arr, 2)", [[1, 2], [3, 4], [5]]],
    ["States.ArrayPartition(States.Array(), 3)", []],
    ["States.ArrayContains($.arr, 3)", true],
    ["States.ArrayContains(States.Array($.obj), $.obj)", true],
    ["States.ArrayContains($.arr, 9)", false],
    ["States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9]],
    ["States.ArrayRange(0, 10, 3)", [0, 3, 6, 9]],
    ["States.ArrayRange(5, 1, -2)", [5, 3, 1]],
    ["States.ArrayGetItem($.arr, 1)", 2],
    ["States.ArrayLength($.arr)", 5],
    ["States.ArrayUnique($.dupes)", [1, 2, 3, 4]],
    ["States.ArrayGetItem($v, 0)", 7],
  ])("%s", (expr, expected) => expect(run(expr)).toEqual(expected));

  test("ArrayPartition needs a positive chunk size", () => expect(failure("States.ArrayPartition($.arr, 0)").error).toBe("States.IntrinsicFailure"));
  test("ArrayRange refuses step 0", () => expect(failure("States.ArrayRange(1, 5, 0)").error).toBe("States.IntrinsicFailure"));
  test("ArrayRange refuses more than 1000 items", () => expect(failure("States.ArrayRange(0, 5000, 1)").causeText).toMatch(/1000/));
  test("ArrayGetItem out of bounds fails", () => expect(failure("States.ArrayGetItem($.arr, 5)").error).toBe("States.IntrinsicFailure"));
  test("ArrayLength of a string fails", () => expect(failure("States.ArrayLength($.name)").causeText).toMatch(/expects argument 1 to be an array, but received string/));
});

describe("encoding, hashing, math, strings, UUID", () => {
  test.each([
    ["States.Base64Encode('Data to encode')", "RGF0YSB0byBlbmNvZGU="],
    ["States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "Data to encode"],
    ["States.Base64Encode('')", ""],
    ["States.Hash('input data', 'MD5')", "812f45842bc6d66ee14572ce20db8e86"],
    ["States.Hash('input data', 'SHA-1')", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    ["States.Hash('input data', 'SHA-256')", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    ["States.MathAdd(111, -1)", 110],
    // AWS rounds each operand first (recorded: -1.5 + 0 = -1, -1.51 + 0 = -2, -1.5 + -1.51 = -3).
    ["States.MathAdd(-1.5, 0)", -1],
    ["States.MathAdd(-1.51, 0)", -2],
    ["States.MathAdd(-1.5, -1.51)", -3],
    ["States.StringSplit($.csv, ',')", ["1", "2", "3", "4", "5"]],
    ["States.StringSplit('This.is+a,test=string', '.+,=')", ["This", "is", "a", "test", "string"]],
    ["States.StringSplit(',,,,', ',')", []],
    ["States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", "part2"],
  ])("%s", (expr, expected) => expect(run(expr)).toEqual(expected));

  test("Hash refuses an unknown algorithm", () => expect(failure("States.Hash('x', 'SHA-3')").causeText).toMatch(/not supported/));
  test("Base64Decode refuses text that is not base64", () => expect(failure("States.Base64Decode('***')").error).toBe("States.IntrinsicFailure"));
  test("MathAdd refuses a string", () => expect(failure("States.MathAdd('1', 2)").error).toBe("States.IntrinsicFailure"));

  test("MathRandom stays in [start, end) and repeats with a seed", () => {
    for (let i = 0; i < 50; i++) {
      const v = run("States.MathRandom(1, 10)") as number;
      expect(Number.isInteger(v) && v >= 1 && v < 10).toBe(true);
    }
    expect(run("States.MathRandom(0, 999, 3)")).toBe(run("States.MathRandom(0, 999, 3)"));
  });
  test("MathRandom needs start < end", () => expect(failure("States.MathRandom(5, 5)").error).toBe("States.IntrinsicFailure"));

  test("UUID is a v4 UUID", () => expect(run("States.UUID()")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
  test("UUID takes no arguments", () => expect(failure("States.UUID(1)").error).toBe("States.IntrinsicFailure"));
});

describe("parsing and errors", () => {
  test("an unknown function fails and names the field", () => {
    const e = failure("States.Nope(1)");
    expect(e.error).toBe("States.IntrinsicFailure");
    expect(e.causeText).toMatch(/Unknown intrinsic function 'States.Nope' in the field 'FunctionResult.\$'/);
  });
  test("syntax errors are reported", () => expect(failure("States.Format('x'").error).toBe("States.IntrinsicFailure"));
  test("a path argument that matches nothing is States.Runtime", () => expect(failure("States.ArrayLength($.missing)").error).toBe("States.Runtime"));
  test("paths with brackets and filters work as arguments", () => {
    expect(run("States.ArrayLength($.arr[?(@ > 2)])")).toBe(3);
  });
});
