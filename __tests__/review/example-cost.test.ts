/**
 * The review's cost section: each workflow's example run on the base's and
 * this synthesis's definitions (the fixture stack), priced by cost.ts.
 */
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadStageConfig, templateVariables } from "../../src/config/stage";
import { toHtmlBody, toMarkdown } from "../../src/review/document";
import { EXAMPLES_DIR, ExampleError, loadExample } from "../../src/review/examples";
import { type ExampleCostRow, exampleCosts, localDefinition } from "../../src/review/example-cost";
import { buildReview } from "../../src/review/report";
import { type Synth } from "../../src/review/synth";
import { diffSynth } from "../../src/review/synth-diff";
import { fixtureJson, fixtureSynth, tempDir } from "./helpers";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = loadStageConfig({ cwd: tempDir(), env: {} });
const options = (examplesDir = EXAMPLES_DIR) => ({ stage: config, variables: templateVariables(config), examplesDir });
const ORDER = "order_processing_state_machine_0F1E2D";

/** The fixture with order-processing's definition changed by `edit`. */
function changedOrderProcessing(edit: (definition: Any) => void): Synth {
  const json = fixtureJson() as Any;
  const machine = json.resource.aws_sfn_state_machine[ORDER];
  const definition = JSON.parse(machine.definition);
  edit(definition);
  machine.definition = JSON.stringify(definition);
  return fixtureSynth(json);
}

/** An Audit state between ValidateOrder and ProcessPayment. */
const addState = (state: Any) => (d: Any) => {
  d.States.Audit = { ...state, Next: "ProcessPayment" };
  d.States.ValidateOrder.Next = "Audit";
};

const row = (rows: readonly ExampleCostRow[], workflow: string) => rows.find((r) => r.workflow === workflow) as ExampleCostRow;
const markdownOf = (rows: readonly ExampleCostRow[], head: Synth, base: Synth) =>
  toMarkdown(buildReview({ stage: "dev", synth: head, synthLabel: "head", base: { label: "main (abc1234)", diff: diffSynth(base, head) }, costs: rows }).blocks);

test("the deployed definition runs locally: Terraform references become the local values", () => {
  const definition = localDefinition(fixtureSynth(), fixtureSynth().blocks.get(`aws_sfn_state_machine.${ORDER}`)!) as Any;
  expect(definition.States.ValidateOrder.Parameters.FunctionName).toBe("arn:aws:lambda:us-east-1:123456789012:function:my-app-dev-validate-order");
});

test("a change that adds a state: the example costs one more transition per execution, $0.025 more per 1,000", async () => {
  const base = fixtureSynth();
  const head = changedOrderProcessing(addState({ Type: "Pass", Result: "audited", ResultPath: "$.audit" }));
  const rows = await exampleCosts(head, base, options(), ["order-processing", "parallel", "map", "choice"]);
  const order = row(rows, "order-processing");
  expect(order.before).toMatchObject({ kind: "ran", cost: { stateTransitions: 3 } });
  expect(order.after).toMatchObject({ kind: "ran", cost: { stateTransitions: 4 } });
  const md = markdownOf(rows, head, base);
  expect(md).toContain("## Cost per 1,000 executions");
  expect(md).toContain("| `order-processing` | STANDARD | 3 state transitions → 4 state transitions | $0.075000 → $0.100000 | +$0.025000 (+33.3%) |");
  // Unchanged workflows say so; the rows follow the catalogue.
  expect(md).toContain("| `map` | STANDARD | 4 state transitions → 4 state transitions | $0.100000 → $0.100000 | no change |");
  expect(rows.map((r) => r.workflow)).toEqual(["order-processing", "parallel", "map", "choice"]);
});

test("a workflow without an example says which file to add, and the others still run", async () => {
  const dir = tempDir();
  cpSync(join(EXAMPLES_DIR, "choice.json"), join(dir, "choice.json"));
  const rows = await exampleCosts(fixtureSynth(), undefined, options(dir));
  expect(row(rows, "map")).toMatchObject({ problem: `no example input: add ${join(dir, "map.json")}` });
  expect(row(rows, "choice").after).toMatchObject({ kind: "ran", cost: { stateTransitions: 2 } });
  // The shipped folder, as the review page says it.
  const json = fixtureJson() as Any;
  json.resource.aws_sfn_state_machine.map_state_machine_0F1E2D.name = "my-app-dev-refunds";
  const shipped = await exampleCosts(fixtureSynth(json), undefined, options());
  const md = toMarkdown(buildReview({ stage: "dev", synth: fixtureSynth(json), synthLabel: "head", costs: shipped }).blocks);
  expect(md).toContain("| `refunds` | STANDARD | no example input: add workflows/examples/refunds.json |   |");
  expect(md).toContain("| `order-processing` | STANDARD | 3 state transitions | $0.075000 |");
});

