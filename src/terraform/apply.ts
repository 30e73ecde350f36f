/** apply and destroy of the default stage against moto, then the rollout plans against the applied stage. */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withoutUnservable, writeOverride } from "./moto";
import { type Context, resourceChanges, step } from "./plans";
import { type RolloutStep, rolloutPlans } from "./rollout";
import { type Stack } from "./synthesis";
import { CheckFailure, type RunResult, TIMEOUT_MS } from "./tools";

function count(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

interface ApplyResult {
  /** Per rollout weight: the addresses a plan against the applied stage would change. */
  rollout: RolloutStep[];
  planned: number;
  created: number;
  inState: number;
  destroyed: number;
  /** Resources moto lost before the destroy (concurrent writes under load): its delete answered not found, a refresh dropped them. */
  lost: number;
  left: number;
  removed: string[];
  seconds: Record<string, number>;
}

export async function applyAndDestroy(ctx: Context, stack: Stack): Promise<ApplyResult> {
  const where = `${stack.id} (JSON, apply/destroy against moto)`;
  const dir = join(ctx.work, "tf", `${stack.variant}-${stack.name}-apply`);
  const seconds: Record<string, number> = {};
  cpSync(stack.json, dir, { recursive: true });
  const file = join(dir, "cdk.tf.json");
  const { doc, removed } = withoutUnservable(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  writeOverride(dir, ctx, where);
  await step(ctx, where, dir, ["init", "-input=false", "-no-color"], TIMEOUT_MS.init, seconds);
  let planned = 0;
  let applied: RunResult | undefined;
  // moto's threaded server can answer a create with a server error after storing the resource under load;
  // the provider's retry then gets EntityAlreadyExists. Such a run is moto's, not the stack's: start once
  // more from an empty moto and an empty state, and say so. A second failure fails the check.
  for (let attempt = 1; applied === undefined; attempt++) {
    await ctx.moto.reset();
    rmSync(join(dir, "terraform.tfstate"), { force: true });
    rmSync(join(dir, "terraform.tfstate.backup"), { force: true });
    await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-out=apply.tfplan"], TIMEOUT_MS.plan, seconds);
    const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", "apply.tfplan"], TIMEOUT_MS.show, seconds);
    planned = [...resourceChanges(shown.stdout).values()].filter((c) => c.actions.includes("create")).length;
    try {
      applied = await step(ctx, where, dir, ["apply", "-input=false", "-no-color", "-parallelism=4", "apply.tfplan"], TIMEOUT_MS.apply, seconds);
    } catch (error) {
      if (attempt > 1 || !(error instanceof CheckFailure) || !/already exists|AlreadyExists/.test(error.message)) throw error;
      console.log(`  apply attempt 1 failed on a duplicate create against moto (${/Error: ([^\n]*)/.exec(error.message)?.[1] ?? "already exists"}); starting again from an empty moto and state`);
    }
  }
  const created = count(applied.stdout, /Resources: (\d+) added/) ?? -1;
  const managed = async () => (await step(ctx, where, dir, ["state", "list"], TIMEOUT_MS.state, seconds, "state")).stdout.trim().split("\n").filter((l) => l && !l.startsWith("data."));
  const inState = (await managed()).length;
  const rollout = await rolloutPlans(ctx, stack, dir, seconds);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const destroyArgs = ["destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=4"];
  let destroyed: number;
  let lost = 0;
  try {
    const destroyedRun = await step(ctx, where, dir, destroyArgs, TIMEOUT_MS.destroy, seconds);
    destroyed = count(destroyedRun.stdout, /Resources: (\d+) destroyed/) ?? -1;
  } catch (error) {
    // moto's threaded server can lose a write made beside another on the same state machine under load
    // (seen once: an alias that apply created and state holds, then "does not exist" on delete). Destroy
    // once more: its refresh drops what moto no longer has; count that apart and say so. Any other failure,
    // or a second one, fails the check.
    if (!(error instanceof CheckFailure) || !/ResourceNotFound|NotFound|[Dd]oes [Nn]ot [Ee]xist/.test(error.message)) throw error;
    const remaining = (await managed()).length;
    console.log(`  destroy attempt 1 failed on a resource moto no longer has (${/Error: ([^\n]*)/.exec(error.message)?.[1] ?? "not found"}); destroying once more`);
    const again = await step(ctx, where, dir, destroyArgs, TIMEOUT_MS.destroy, seconds);
    const second = count(again.stdout, /Resources: (\d+) destroyed/) ?? -1;
    lost = remaining - second;
    destroyed = inState - remaining + second;
  }
  const left = (await managed()).length;
  return { rollout, planned, created, inState, destroyed, lost, left, removed, seconds };
}
