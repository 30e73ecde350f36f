/**
 * What changed between two syntheses of the same stack: blocks added, removed
 * and changed (by attribute path), with IAM changes and likely replacements
 * first, and a state-by-state diff for changed workflow definitions.
 *
 * This reads the JSON only; `terraform plan` remains the authority on what
 * AWS will do (use --plan for that). The replacement table below lists the
 * attributes the AWS provider marks ForceNew for the resource types this
 * project creates; a change to any of them destroys and re-creates the
 * resource (new ARN, lost data for queues and log groups).
 */

import { type JsonObject, isObject } from "../asl/graph";
import { sortKeys } from "../json";
import { type StateDiff, diffStates } from "./state-diff";
import { type Block, type Json, type Synth, isJsonObject, listOf } from "./synth";

/** Attributes whose change forces a new resource (the provider's ForceNew), for the types this project creates. */
export const FORCES_NEW: Readonly<Record<string, readonly string[]>> = {
  aws_sfn_state_machine: ["name", "name_prefix", "type"],
  aws_iam_role: ["name", "name_prefix", "path"],
  aws_iam_policy: ["name", "name_prefix", "path"],
  aws_iam_role_policy: ["name", "name_prefix", "role"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_lambda_function: ["function_name"],
  aws_lambda_event_source_mapping: ["event_source_arn", "starting_position", "starting_position_timestamp"],
  aws_sqs_queue: ["name", "name_prefix", "fifo_queue"],
  aws_sns_topic: ["name", "name_prefix", "fifo_topic"],
  aws_sns_topic_subscription: ["topic_arn", "protocol", "endpoint"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_cloudwatch_metric_alarm: ["alarm_name"],
  aws_cloudwatch_event_bus: ["name"],
  aws_cloudwatch_event_rule: ["name", "name_prefix", "event_bus_name"],
  aws_cloudwatch_event_target: ["rule", "target_id", "event_bus_name"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
  aws_kms_alias: ["name", "name_prefix"],
};

export type ChangeKind = "added" | "removed" | "changed";

export interface StatementChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface BlockChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** Changed attribute paths, e.g. `environment.variables.LOG_LEVEL`, `definition`. */
  readonly paths: readonly string[];
  /** The changed paths that force a new resource (see FORCES_NEW). */
  readonly replacedBy: readonly string[];
  readonly iam: boolean;
  /** For policy documents: statements added and removed, one line each. */
  readonly statements?: StatementChange;
  /** For state machines whose definition changed. */
  readonly states?: StateDiff;
  /** The block's address in the base, when it was renamed (see SynthDiff.renamed). */
  readonly movedFrom?: string;
}

/** A block whose address changed while it stayed the same block. */
export interface Rename {
  readonly from: string;
  readonly to: string;
  /** "moved": a resource with a moved block (Terraform keeps the object); "data": a data source at the same construct path (no state to keep). */
  readonly how: "moved" | "data";
}

export interface SynthDiff {
  readonly added: readonly BlockChange[];
  readonly removed: readonly BlockChange[];
  readonly changed: readonly BlockChange[];
  /** Renamed blocks, compared under their new address (changed ones are in `changed` too, with movedFrom). */
  readonly renamed: readonly Rename[];
}

export function isIam(type: string): boolean {
  return type.startsWith("aws_iam_");
}

/** Attributes holding JSON text: compared parsed, so formatting alone is not a change. */
const JSON_TEXT = new Set(["definition", "event_pattern", "policy", "assume_role_policy", "redrive_policy", "redrive_allow_policy", "access_policy"]);

function normalise(key: string, value: Json): Json {
  if (JSON_TEXT.has(key) && typeof value === "string") {
    try {
      return sortKeys(JSON.parse(value)) as Json;
    } catch {
      return value;
    }
  }
  return value;
}

/** Leaf-level differences between two values, as attribute paths. */
export function changedPaths(a: Json | undefined, b: Json | undefined, path = ""): string[] {
  if (JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))) return [];
  if (isJsonObject(a) && isJsonObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .sort()
      .flatMap((k) => changedPaths(normalise(k, a[k]), normalise(k, b[k]), path === "" ? k : `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => changedPaths(v, b[i], `${path}[${i}]`));
  }
  return [path === "" ? "(whole value)" : path];
}

/** One line per policy statement, for statement-level IAM diffs. */
export function statementLine(s: JsonObject): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : typeof v === "string" ? v : "");
  const sid = typeof s.sid === "string" ? `${s.sid}: ` : "";
  const effect = typeof s.effect === "string" ? s.effect : "Allow";
  const extra = s.condition !== undefined ? ` when ${JSON.stringify(sortKeys(s.condition))}` : "";
  const principals = s.principals !== undefined ? ` for ${JSON.stringify(sortKeys(s.principals))}` : "";
  return `${sid}${effect} ${list(s.actions)} on ${list(s.resources) || "(no resources)"}${principals}${extra}`;
}

function statementChange(a: Block, b: Block): StatementChange {
  const before = listOf(a.body.statement as Json).map(statementLine);
  const after = listOf(b.body.statement as Json).map(statementLine);
  return { added: after.filter((s) => !before.includes(s)), removed: before.filter((s) => !after.includes(s)) };
}

function parseDefinition(value: unknown): JsonObject | undefined {
  try {
    const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function change(kind: ChangeKind, block: Block, before?: Block): BlockChange {
  const base = { address: block.address, type: block.type, kind, iam: isIam(block.type) };
  if (kind !== "changed" || !before) return { ...base, paths: [], replacedBy: [] };
  const paths = changedPaths(before.body, block.body);
  const forcing = block.mode === "managed" ? FORCES_NEW[block.type] ?? [] : [];
  const replacedBy = paths.filter((p) => forcing.some((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`)));
  const out: BlockChange = { ...base, paths, replacedBy };
  if (block.mode === "data" && block.type === "aws_iam_policy_document") return { ...out, iam: true, statements: statementChange(before, block) };
  if (block.type === "aws_sfn_state_machine" && paths.some((p) => p === "definition" || p.startsWith("definition."))) {
    const a = parseDefinition(before.body.definition);
    const b = parseDefinition(block.body.definition);
    if (a && b) return { ...out, states: diffStates(a, b) };
  }
  return out;
}

