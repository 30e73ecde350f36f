/**
 * The review against the project's real synthesis (main.ts into a temporary
 * cdktf.out): every shipped workflow gets its diagram, and each IAM table is
 * exactly the policy the stack attaches to that workflow's role.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { names } from "../../src/config/naming";
import { loadStageConfig } from "../../src/config/stage";
import { REPO_ROOT } from "../../src/config/handlers";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { StatesError, runWorkflow } from "../../src/executor/index";
import { executionCost } from "../../src/executor/cost";
import { templateVariables } from "../../src/config/stage";
import { type ExampleCostRow, exampleCosts } from "../../src/review/example-cost";
import { expandVariables, loadExample } from "../../src/review/examples";
import { mermaidDiagram } from "../../src/review/mermaid";
import { ENGINE_ANALYSERS } from "../../src/review/run";
import { type Synth, isJsonObject, listOf, loadSynth, resolve } from "../../src/review/synth";
import { type WorkflowReview, functionNamer, reviewWorkflows } from "../../src/review/workflows";
import { WORKFLOWS } from "../../workflows/catalogue";
import { readDiagram, renderShipped, tempDir } from "./helpers";

const env = { ...process.env, STAGE: "", STAGES: "" };
const config = loadStageConfig({ cwd: REPO_ROOT, env });
let synth: Synth;
let workflows: WorkflowReview[];

beforeAll(() => {
  const out = join(tempDir(), "cdktf.out");
  const run = spawnSync("npx", ["tsx", "main.ts"], { cwd: REPO_ROOT, env: { ...env, CDKTF_OUTDIR: out }, encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`synth failed (exit ${run.status}): ${run.stderr}`);
  synth = loadSynth(join(out, "stacks"), names.stack(config));
  workflows = reviewWorkflows(synth, ENGINE_ANALYSERS);
}, 150_000);

test("every shipped workflow is reviewed, with a parsed definition", () => {
  expect(workflows.map((w) => w.workflow).sort()).toEqual(WORKFLOWS.map((w) => w.name).sort());
  for (const w of workflows) expect(w.definition).toBeDefined();
});

test.each(["order-processing", "parallel", "map", "choice"])("%s: the diagram of the deployed definition is the diagram of the template", (name) => {
  const w = workflows.find((x) => x.workflow === name) as WorkflowReview;
  const deployed = mermaidDiagram(w.definition as Record<string, unknown>, { functionName: functionNamer(synth) });
  expect(deployed).toBe(mermaidDiagram(renderShipped(name)));
  expect(readDiagram(deployed).edges.filter((e) => e.startsWith("Start --> "))).toHaveLength(1);
});

test.each(WORKFLOWS.map((w) => w.name))("%s: the IAM table rows are the statements of the role's policy document", (name) => {
  const w = workflows.find((x) => x.workflow === name) as WorkflowReview;
  // Found independently of the review's reference walk: the customer-managed policy named after the role.
  const policyName = names.stateMachineRole(config, name);
  const policies = [...synth.blocks.values()].filter((b) => b.type === "aws_iam_policy" && b.body.name === policyName);
  expect(policies).toHaveLength(1);
  const documents = resolve(synth, policies[0].body.policy, "aws_iam_policy_document");
  expect(documents).toHaveLength(1);
  const statements = listOf(documents[0].body.statement).map((s) => ({
    sid: s.sid,
    effect: s.effect ?? "Allow",
    actions: s.actions,
    resources: s.resources,
  }));
  expect(statements.length).toBeGreaterThan(0);
  expect(w.permissions.map((r) => ({ sid: r.sid, effect: r.effect, actions: r.actions, resources: r.resources }))).toEqual(statements);
  // Every row says why it is there.
  for (const row of w.permissions) expect(row.why).not.toBe("");
  expect(isJsonObject(documents[0].body)).toBe(true);
});

test("order processing shows its three triggers, each through the stage alias, the alias routing and its alarms", () => {
  const w = workflows.find((x) => x.workflow === "order-processing") as WorkflowReview;
  expect(w.triggers).toEqual([
    expect.stringMatching(/^EventBridge rule my-app-dev-order-processing on bus my-app-dev-events: pattern \{"detail-type":\["Order Created"\],"source":\["myapp.orders"\]\}.* \(through alias dev\)$/),
    expect.stringMatching(/^SQS queue my-app-dev-order-processing \(dead-letter queue my-app-dev-order-processing-dlq.* \(through alias dev\)$/),
    "HTTP API my-app-dev-order-processing: POST /orders (AWS_IAM authorization, StepFunctions-StartExecution) (through alias dev)",
  ]);
  expect(w.routing).toEqual(["Alias dev: 100% the version this deployment publishes"]);
  expect(w.alarms.length).toBeGreaterThan(0);
});

test("the wait workflow shows its schedule with time zone and flexible window", () => {
  const w = workflows.find((x) => x.workflow === "wait") as WorkflowReview;
  expect(w.triggers).toEqual(["EventBridge Scheduler my-app-dev-wait: cron(0 6 * * ? *) (Europe/London), flexible window 15 min (through alias dev)"]);
});

describe("each catalogued workflow's example (workflows/examples/<workflow>.json)", () => {
  let rows: ExampleCostRow[];
  let stdout: jest.SpyInstance;
  beforeAll(async () => {
    stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    rows = await exampleCosts(synth, undefined, { stage: config, variables: templateVariables(config) }, WORKFLOWS.map((w) => w.name));
  }, 60_000);
  afterAll(() => stdout.mockRestore());

  test("every workflow has one, in catalogue order", () => {
    expect(rows.map((r) => [r.workflow, r.problem])).toEqual(WORKFLOWS.map((w) => [w.name, undefined]));
  });

  // The deployed definition (references resolved to local values) bills what the template run by runWorkflow bills.
  test.each(WORKFLOWS.map((w) => w.name))("%s: succeeds on the deployed definition, costing what the template costs", async (name) => {
    const row = rows.find((r) => r.workflow === name) as ExampleCostRow;
    expect(row.after.kind).toBe("ran");
    const example = loadExample(name)!;
    const s3Dir = tempDir();
    for (const [object, content] of Object.entries(example.s3)) {
      const path = join(s3Dir, expandVariables(object, templateVariables(config), object));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const mocks = Object.fromEntries(
      Object.entries(example.mocks).map(([state, m]) => [state, () => ("Throw" in m ? Promise.reject(new StatesError(m.Throw.Error, m.Throw.Cause)) : m.Return)]),
    );
    const direct = await runWorkflow(name, example.input, { cwd: REPO_ROOT, startTime: example.startTime, jitterSeed: 1, mocks, s3Dir, executionName: "review-example" });
    expect(direct.status).toBe("SUCCEEDED");
    const spec = WORKFLOWS.find((w) => w.name === name)!;
    expect(row.after).toEqual({ kind: "ran", cost: executionCost(direct, { type: spec.type }), childExecutions: name === "order-fulfilment" ? 1 : 0 });
  });
});
