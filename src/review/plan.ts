/**
 * Summarises a Terraform plan in JSON (`terraform show -json plan.out`), the
 * format documented at developer.hashicorp.com/terraform/internals/json-format:
 * `format_version` ("1.x"), `terraform_version`, `resource_changes[]` with
 * `{address, mode, type, name, change: {actions, before, after, after_unknown, replace_paths?}, action_reason?}`.
 * Replacement is `["delete","create"]` or `["create","delete"]` (create before destroy).
 */

import { readFileSync } from "node:fs";
import { ReviewError, reviewMessages } from "./errors";
import { changedPaths, isIam } from "./synth-diff";
import { type Json, isJsonObject } from "./synth";

export type PlanAction = "create" | "update" | "delete" | "replace" | "read" | "no-op" | "forget";

export interface PlanChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  /** Why it is risky (deletion, replacement, IAM); empty when it is not. */
  readonly risks: readonly string[];
  /** For updates and replacements: the attribute paths that change, `(known after apply)` marked. */
  readonly attributes: readonly string[];
  /** Terraform's own reason, e.g. `replace_because_cannot_update`. */
  readonly reason?: string;
  /** For replacements: the attributes that force it, as Terraform reports them. */
  readonly replacePaths: readonly string[];
}

export interface PlanSummary {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Every change except no-op and read, risky first. */
  readonly changes: readonly PlanChange[];
  readonly outputChanges: readonly string[];
  /** Plan-level caveats (errored, incomplete). */
  readonly notes: readonly string[];
}

function actionOf(actions: readonly string[]): PlanAction | undefined {
  const key = actions.join(",");
  switch (key) {
    case "create":
    case "update":
    case "delete":
    case "read":
    case "no-op":
    case "forget":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      return undefined;
  }
}

function risksOf(action: PlanAction, type: string, key: string): string[] {
  const out: string[] = [];
  if (action === "delete") out.push("deletes a resource");
  if (action === "replace") out.push(key === "create,delete" ? "replaces a resource (new one created first)" : "replaces a resource (destroyed first)");
  if (isIam(type) && action !== "read" && action !== "no-op") out.push("changes IAM");
  return out;
}

function paths(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((p) => (Array.isArray(p) ? p.map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`)).join("").replace(/^\./, "") : String(p)));
}

function unknownPaths(value: Json | undefined, path = ""): string[] {
  if (value === true) return [path];
  if (isJsonObject(value)) return Object.keys(value).flatMap((k) => unknownPaths(value[k], path === "" ? k : `${path}.${k}`));
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${path}[${i}]`));
  return [];
}

const RANK: Record<PlanAction, number> = { delete: 0, replace: 1, update: 3, create: 4, forget: 2, read: 5, "no-op": 6 };

/** Validates and summarises a parsed plan; `file` names it in error messages. */
export function summarisePlan(plan: unknown, file: string): PlanSummary {
  const fail = (detail: string): never => {
    throw new ReviewError(reviewMessages.notAPlan(file, detail));
  };
  if (!isJsonObject(plan)) return fail("the top level is not a JSON object");
  const version = plan.format_version;
  if (typeof version !== "string") return fail('it has no "format_version"');
  if (!/^1\.\d+$/.test(version)) return fail(`format_version "${version}" is not supported (this reader knows 1.x)`);
  if (plan.resource_changes === undefined && plan.planned_values === undefined) {
    return fail(
      plan.values !== undefined
        ? 'it has "values" but no "resource_changes": it looks like a state (terraform show -json without a plan file)'
        : 'it has no "resource_changes" and no "planned_values"',
    );
  }
  const rawChanges = plan.resource_changes ?? [];
  if (!Array.isArray(rawChanges)) return fail('"resource_changes" is not a list');
  const counts: Record<PlanAction, number> = { create: 0, update: 0, delete: 0, replace: 0, read: 0, "no-op": 0, forget: 0 };
  const changes: PlanChange[] = [];
  rawChanges.forEach((rc, i) => {
    if (!isJsonObject(rc) || typeof rc.address !== "string" || !isJsonObject(rc.change) || !Array.isArray(rc.change.actions)) {
      fail(`resource_changes[${i}] lacks "address" or "change.actions"`);
      return;
    }
    const change = rc.change as { [k: string]: Json };
    const list = (change.actions as Json[]).map(String);
    const action = actionOf(list);
    if (!action) {
      fail(`resource_changes[${i}] (${rc.address}) has actions ${JSON.stringify(list)}, which Terraform does not produce`);
      return;
    }
    counts[action] += 1;
    if (action === "no-op" || action === "read") return;
    const type = typeof rc.type === "string" ? rc.type : rc.address.split(".").slice(-2, -1)[0] ?? "";
    const unknown = unknownPaths(change.after_unknown);
    const attributes =
      action === "update" || action === "replace"
        ? [
            ...changedPaths(change.before ?? null, change.after ?? null).filter((p) => !unknown.includes(p)),
            ...unknown.map((p) => `${p} (known after apply)`),
          ]
        : [];
    changes.push({
      address: rc.address,
      type,
      action,
      risks: risksOf(action, type, list.join(",")),
      attributes,
      reason: typeof rc.action_reason === "string" ? rc.action_reason : undefined,
      replacePaths: paths(change.replace_paths),
    });
  });
  changes.sort((a, b) => Number(b.risks.length > 0) - Number(a.risks.length > 0) || RANK[a.action] - RANK[b.action] || a.address.localeCompare(b.address));
  const outputChanges = isJsonObject(plan.output_changes)
    ? Object.entries(plan.output_changes)
        .filter(([, c]) => isJsonObject(c) && Array.isArray(c.actions) && c.actions.join(",") !== "no-op")
        .map(([name, c]) => `${name}: ${((c as { actions: Json[] }).actions).join(", ")}`)
    : [];
  const notes: string[] = [];
  if (plan.errored === true) notes.push("The plan reports errored: true; it is incomplete and cannot be applied.");
  if (plan.complete === false) notes.push("The plan is not complete (complete: false): another plan and apply will be needed.");
  if (plan.applyable === false) notes.push("The plan is not applyable (applyable: false).");
  return {
    formatVersion: version,
    terraformVersion: typeof plan.terraform_version === "string" ? plan.terraform_version : undefined,
    counts,
    changes,
    outputChanges,
    notes,
  };
}

/** Reads and summarises a plan file; every failure is a ReviewError that says how to make a valid one. */
export function readPlan(file: string): PlanSummary {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ReviewError(reviewMessages.planUnreadable(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
  if (text.startsWith("PK")) {
    throw new ReviewError(reviewMessages.notAPlan(file, "it is a binary plan file (zip), not its JSON form"));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ReviewError(reviewMessages.notAPlan(file, `it is not JSON (${(error as Error).message})`));
  }
  return summarisePlan(parsed, file);
}
