// Diagnostic: time of the synthesis phase alone (constructs + synth) with and without cdktf's
// preparation pass, in one process after a warm-up, default stage and the 100 x 3 catalogue.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfigs } from "../../src/config/stage";
import { WORKFLOWS, type WorkflowSpec } from "../../workflows/catalogue";
import { synthStages } from "../../modules/app";

const many: WorkflowSpec[] = Array.from({ length: 100 }, (_, i) => {
  const base = WORKFLOWS[i % WORKFLOWS.length];
  return { ...base, name: `wf${String(i).padStart(3, "0")}-${base.name}`.slice(0, 24) };
});
const cases = [
  { label: "default stage", configs: loadStageConfigs({ env: { STAGES: "", STAGE: "" } }), workflows: undefined },
  { label: "100 workflows x 3 stages", configs: loadStageConfigs({ env: { STAGES: "dev,test,prod" } }), workflows: many },
];
const runs = Number(process.env.RUNS ?? "3");
for (const c of cases) {
  for (const full of [false, true, false, true].slice(0, 2)) {
    const times: number[] = [];
    for (let i = 0; i <= runs; i += 1) {
      const out = mkdtempSync(join(tmpdir(), "prepare-skip-"));
      const cpu = process.cpuUsage();
      synthStages(c.configs, { outdir: out, workflows: c.workflows, full });
      const used = process.cpuUsage(cpu);
      if (i > 0) times.push((used.user + used.system) / 1e6); // the first run warms caches
      rmSync(out, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    console.log(`${c.label.padEnd(26)} ${full ? "cdktf's App.synth()" : "without preparation"}: cpu ${times[Math.floor(times.length / 2)].toFixed(2)} s (median of ${runs})`);
  }
}
