/**
 * `npm run terraform:check [-- --binary tofu] [--no-apply] [--keep]`
 *
 * Terraform is the judge of what the synthesis writes. This script synthesizes,
 * in a temporary copy of the repository (the embedded defaults, no .env files):
 *   default    the default stage;
 *   stages     STAGES=dev,prod with prod on the S3 backend (a `.env.prod` in the copy),
 *              which adds the state-bootstrap stack;
 *   bootstrap  BOOTSTRAP=1 (the bootstrap stack beside the local-state stage);
 * and, for every distinct stack, for its JSON folder (stacks/<stack>) and its HCL
 * folder (hcl/<stack>): `fmt -check` (HCL), `init` from the local provider mirror,
 * `validate`, `plan -out` and `show -json` against a moto server that it starts
 * and stops itself. The JSON and HCL plans must plan the same resource changes.
 * Then `apply` and `destroy` of the default stage against moto (not with --no-apply),
 * minus the resource types moto cannot serve (MOTO_CANNOT_SERVE, the one list).
 *
 * Checks run on copies: the provider version constraint is overridden to the
 * mirror's version (the stack pins the version its bindings were generated for),
 * the backend is replaced by a local one, and the provider points at moto.
 * Nothing in the repository is changed.
 *
 * Where the binary, the provider mirror or moto is missing, it says exactly what
 * is missing and skips, or fails when CI=true or REQUIRE_TERRAFORM=1.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { applyAndDestroy } from "./apply";
import { MOTO_CANNOT_SERVE, MOTO_PATCHES, type Moto, startMoto } from "./moto";
import { type Context, type Flavor, comparePlans, planFolder } from "./plans";
import { ROLLOUT_WORKFLOW, rolloutProblems } from "./rollout";
import { requiredAws, synthesize } from "./synthesis";
import { CheckFailure, parseArgs, pool, preflight, providerMirror, terraformEnv, times } from "./tools";

export async function main(): Promise<number> {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  const required = process.env.CI === "true" || process.env.REQUIRE_TERRAFORM === "1";
  const found = preflight(options);
  if ("missing" in found) {
    const what = found.missing.map((m) => `  - ${m}`).join("\n");
    if (required) {
      console.error(`terraform:check cannot run (CI=true or REQUIRE_TERRAFORM=1 makes this a failure). Missing:\n${what}`);
      return 1;
    }
    console.log(`terraform:check skipped (set REQUIRE_TERRAFORM=1 to make this a failure). Missing:\n${what}`);
    return 0;
  }
  const tool = basename(options.binary);
  console.log(`${found.version} (${found.binary}); provider hashicorp/aws ${found.providerVersion} from the mirror ${options.mirror}`);

  const work = mkdtempSync(join(tmpdir(), "terraform-check-"));
  const cliConfig = providerMirror(work, options.mirror, found.providerVersion);
  let moto: Moto | undefined;
  try {
    moto = await startMoto();
    const env = terraformEnv(cliConfig);
    const ctx: Context = { binary: found.binary, tool, providerVersion: found.providerVersion, env, moto, work };
    mkdirSync(join(work, "tf"));

    const stacks = await synthesize(work);
    const asked = new Set(stacks.map((s) => requiredAws(s.json)));
    console.log(
      `note: the stacks ask for hashicorp/aws ${[...asked].join(", ")}; these checks override it to ${found.providerVersion}, the mirror's version.`,
    );
    const flavors: readonly Flavor[] = options.jsonOnly ? ["json"] : ["json", "hcl"];
    const tasks = stacks.flatMap((stack) => flavors.map((flavor) => ({ stack, flavor })));
    const plans = await pool(tasks, options.concurrency, ({ stack, flavor }) => planFolder(ctx, stack, flavor));

    let mismatch = false;
    console.log(`\n${tool}: fmt -check (HCL), init, validate, plan and show of every stack against moto (${moto.url}):`);
    for (const stack of stacks) {
      const json = plans[tasks.findIndex((t) => t.stack === stack && t.flavor === "json")];
      const hcl = options.jsonOnly ? undefined : plans[tasks.findIndex((t) => t.stack === stack && t.flavor === "hcl")];
      const creates = [...json.changes.values()].filter((c) => c.actions.includes("create")).length;
      const also = stack.sameAs.length > 0 ? ` (same stack in ${stack.sameAs.join(", ")})` : "";
      console.log(`  ${stack.id}${also}: ${json.changes.size} resources planned (${creates} to create)`);
      console.log(`    JSON: ${times(json.seconds)}`);
      if (!hcl) {
        console.log(`    HCL:  not checked (--json-only)`);
        continue;
      }
      console.log(`    HCL:  ${times(hcl.seconds)}`);
      const diff = comparePlans(json.changes, hcl.changes);
      if (diff.length > 0) {
        mismatch = true;
        console.log(`    JSON and HCL plans DIFFER:\n${diff.join("\n")}`);
      } else {
        console.log(`    JSON and HCL plans are equal (${json.changes.size} resource changes: addresses, actions, planned values)`);
      }
    }
    if (mismatch) {
      console.error(`\nterraform:check failed: the HCL copy does not plan what the JSON plans (see above).`);
      return 1;
    }

    if (options.apply) {
      const target = stacks.find((s) => s.variant === "default");
      if (!target) throw new CheckFailure("no default-stage stack was synthesized");
      console.log(`\n${tool}: apply and destroy of ${target.id} against moto. Left out of this copy only (moto cannot serve them):`);
      for (const [type, why] of Object.entries(MOTO_CANNOT_SERVE)) console.log(`  - ${type}: ${why}`);
      console.log(`  and moto answers these actions it lacks with a fixed reply:`);
      for (const p of MOTO_PATCHES) console.log(`  - ${p.service} ${p.action}: ${p.why}`);
      const r = await applyAndDestroy(ctx, target);
      console.log(`  left out: ${r.removed.length > 0 ? r.removed.join(", ") : "(none in this stack)"}`);
      console.log(`  planned ${r.planned} to create, created ${r.created} (${r.inState} in state), destroyed ${r.destroyed}${r.lost > 0 ? ` and ${r.lost} that moto had lost` : ""} (${r.left} left in state)`);
      for (const step of r.rollout) {
        console.log(
          step.weight === 100
            ? `  rollout ${ROLLOUT_WORKFLOW.variable}=previous=1,weight=100 (no rollout): the baseline plan (${step.changes} changes against moto's answers, which drop attributes AWS keeps)`
            : `  rollout ${ROLLOUT_WORKFLOW.variable}=previous=1,weight=${step.weight}: the plan differs from 100% in ${step.differs.length ? step.differs.join(", ") : "nothing"}`,
        );
      }
      console.log(`  ${times(r.seconds)}`);
      const rolloutWrong = rolloutProblems(r.rollout);
      if (rolloutWrong.length > 0) {
        console.error(`terraform:check failed: ${target.id}: ${rolloutWrong.join("; ")}`);
        return 1;
      }
      if (r.created !== r.planned || r.inState !== r.planned || r.destroyed + r.lost !== r.planned || r.lost > 2 || r.left !== 0) {
        console.error(`terraform:check failed: ${target.id}: apply/destroy counts do not match the plan (see above).`);
        return 1;
      }
    }
    console.log(`\nterraform:check passed with ${tool} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return 0;
  } catch (error) {
    if (error instanceof CheckFailure) {
      console.error(`\nterraform:check failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    moto?.stop();
    if (options.keep) console.log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
