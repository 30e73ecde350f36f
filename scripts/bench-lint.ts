/**
 * `npx tsx scripts/bench-lint.ts [rounds]`
 * Time to render and lint every shipped workflow: the first pass (schemas compiled,
 * templates compiled) and the mean of warm passes, with render and lint split.
 */
import { lintDefinition } from '../src/asl/lint';
import { loadStageConfig } from '../src/config/stage';
import { renderTemplate } from '../src/render/render';
import { WORKFLOWS } from '../workflows/catalogue';

const rounds = Number(process.argv[2] ?? 20);
const config = loadStageConfig({});

function pass(): { render: number; lint: number; findings: number } {
  let render = 0;
  let lint = 0;
  let findings = 0;
  for (const spec of WORKFLOWS) {
    const t0 = performance.now();
    const { definition } = renderTemplate(spec.template, config);
    const t1 = performance.now();
    findings += lintDefinition(definition, { file: spec.template, workflow: spec.name, type: spec.type }).length;
    render += t1 - t0;
    lint += performance.now() - t1;
  }
  return { render, lint, findings };
}

const first = pass();
const warm = Array.from({ length: rounds }, pass);
const mean = (k: 'render' | 'lint'): number => warm.reduce((s, r) => s + r[k], 0) / warm.length;
console.log(`${WORKFLOWS.length} shipped workflows, ${first.findings} finding(s)`);
console.log(`first pass: render ${first.render.toFixed(0)} ms, lint ${first.lint.toFixed(0)} ms (includes compiling asl-validator's schemas once)`);
console.log(`warm pass (mean of ${rounds}): render ${mean('render').toFixed(1)} ms, lint ${mean('lint').toFixed(1)} ms for all ${WORKFLOWS.length} (${(mean('lint') / WORKFLOWS.length).toFixed(2)} ms per workflow)`);
