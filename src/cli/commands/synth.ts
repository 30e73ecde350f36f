/**
 * `sfn-workflows synth [--stage <stage>]... [--out <folder>]`: renders, lints
 * and synthesizes the stages into cdktf.out (JSON, plus HCL under hcl/).
 * The stage configuration and the output folder are checked first, so a bad
 * stage or path is one line (exit 2) and nothing is written. The work itself
 * is in src/cli/synth.ts.
 */
import { dirname, join } from "node:path";
import { UsageError } from "../../errors";
import { defineCommand } from "../command";
import { checkOutputFolder } from "../files";

export default defineCommand({
  name: "synth",
  summary: "render, lint and synthesize the stages into cdktf.out (JSON, plus HCL in cdktf.out/hcl)",
  synopsis: "[--stage <stage>]... [--out <folder>]",
  description: "A failed run prints why, exits 1 and leaves the previous output untouched.",
  options: {
    stage: { type: "string", multiple: true, value: "<stage>", description: "stage to synthesize; default: STAGES, else STAGE, else the .env default" },
    out: { type: "string", value: "<folder>", description: "output folder (default: cdktf.out in the repository; cdktf.out in the working folder when this project is installed as a dependency)" },
  },
  async run({ values }, io) {
    const [{ REPO_ROOT }, { loadStageConfigs }, { synthesize }] = await Promise.all([
      import("../../config/handlers"),
      import("../../config/stage"),
      import("../synth"),
    ]);
    const stages = (values.stage as string[] | undefined) ?? [];
    const listed = stages.find((s) => s.includes(","));
    if (listed !== undefined) throw new UsageError({ where: "--stage", what: "takes one stage", received: listed, fix: "repeat the flag: --stage dev --stage prod" }, "synth");
    const given = values.out as string | undefined;
    const out = given === undefined ? defaultOut(REPO_ROOT, io.cwd) : checkOutputFolder(given, { cwd: io.cwd, where: `--out ${given}` });
    checkOutputFolder(dirname(out), { cwd: io.cwd, where: `--out ${given ?? out}` });
    // The app reads .env from the repository (its working folder): check the same configuration here, before compiling.
    const env = stages.length > 0 ? { ...io.env, STAGES: stages.join(","), STAGE: "" } : io.env;
    loadStageConfigs({ cwd: REPO_ROOT, env });
    return synthesize({ out, stages, debug: values.debug === true, outLabel: `--out ${given ?? out}` }, io);
  },
});

/**
 * cdktf.out in the repository; when the project is installed as another
 * project's dependency (it sits under node_modules/), cdktf.out in the working
 * folder instead, never inside node_modules.
 */
export function defaultOut(repoRoot: string, cwd: string): string {
  return repoRoot.split(/[\\/]/).includes("node_modules") ? join(cwd, "cdktf.out") : join(repoRoot, "cdktf.out");
}
