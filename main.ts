// The cdktf app: one stack per stage. `npx cdktf synth` runs it through cdktf.json;
// `npm run synth` (src/cli/synth.ts) runs it directly and also writes HCL.
import { loadStageConfigs } from "./src/config/stage";
import { synthStages } from "./modules/app";

synthStages(loadStageConfigs(), {
  bootstrap: process.env.BOOTSTRAP === "1" ? true : undefined,
  hclOutdir: process.env.SYNTH_HCL_OUTDIR || undefined,
  reportFile: process.env.SYNTH_REPORT_FILE || undefined,
});
