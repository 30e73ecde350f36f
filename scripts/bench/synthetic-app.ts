// A synthetic catalogue for the scaling benchmark: WORKFLOWS=<n> workflows (copies of the
// shipped templates, with their triggers) on three stages, synthesized to CDKTF_OUTDIR.
import { loadStageConfigs } from "../../src/config/stage";
import { WORKFLOWS, type WorkflowSpec } from "../../workflows/catalogue";
import { synthStages } from "../../modules/app";

const count = Number(process.env.WORKFLOWS ?? "100");
const workflows: WorkflowSpec[] = Array.from({ length: count }, (_, i) => {
  const base = WORKFLOWS[i % WORKFLOWS.length];
  return { ...base, name: `wf${String(i).padStart(3, "0")}-${base.name}`.slice(0, 24) };
});
const configs = loadStageConfigs({ env: { STAGES: "dev,test,prod" } });
synthStages(configs, { workflows, full: process.env.SYNTH_FULL === "1" });
