/** The gradual-rollout plans (10% and 50% against 100%) against the applied default stage. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withoutUnservable } from "./moto";
import { type Context, type ResourceChange, resourceChanges, step } from "./plans";
import { type Stack, cleanEnv } from "./synthesis";
import { TIMEOUT_MS, failure, run } from "./tools";

/** The workflow whose gradual rollout is planned against the applied stage. */
export const ROLLOUT_WORKFLOW = { variable: "ROLLOUT_ORDER_PROCESSING", alias: "aws_sfn_alias.order_processing" };

/** 100% is the stage without a rollout: the baseline the other steps are compared with. */
export const ROLLOUT_WEIGHTS = [100, 10, 50] as const;

export interface RolloutStep {
  weight: number;
  /** Addresses whose planned change (actions, planned values) differs from the plan at 100%. */
  differs: string[];
  /** How many resources the plan at this weight would change at all (moto drift included). */
  changes: number;
}

/**
 * A gradual rollout is one change of the alias's routing: with the default
 * stage applied, synthesize it again at each weight (previous version 1, the
 * one the apply published), plan against the applied state, and compare each
 * plan with the plan at 100% (no rollout). moto does not hand back every
 * attribute as AWS would, so a plan against it shows drift; comparing plans
 * against the same state cancels that out, and whatever differs is what the
 * rollout changes.
 */
export async function rolloutPlans(ctx: Context, stack: Stack, dir: string, seconds: Record<string, number>): Promise<RolloutStep[]> {
  const repo = join(ctx.work, `repo-${stack.variant}`);
  const plans = new Map<number, Map<string, ResourceChange>>();
  for (const weight of ROLLOUT_WEIGHTS) {
    const where = `${stack.id} (JSON, rollout at ${weight}% planned against the applied stage)`;
    const synthDir = join(ctx.work, `synth-rollout-${weight}`);
    const env = cleanEnv({ [ROLLOUT_WORKFLOW.variable]: `previous=1,weight=${weight}` });
    const r = await run(process.execPath, [join(repo, "bin", "sfn-workflows.mjs"), "synth", "--out", synthDir], repo, env, 300_000);
    if (r.code !== 0) throw failure(`synthesis (${ROLLOUT_WORKFLOW.variable}=previous=1,weight=${weight})`, "npm run synth", r, 300_000);
    const json = JSON.parse(readFileSync(join(synthDir, "stacks", stack.name, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(withoutUnservable(json).doc, null, 2));
    await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-refresh=false", `-out=rollout-${weight}.tfplan`], TIMEOUT_MS.plan, seconds, `rollout ${weight}% plan`);
    const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", `rollout-${weight}.tfplan`], TIMEOUT_MS.show, seconds, `rollout ${weight}% show`);
    plans.set(weight, resourceChanges(shown.stdout));
  }
  return rolloutSteps(plans);
}

/** Each weight's plan compared with the plan at 100%. */
export function rolloutSteps(plans: ReadonlyMap<number, ReadonlyMap<string, { actions: string[]; after: unknown }>>): RolloutStep[] {
  const base = plans.get(100) ?? new Map();
  const changing = (m: ReadonlyMap<string, { actions: string[] }>) => [...m.values()].filter((c) => !c.actions.every((a) => a === "no-op" || a === "read")).length;
  return [...plans.entries()].map(([weight, plan]) => {
    const addresses = new Set([...plan.keys(), ...base.keys()]);
    const differs = [...addresses]
      .filter((a) => JSON.stringify({ x: plan.get(a)?.actions, y: plan.get(a)?.after }) !== JSON.stringify({ x: base.get(a)?.actions, y: base.get(a)?.after }))
      .sort();
    return { weight, differs, changes: changing(plan) };
  });
}

/** What each rollout step must change relative to 100%: the alias alone. */
export function rolloutProblems(steps: readonly RolloutStep[]): string[] {
  return steps.flatMap(({ weight, differs }) => {
    const expected = weight === 100 ? [] : [ROLLOUT_WORKFLOW.alias];
    return JSON.stringify(differs) === JSON.stringify(expected)
      ? []
      : [`rollout at ${weight}%: expected the plan to differ from 100% in ${expected.length ? expected.join(", ") : "nothing"}; it differs in ${differs.length ? differs.join(", ") : "nothing"}`];
  });
}

// ---------- main ----------
