/**
 * `sfn-workflows module [--out <folder>] [--examples <folder>]`: the workflows as
 * a stage-agnostic Terraform module, and an example root per configured stage.
 * The work is in src/module/ (README: "Terraform-native teams").
 */
import { defineCommand } from "../command";
import { checkOutputFolder } from "../files";

export default defineCommand({
  name: "module",
  summary: "write the workflows as a stage-agnostic Terraform module (cdktf.out/module) with an example root per stage",
  synopsis: "[--out <folder>] [--examples <folder>]",
  description:
    "project_name and stage are the module's required inputs; every other stage setting is a variable with the embedded default. A template that branches on a stage value is refused with its line.",
  options: {
    out: { type: "string", value: "<folder>", description: "module folder (default: cdktf.out/module in the repository); replaced" },
    examples: { type: "string", value: "<folder>", description: "example roots, one folder per configured stage (default: module-examples beside --out); replaced" },
  },
  async run({ values }, io) {
    const out = values.out as string | undefined;
    const examples = values.examples as string | undefined;
    if (out !== undefined) checkOutputFolder(out, { cwd: io.cwd, where: `--out ${out}` });
    if (examples !== undefined) checkOutputFolder(examples, { cwd: io.cwd, where: `--examples ${examples}` });
    const { runModule } = await import("../../module/cli");
    return runModule({ out, examples }, io);
  },
});
