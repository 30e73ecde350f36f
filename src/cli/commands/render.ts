/**
 * `sfn-workflows render <workflow> [--stage <stage>]`: prints one catalogued
 * workflow's rendered, linted ASL, pretty-printed with sorted keys. Lint
 * warnings go to stderr; lint errors stop it (exit 1).
 */
import { defineCommand } from "../command";

export default defineCommand({
  name: "render",
  summary: "print one workflow's rendered ASL (pretty, key-sorted); lint warnings on stderr",
  synopsis: "<workflow> [--stage <stage>]",
  positionals: { min: 1, max: 1, name: "a workflow name" },
  options: {
    stage: { type: "string", value: "<stage>", description: "stage whose configuration renders the template (default: STAGE, else .env, else dev)" },
  },
  async run({ values, positionals }, io) {
    const [{ loadStageConfig }, { getWorkflow }, { renderWorkflow }, { formatFinding }] = await Promise.all([
      import("../../config/stage"),
      import("../../catalogue"),
      import("../../render/render"),
      import("../../asl/findings"),
    ]);
    const spec = getWorkflow(positionals[0]);
    const config = loadStageConfig({ cwd: io.cwd, env: io.env, stage: values.stage as string | undefined });
    const rendered = renderWorkflow(spec, config);
    for (const finding of rendered.findings) io.stderr(formatFinding(finding));
    io.stdout(rendered.json);
    return 0;
  },
});
