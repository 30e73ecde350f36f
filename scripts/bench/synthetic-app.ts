// A synthetic catalogue for the scaling benchmark: WORKFLOWS=<n> workflows (copies of the
// shipped templates, with their triggers) on three stages, synthesized to CDKTF_OUTDIR.
import { loadStageConfig } from "../../src/config/stage";
import { WORKFLOWS, type WorkflowSpec } from "../../workflows/catalogue";
import { synthStages } from "../../modules/app";

const count = Number(process.env.WORKFLOWS ?? "100");
// The shipped catalogue itself, then renamed copies up to n (a template that names a sibling
// workflow, {{stateMachineArn "order-processing"}}, finds the original).
const workflows: WorkflowSpec[] = Array.from({ length: count }, (_, i) => {
  const base = WORKFLOWS[i % WORKFLOWS.length];
  return i < WORKFLOWS.length ? base : { ...base, name: `wf${String(i).padStart(3, "0")}-${base.name}`.slice(0, 24) };
});
// Three stages named outright: "test" has no stages/test.env, so it takes the embedded defaults
// (loadStageConfigs would rightly refuse a STAGES entry without configuration).
const configs = ["dev", "test", "prod"].map((stage) => loadStageConfig({ stage, env: {} }));
synthStages(configs, { workflows, full: process.env.SYNTH_FULL === "1" });
