// Where synthesis time goes (module loading, config, constructs, synth): a diagnostic for the benchmark.
/* eslint-disable @typescript-eslint/no-require-imports */
const t0 = performance.now();
const { App } = require("cdktf") as typeof import("cdktf");
const t1 = performance.now();
const { loadStageConfigs } = require("../../src/config/stage") as typeof import("../../src/config/stage");
const { addStages } = require("../../modules/app") as typeof import("../../modules/app");
const t2 = performance.now();
const configs = loadStageConfigs();
const t3 = performance.now();
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
addStages(app, configs);
const t4 = performance.now();
app.synth();
const t5 = performance.now();
const ms = (n: number) => `${Math.round(n)} ms`;
console.log(
  `load cdktf ${ms(t1 - t0)}, load modules ${ms(t2 - t1)}, config ${ms(t3 - t2)}, constructs ${ms(t4 - t3)}, synth ${ms(t5 - t4)}, max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
