import { ProjectError } from "../errors";

/**
 * A problem with the review's input (stage, base, plan): the CLI prints the
 * message and exits non-zero without writing anything.
 */
export class ReviewError extends ProjectError {}

export const reviewMessages = {
  noStack: (stack: string, dir: string, available: readonly string[]) =>
    `No synthesized stack "${stack}" in ${dir}. ` +
    (available.length > 0 ? `Stacks found: ${available.join(", ")}. ` : "No stacks found there. ") +
    `Fix: run \`npm run synth\` for this stage (STAGE=<stage> npm run synth) or pass a stage that exists with --stage.`,
  badSynth: (file: string, detail: string) =>
    `${file} is not a cdktf synthesis (cdk.tf.json): ${detail}. Fix: re-run \`npm run synth\`.`,
  baseHoldsNoSynth: (dir: string) =>
    `--base ${dir}: this folder holds no synthesis (looked for ${dir}/cdktf.out/stacks, ${dir}/stacks). ` +
    `Fix: pass a folder that contains a cdktf.out (or its stacks/ folder), or a git ref such as main or HEAD~1.`,
  baseStackMissing: (base: string, stack: string, available: readonly string[]) =>
    `--base ${base}: the base synthesis has no stack "${stack}"` +
    (available.length > 0 ? ` (it has: ${available.join(", ")})` : "") +
    `. Fix: pass a base synthesized for the same stage.`,
  unknownRef: (ref: string) =>
    `--base ${ref}: neither a folder nor a git ref that exists in this repository. ` +
    `Fix: pass an existing folder holding a cdktf.out, or a branch, tag or commit (git fetch it first if it is remote).`,
  baseSynthFailed: (ref: string, detail: string) =>
    `--base ${ref}: synthesizing the base in a temporary git worktree failed: ${detail.trim()}. ` +
    `Fix: check that \`npm run synth\` works at ${ref}, or synthesize it yourself and pass the folder.`,
  planUnreadable: (file: string, detail: string) =>
    `--plan ${file}: cannot read the file (${detail}). Fix: pass the output of \`terraform show -json plan.out > plan.json\`.`,
  notAPlan: (file: string, detail: string) =>
    `--plan ${file} is not a Terraform JSON plan: ${detail}. ` +
    `Fix: create it with \`terraform plan -out plan.out && terraform show -json plan.out > plan.json\`.`,
  badArgument: (detail: string) =>
    `${detail}. Run \`sfn-workflows review --help\` for the usage.`,
};
