/**
 * `sfn-workflows review [--stage <s>]... [--base <dir or git ref>] [--plan <plan.json>] [--out <dir>] [--synth <dir>] [--screenshot <file.png>]`
 * Writes review.md (a pull-request comment) and review.html per stage. See src/review/README.md.
 * Every input is read and checked before anything is written.
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "../../errors";
import { defineCommand } from "../command";
import { checkJsonDepth, checkOutputFolder, readTextFile } from "../files";

export default defineCommand({
  name: "review",
  summary: "write review.md and review.html (diagrams, IAM, changes, plan summary) for pull requests",
  synopsis: "[--stage <stage>]... [--base <folder or git ref>] [--plan <plan.json>] [--out <folder>] [--synth <cdktf.out>] [--screenshot <file.png>]",
  description: "Each stage goes to <out>/<stage>/. Nothing is written unless every input is good.",
  options: {
    stage: { type: "string", multiple: true, value: "<stage>", description: "stage to review; default: STAGES, else STAGE, else the .env default" },
    base: { type: "string", value: "<folder|ref>", description: "compare with an earlier synthesis: a folder holding cdktf.out (or its stacks/), or a git ref synthesized in a temporary worktree" },
    plan: { type: "string", value: "<plan.json>", description: "summarise a Terraform plan: terraform show -json plan.out > plan.json" },
    out: { type: "string", value: "<folder>", description: "output folder (default cdktf.out/review)" },
    synth: { type: "string", value: "<cdktf.out>", description: "where the synthesis is (default cdktf.out)" },
    screenshot: { type: "string", value: "<file.png>", description: "also save a screenshot of the (first stage's) page" },
  },
  async run({ values }, io) {
    const plan = values.plan as string | undefined;
    if (plan !== undefined) {
      const where = `--plan ${plan}`;
      checkJsonDepth(readTextFile(plan, { cwd: io.cwd, where, fix: "pass the output of `terraform show -json plan.out > plan.json`" }), where);
    }
    const out = (values.out as string | undefined) ?? "cdktf.out/review";
    checkOutputFolder(out, { cwd: io.cwd, where: `--out ${out}` });
    const screenshot = values.screenshot as string | undefined;
    const { runReview } = await import("../../review/run");
    if (screenshot !== undefined) {
      checkOutputFolder(dirname(resolve(io.cwd, screenshot)), { cwd: io.cwd, where: `--screenshot ${screenshot}` });
      // Before anything is written: the screenshot comes last.
      const { chromiumAvailable, chromiumMissing } = await import("../../review/browser");
      if (!chromiumAvailable()) throw new UsageError({ where: `--screenshot ${screenshot}`, what: chromiumMissing() });
    }
    await runReview(
      {
        stages: (values.stage as string[] | undefined) ?? [],
        base: values.base as string | undefined,
        plan,
        out,
        synth: values.synth as string | undefined,
        screenshot,
      },
      { cwd: io.cwd, env: io.env, log: io.stdout },
    );
    return 0;
  },
});
