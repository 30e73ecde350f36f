// The cdktf app: one stack per stage (STAGES=a,b or STAGE; see README). `npx cdktf synth`
// runs it through cdktf.json; `npm run synth` (src/cli/synth.ts) runs it directly and adds an HCL copy
// written by src/hcl from the JSON.
import { loadStageConfigs } from "./src/config/stage";
import { ProjectError } from "./src/errors";
import { synthStages } from "./modules/app";
import { extraStatements, stageHook } from "./modules/stage-hook";

try {
  synthStages(loadStageConfigs(), {
    bootstrap: process.env.BOOTSTRAP === "1" ? true : undefined,
    // The per-stage escape hatch and a team's own constructs (modules/stage-hook.ts).
    extraStatements,
    stageHook,
    reportFile: process.env.SYNTH_REPORT_FILE || undefined,
    // SYNTH_FULL=1: cdktf's own App.synth(), preparation pass included (npm run bench:synth compares).
    full: process.env.SYNTH_FULL === "1",
  });
} catch (error) {
  // Configuration, template, lint and IAM errors already say what, where and how to fix: no stack trace.
  if (!(error instanceof ProjectError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