test("an example that fails on one side: the error is shown, that side has no cost, the rest renders", async () => {
  const base = fixtureSynth();
  // An integration the example has no mock for: the local executor cannot answer it.
  const head = changedOrderProcessing(addState({ Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "audit", Item: {} }, ResultPath: null }));
  const rows = await exampleCosts(head, base, options(), []);
  expect(row(rows, "order-processing").after).toEqual({
    kind: "failed",
    error: expect.stringMatching(/^FAILED: States\.Runtime: An error occurred while executing the state 'Audit' .*dynamodb:putItem without a mock/),
  });
  const md = markdownOf(rows, head, base);
  expect(md).toContain("| `order-processing` | STANDARD | 3 state transitions → example failed | $0.075000 → example failed | unknown (see below) |");
  expect(md).toContain("- `order-processing` on this synthesis: the example (`workflows/examples/order-processing.json`) failed: FAILED: States.Runtime: An error occurred while executing the state 'Audit'");
  expect(md).toContain("| `parallel` | STANDARD | 4 state transitions → 4 state transitions | $0.100000 → $0.100000 | no change |");
});

test("what an example's failure says reaches the page escaped", async () => {
  const dir = tempDir();
  const hostile = '<img src=x onerror="alert(1)">';
  writeFileSync(join(dir, "order-processing.json"), JSON.stringify({ input: {}, mocks: { ValidateOrder: { Throw: { Error: hostile, Cause: "<script>alert(2)</script>" } } } }));
  const rows = await exampleCosts(fixtureSynth(), undefined, options(dir));
  const html = toHtmlBody(buildReview({ stage: "dev", synth: fixtureSynth(), synthLabel: "head", costs: rows }).blocks);
  expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<script>alert(2)");
});

describe("example files", () => {
  const write = (text: string) => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "wf.json"), text);
    return dir;
  };
  const message = (text: string) => {
    const dir = write(text);
    try {
      loadExample("wf", dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ExampleError);
      return (error as Error).message.replace(dir, "<dir>");
    }
    throw new Error("expected an ExampleError");
  };

  test("a usable file: mocks, S3 objects with stage variables, the default start time", () => {
    const dir = write(JSON.stringify({ input: { a: 1 }, mocks: { S: { Return: 1 } }, s3: { "{{STAGE}}-b/k.json": [1] } }));
    expect(loadExample("wf", dir)).toEqual({ file: join(dir, "wf.json"), input: { a: 1 }, mocks: { S: { Return: 1 } }, s3: { "{{STAGE}}-b/k.json": "[1]" }, startTime: "2024-06-01T08:00:00.000Z" });
    expect(loadExample("missing", dir)).toBeUndefined();
  });

  test.each([
    ["not JSON", "{", "<dir>/wf.json: is not valid JSON (line 1, column 2: Expected property name or '}'). Fix: fix the JSON."],
    ["no input", "{}", '<dir>/wf.json: has no "input". Fix: add "input": the execution input.'],
    ["an unknown field", '{"input":1,"mock":{}}', '<dir>/wf.json: has unknown field(s) "mock". Fix: use only description, input, mocks, s3, startTime.'],
    [
      "a mock with neither Return nor Throw",
      '{"input":1,"mocks":{"S":{"Result":1}}}',
      '<dir>/wf.json: mocks.S: needs exactly one of Return and Throw. Received: {"Result":1}. Fix: write {"Return": <result>} or {"Throw": {"Error": "<error>", "Cause": "<cause>"}}.',
    ],
    [
      "a Throw without an Error",
      '{"input":1,"mocks":{"S":{"Throw":{"Cause":"x"}}}}',
      '<dir>/wf.json: mocks.S: Throw needs a string Error (and an optional string Cause). Received: {"Cause":"x"}. Fix: write {"Return": <result>} or {"Throw": {"Error": "<error>", "Cause": "<cause>"}}.',
    ],
    ["an S3 name without a key", '{"input":1,"s3":{"bucket":"x"}}', '<dir>/wf.json: s3: is not <bucket>/<key>. Received: "bucket". Fix: name the object "my-bucket/path/to/key".'],
    ["a bad start time", '{"input":1,"startTime":"soon"}', '<dir>/wf.json: "startTime" is not a date. Received: "soon". Fix: write an ISO 8601 time such as "2024-06-01T08:00:00Z".'],
  ])("%s", (_what, text, expected) => {
    expect(message(text)).toBe(expected);
  });

  test("an unusable example is a row saying why, not a failed review", async () => {
    const dir = write("{");
    cpSync(join(dir, "wf.json"), join(dir, "map.json"));
    const rows = await exampleCosts(fixtureSynth(), undefined, options(dir));
    expect(row(rows, "map").problem).toMatch(/^the example cannot be used: .*map\.json: is not valid JSON/);
  });
});
