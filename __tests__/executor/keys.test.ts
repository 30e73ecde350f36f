import { runDefinition } from "../../src/executor/index";

/** `__proto__`, `constructor` and `prototype` are ordinary keys to AWS: they survive every path and never reach Object.prototype. */
const input = () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"name": "c"}, "prototype": 3, "plain": 1}');
const own = (o: unknown, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const identity = async (event: unknown) => event;

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
});

async function run(definition: object, data: unknown = input()) {
  const r = await runDefinition(definition, data, { lambdas: { identity } });
  expect(r.error).toBeUndefined();
  expect(r.status).toBe("SUCCEEDED");
  return r;
}

function expectKeys(value: unknown) {
  expect(own(value, "__proto__")).toBe(true);
  expect(own(value, "constructor")).toBe(true);
  expect(own(value, "prototype")).toBe(true);
  expect(JSON.parse(JSON.stringify(value))).toEqual(input());
  expect(JSON.stringify(value)).toBe(JSON.stringify(input()));
}

describe("keys are data", () => {
  test("input to output, and in the history", async () => {
    const r = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    expectKeys(r.output);
    const exited = r.history.find((e) => e.type === "PassStateExited") as unknown as { stateExitedEventDetails: { output: string } };
    expect(exited.stateExitedEventDetails.output).toBe(JSON.stringify(input()));
  });

  test("Parameters: .$ paths and literal keys", async () => {
    const def = JSON.parse(
      '{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"__proto__.$":"$.__proto__","constructor.$":"$.constructor","prototype.$":"$.prototype","plain":1},"End":true}}}',
    );
    expectKeys((await run(def)).output);
  });

  test("paths read only own keys: $.constructor of an object without one is not found", async () => {
    const def = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "c.$": "$.constructor" }, End: true } } };
    const r = await runDefinition(def, { a: 1 });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
  });

  test("ResultSelector and ResultPath into __proto__ / constructor", async () => {
    const def = JSON.parse(
      '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:identity","ResultSelector":{"__proto__.$":"$.__proto__","constructor.$":"$.constructor","prototype.$":"$.prototype","plain.$":"$.plain"},"ResultPath":"$.__proto__.result","Next":"R"},"R":{"Type":"Pass","Result":7,"ResultPath":"$.constructor.deep","End":true}}}',
    );
    const out = (await run(def)).output as Record<string, Record<string, unknown>>;
    expect(own(out, "__proto__")).toBe(true);
    expect(own(out.__proto__, "result")).toBe(true);
    expectKeys(out.__proto__.result);
    expect(out.constructor).toEqual({ name: "c", deep: 7 });
  });

  test("a Lambda round trip keeps the keys", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:identity", End: true } } };
    expectKeys((await run(def)).output);
  });

  test("intrinsics: JsonMerge, StringToJson, Array", async () => {
    const def = {
      StartAt: "P",
      States: {
        P: {
          Type: "Pass",
          Parameters: { "merged.$": "States.JsonMerge($, $.constructor, false)", "parsed.$": "States.StringToJson($.text)", "arr.$": "States.Array($)" },
          End: true,
        },
      },
    };
    const data = input();
    data.text = '{"__proto__":{"x":1}}';
    const out = (await run(def, data)).output as Record<string, unknown>;
    expect(own(out.merged, "__proto__")).toBe(true);
    expect(own(out.parsed, "__proto__")).toBe(true);
    expect(own((out.arr as unknown[])[0], "__proto__")).toBe(true);
  });

  test("JSONata: $merge, Output and Assign keep the keys", async () => {
    const def = {
      QueryLanguage: "JSONata",
      StartAt: "P",
      States: {
        P: { Type: "Pass", Assign: { kept: "{% $states.input %}" }, Output: "{% $merge([$states.input, {'plain': 1}]) %}", Next: "Q" },
        Q: { Type: "Pass", Output: "{% $kept %}", End: true },
      },
    };
    expectKeys((await run(def)).output);
  });

  test("Map items, ItemSelector and Parallel results keep the keys", async () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "v.$": "$$.Map.Item.Value" },
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", OutputPath: "$.v", End: true } } },
          Next: "P",
        },
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", InputPath: "$[0]", End: true } } }],
          OutputPath: "$[0]",
          End: true,
        },
      },
    };
    expectKeys((await run(def, { items: [input()] })).output);
  });

  test("variables named after prototype keys are ordinary variables", async () => {
    const def = JSON.parse(
      '{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"constructor.$":"$.constructor","prototype":5},"Next":"B"},"B":{"Type":"Pass","Parameters":{"c.$":"$constructor","p.$":"$prototype"},"End":true}}}',
    );
    expect((await run(def)).output).toEqual({ c: { name: "c" }, p: 5 });
  });
});