/** Risky first: IAM, then replacements, then the rest; by address within each group. */
function risk(c: BlockChange): number {
  if (c.iam) return 0;
  if (c.replacedBy.length > 0) return 1;
  return 2;
}

function sorted(changes: BlockChange[]): BlockChange[] {
  return changes.sort((a, b) => risk(a) - risk(b) || a.address.localeCompare(b.address));
}

/** The construct path cdktf records in a block's `//` metadata. */
function constructPath(block: Block): string | undefined {
  const meta = block.body["//"];
  const path = isJsonObject(meta) && isJsonObject(meta.metadata) ? meta.metadata.path : undefined;
  return typeof path === "string" ? path : undefined;
}

/**
 * Blocks of `after` that are blocks of `before` under another address: resources
 * through the moved blocks of `after` (what Terraform will do with the state), data
 * sources (which have no state, hence no moved block) through their construct path.
 */
export function renamesBetween(before: Synth, after: Synth): Rename[] {
  const out: Rename[] = [];
  for (const m of after.moved ?? []) {
    if (before.blocks.has(m.from) && !after.blocks.has(m.from) && after.blocks.has(m.to) && !before.blocks.has(m.to)) out.push({ ...m, how: "moved" });
  }
  const beforeData = new Map<string, string>();
  for (const b of before.blocks.values()) {
    const path = constructPath(b);
    if (b.mode === "data" && path && !after.blocks.has(b.address)) beforeData.set(`${b.type} ${path}`, b.address);
  }
  for (const b of after.blocks.values()) {
    const path = constructPath(b);
    const from = b.mode === "data" && path && !before.blocks.has(b.address) ? beforeData.get(`${b.type} ${path}`) : undefined;
    if (from) out.push({ from, to: b.address, how: "data" });
  }
  return out.sort((a, b) => a.to.localeCompare(b.to));
}

const ADDRESS_IN_TEXT = /(?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+/g;

/** A base block's body with its references to renamed blocks rewritten to their new addresses, minus cdktf's metadata. */
function underNewNames(body: Block["body"], names: ReadonlyMap<string, string>): Block["body"] {
  const visit = (v: Json): Json => {
    if (typeof v === "string") return v.replace(ADDRESS_IN_TEXT, (a) => names.get(a) ?? a);
    if (Array.isArray(v)) return v.map(visit);
    if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  const { "//": _metadata, ...rest } = body;
  return visit(rest) as Block["body"];
}

export function diffSynth(before: Synth, after: Synth): SynthDiff {
  const added: BlockChange[] = [];
  const removed: BlockChange[] = [];
  const changed: BlockChange[] = [];
  const renamed = renamesBetween(before, after);
  const fromOf = new Map(renamed.map((r) => [r.to, r.from]));
  const newName = new Map(renamed.map((r) => [r.from, r.to]));
  for (const [address, block] of after.blocks) {
    const movedFrom = fromOf.get(address);
    const old = before.blocks.get(movedFrom ?? address);
    if (!old) added.push(change("added", block));
    else if (movedFrom !== undefined || newName.size > 0) {
      // Compared under the new names, so a rename alone is not a change of every reference to it.
      const { "//": _metadata, ...body } = block.body;
      const c = change("changed", { ...block, body }, { ...old, body: underNewNames(old.body, newName) });
      if (c.paths.length > 0) changed.push(movedFrom === undefined ? c : { ...c, movedFrom });
    } else {
      const c = change("changed", block, old);
      if (c.paths.length > 0) changed.push(c);
    }
  }
  for (const [address, block] of before.blocks) {
    if (!after.blocks.has(address) && !newName.has(address)) removed.push(change("removed", block));
  }
  return { added: sorted(added), removed: sorted(removed), changed: sorted(changed), renamed };
}

export function isEmptyDiff(d: SynthDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length + d.renamed.length === 0;
}
