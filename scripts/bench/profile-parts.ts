// Diagnostic: cost of bundling every handler and of rendering + linting every workflow, outside cdktf.
/* eslint-disable @typescript-eslint/no-require-imports */
import { listHandlers } from "../../src/config/handlers";
import { HandlerPackager } from "../../modules/assets/handler-packages";
import { loadStageConfig } from "../../src/config/stage";
import { renderWorkflow } from "../../src/render/render";
import { WORKFLOWS } from "../../workflows/catalogue";
import { tmpdir } from "node:os";
import { join } from "node:path";

const t0 = performance.now();
const packager = new HandlerPackager(join(tmpdir(), "bench-bundles"));
for (const h of listHandlers()) packager.get(h);
const t1 = performance.now();
const config = loadStageConfig();
for (const w of WORKFLOWS) renderWorkflow(w, config);
const t2 = performance.now();
for (const w of WORKFLOWS) renderWorkflow(w, config);
const t3 = performance.now();
console.log(`bundle ${listHandlers().length} handlers ${Math.round(t1 - t0)} ms; render+lint ${WORKFLOWS.length} workflows ${Math.round(t2 - t1)} ms (second time ${Math.round(t3 - t2)} ms)`);
