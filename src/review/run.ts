/**
 * `npm run review`: reads the synthesized stack of each stage, optionally a
 * base synthesis and a Terraform plan, and writes `review.md` and
 * `review.html` per stage. Every input is read and checked before anything is
 * written; files go to a temporary folder that is renamed into place.
 */

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve as resolvePath } from "node:path";
import { derivePermissions, permissionFindings } from "../asl/iam";
import { derivationFor } from "./derivation";
import { lintDefinition } from "../asl/lint";
import { loadStageConfig, loadStageConfigs, templateVariables } from "../config/stage";
import { names } from "../config/naming";
import { type BaseSynths, loadBase } from "./base";
import { checkPage } from "./browser";
import { toMarkdown } from "./document";
import { ReviewError, reviewMessages } from "./errors";
import { toHtmlPage } from "./html";
import { readPlan } from "./plan";
import { buildReview } from "./report";
import { findStacksDir, loadSynth } from "./synth";
import { diffSynth } from "./synth-diff";
import { type WorkflowAnalysers } from "./workflows";
import { type ExampleCostRow, exampleCosts } from "./example-cost";
import { WORKFLOWS } from "../../workflows/catalogue";

/** GitHub rejects issue and pull-request comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface ReviewArgs {
  readonly stages: readonly string[];
  readonly base?: string;
  readonly plan?: string;
  readonly out?: string;
  /** Folder holding the synthesis (a cdktf.out or its stacks/). @default cdktf.out */
  readonly synth?: string;
  readonly screenshot?: string;
}

/** The engine's IAM derivation and lint, given what the synthesis gave them. */
export const ENGINE_ANALYSERS: WorkflowAnalysers = {
  // The options the stack recorded for this state machine: the same derivation, escape hatch included.
  derive: (definition, { workflow, file, synth, machine }) => derivePermissions(definition, derivationFor(synth, machine, definition, { workflow, file })),
  permissionFindings,
  lint: (definition, options) => lintDefinition(definition, options),
};

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly analysers?: WorkflowAnalysers;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** The folder of example executions the cost section runs. @default workflows/examples */
  readonly examplesDir?: string;
}

export interface RunResult {
  /** The per-stage folders written. */
  readonly folders: readonly string[];
}

/** Runs the review; throws ReviewError / ProjectError on bad input, having written nothing. */
export async function runReview(args: ReviewArgs, options: RunOptions = {}): Promise<RunResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const configs =
    args.stages.length > 0
      ? args.stages.map((stage) => loadStageConfig({ cwd, env: options.env, stage }))
      : loadStageConfigs({ cwd, env: options.env });
  const synthRoot = resolvePath(cwd, args.synth ?? "cdktf.out");
  const stacksDir = findStacksDir(synthRoot) ?? join(synthRoot, "stacks");
  const targets = configs.map((config) => {
    const stack = names.stack(config);
    return { config, stage: config.stage, stack, synth: loadSynth(stacksDir, stack) };
  });
  if (args.plan && targets.length > 1) {
    throw new ReviewError(reviewMessages.badArgument(`--plan belongs to one stage, but ${targets.length} stages are selected (${targets.map((t) => t.stage).join(", ")}); pass --stage`));
  }
  const plan = args.plan ? { label: args.plan, summary: readPlan(resolvePath(cwd, args.plan)) } : undefined;
  const base: BaseSynths | undefined = args.base
    ? loadBase(args.base, { cwd, stacks: targets.map((t) => t.stack), stages: targets.map((t) => t.stage) })
    : undefined;

  const outRoot = resolvePath(cwd, args.out ?? join("cdktf.out", "review"));
  // Every input is good: run each workflow's example on both sides (a failing example is reported, not thrown).
  const costs: ExampleCostRow[][] = [];
  for (const t of targets) {
    costs.push(
      await exampleCosts(t.synth, base?.synths.get(t.stack), { stage: t.config, variables: templateVariables(t.config), examplesDir: options.examplesDir }, WORKFLOWS.map((w) => w.name)),
    );
  }
  const pages = targets.map((t, i) => {
    const review = buildReview({
      stage: t.stage,
      synth: t.synth,
      synthLabel: relative(cwd, t.synth.file) || t.synth.file,
      base: base ? { label: base.label, diff: diffSynth(base.synths.get(t.stack) ?? t.synth, t.synth) } : undefined,
      plan,
      analysers: options.analysers ?? ENGINE_ANALYSERS,
      costs: costs[i],
    });
    return { stage: t.stage, markdown: toMarkdown(review.blocks), html: toHtmlPage(review.title, review.blocks) };
  });

  // Everything is known to be good: stage each folder beside its destination, then swap it in.
  mkdirSync(outRoot, { recursive: true });
  const staged = pages.map((page) => {
    const temp = join(outRoot, `.${page.stage}.tmp-${process.pid}`);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    writeFileSync(join(temp, "review.md"), page.markdown);
    writeFileSync(join(temp, "review.html"), page.html);
    return { temp, final: join(outRoot, page.stage) };
  });
  for (const s of staged) {
    rmSync(s.final, { recursive: true, force: true });
    renameSync(s.temp, s.final);
    log(`Wrote ${relative(cwd, join(s.final, "review.md"))} and review.html`);
    const size = pages[staged.indexOf(s)].markdown.length;
    if (size > GITHUB_COMMENT_LIMIT) {
      log(`Warning: review.md is ${size} characters; a GitHub comment holds at most ${GITHUB_COMMENT_LIMIT}. Attach review.html or post the sections separately.`);
    }
  }
  if (args.screenshot) {
    const file = resolvePath(cwd, args.screenshot);
    const check = await checkPage(join(staged[0].final, "review.html"), { screenshot: file, viewport: { width: 1100, height: 1400 } });
    if (check.errors.length > 0 || check.status !== "done") {
      throw new ReviewError(`The page rendered with problems (status ${check.status}): ${check.errors.join("; ")}. The screenshot at ${args.screenshot} shows them.`);
    }
    log(`Saved ${relative(cwd, file)}`);
  }
  return { folders: staged.map((s) => s.final) };
}
