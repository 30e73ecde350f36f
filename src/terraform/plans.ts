/** init, validate, plan and show of one stack folder (JSON or HCL) against moto, and the comparison of two plans. */
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Moto, writeOverride } from "./moto";
import { type Stack } from "./synthesis";
import { CheckFailure, type RunResult, TIMEOUT_MS, failure, run } from "./tools";

export type Flavor = "json" | "hcl";

export interface Plan {
  seconds: Record<string, number>;
  changes: Map<string, ResourceChange>;
}

export interface ResourceChange {
  address: string;
  actions: string[];
  after: unknown;
  afterUnknown: unknown;
}

export interface Context {
  binary: string;
  tool: string;
  providerVersion: string;
  env: NodeJS.ProcessEnv;
  moto: Moto;
  work: string;
}

export async function step(ctx: Context, where: string, dir: string, args: string[], timeoutMs: number, seconds: Record<string, number>, label = args[0]): Promise<RunResult> {
  const r = await run(ctx.binary, args, dir, ctx.env, timeoutMs);
  seconds[label] = (seconds[label] ?? 0) + r.seconds;
  if (r.code !== 0) throw failure(where, `${ctx.tool} ${args.join(" ")}`, r, timeoutMs);
  return r;
}

async function prepare(ctx: Context, where: string, source: string, dir: string, flavor: Flavor, seconds: Record<string, number>): Promise<void> {
  cpSync(source, dir, { recursive: true });
  if (flavor === "hcl") {
    if (!readdirSync(dir).some((f) => f.endsWith(".tf"))) throw new CheckFailure(`${where}: no .tf file in ${source}`);
    // Before the override file exists (fmt reads only .tf files anyway).
    await step(ctx, where, dir, ["fmt", "-check", "-diff", "-no-color"], TIMEOUT_MS.fmt, seconds);
  }
  writeOverride(dir, ctx, where);
  await step(ctx, where, dir, ["init", "-input=false", "-no-color"], TIMEOUT_MS.init, seconds);
}

export async function planFolder(ctx: Context, stack: Stack, flavor: Flavor): Promise<Plan> {
  const where = `${stack.id} (${flavor === "json" ? "JSON" : "HCL"}, ${flavor === "json" ? "stacks" : "hcl"}/${stack.name})`;
  const dir = join(ctx.work, "tf", `${stack.variant}-${stack.name}-${flavor}`);
  const seconds: Record<string, number> = {};
  await prepare(ctx, where, flavor === "json" ? stack.json : stack.hcl, dir, flavor, seconds);
  await step(ctx, where, dir, ["validate", "-no-color"], TIMEOUT_MS.validate, seconds);
  await step(ctx, where, dir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=check.tfplan"], TIMEOUT_MS.plan, seconds);
  const shown = await step(ctx, where, dir, ["show", "-json", "-no-color", "check.tfplan"], TIMEOUT_MS.show, seconds);
  return { seconds, changes: resourceChanges(shown.stdout) };
}

export function resourceChanges(planJson: string): Map<string, ResourceChange> {
  const plan = JSON.parse(planJson) as {
    resource_changes?: Array<{ address: string; change: { actions: string[]; after: unknown; after_unknown: unknown } }>;
  };
  const changes = new Map<string, ResourceChange>();
  for (const rc of plan.resource_changes ?? []) {
    changes.set(rc.address, { address: rc.address, actions: rc.change.actions, after: rc.change.after, afterUnknown: rc.change.after_unknown });
  }
  return changes;
}

// ---------- comparing the JSON and HCL plans ----------

/** Readable differences between two plans' resource changes (empty when equal). Nothing is normalised. */
export function comparePlans(json: Map<string, ResourceChange>, hcl: Map<string, ResourceChange>, limit = 40): string[] {
  const lines: string[] = [];
  for (const address of json.keys()) if (!hcl.has(address)) lines.push(`  only in the JSON plan: ${address}`);
  for (const address of hcl.keys()) if (!json.has(address)) lines.push(`  only in the HCL plan:  ${address}`);
  for (const [address, a] of json) {
    const b = hcl.get(address);
    if (!b) continue;
    if (a.actions.join(",") !== b.actions.join(",")) lines.push(`  ${address}: actions JSON [${a.actions}] vs HCL [${b.actions}]`);
    for (const [label, x, y] of [["after", a.after, b.after], ["after_unknown", a.afterUnknown, b.afterUnknown]] as const) {
      for (const d of diffValues(x, y, "")) lines.push(`  ${address} ${label}${d}`);
    }
  }
  if (lines.length > limit) return [...lines.slice(0, limit), `  ... and ${lines.length - limit} more difference(s)`];
  return lines;
}

function diffValues(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => diffValues(v, b[i], `${path}[${i}]`));
  const show = (v: unknown) => {
    const text = v === undefined ? "(absent)" : JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 200)}...` : text;
  };
  return [`${path || ""}:\n      JSON: ${show(a)}\n      HCL:  ${show(b)}`];
}

// ---------- apply and destroy against moto ----------
