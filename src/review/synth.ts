/**
 * Reads cdktf's Terraform JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`) and
 * answers the questions the review asks of it: which blocks exist and which
 * block refers to which (through `${type.name.attr}` interpolations).
 * Works on the JSON alone, so a base synthesized elsewhere reads the same way.
 */

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ReviewError, reviewMessages } from "./errors";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The parts of cdktf's JSON the review reads. */
export interface TerraformJson {
  resource?: Record<string, Record<string, JsonObject>>;
  data?: Record<string, Record<string, JsonObject>>;
  output?: Record<string, JsonObject>;
  terraform?: JsonObject;
  provider?: JsonObject;
}

/** One resource or data block, addressed as Terraform does (`aws_iam_role.x`, `data.aws_iam_policy_document.y`). */
export interface Block {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly body: JsonObject;
}

/** A Terraform `moved` block: the object at `from` in the state now belongs to `to`. */
export interface Moved {
  readonly from: string;
  readonly to: string;
}

export interface Synth {
  /** Where it was read from, for messages. */
  readonly file: string;
  readonly stack: string;
  readonly json: TerraformJson;
  readonly blocks: ReadonlyMap<string, Block>;
  /** The `moved` blocks of `moved.tf` beside the JSON (renamed resources). @default none */
  readonly moved?: readonly Moved[];
}

/** The file beside cdk.tf.json that holds the stack's moved blocks (modules/addresses.ts writes it). */
export const MOVED_FILE = "moved.tf";

const MOVED_BLOCK = /^moved\s*\{\s*from\s*=\s*([^\s}]+)\s+to\s*=\s*([^\s}]+)\s*\}/gm;

/** The `moved { from = a  to = b }` blocks of an HCL file, in order. */
export function parseMoved(hcl: string): Moved[] {
  return [...hcl.matchAll(MOVED_BLOCK)].map((m) => ({ from: m[1], to: m[2] }));
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every block, resources first then data sources, each group sorted by address for stable output. */
export function blocksOf(json: TerraformJson): Map<string, Block> {
  const out = new Map<string, Block>();
  const add = (mode: Block["mode"], group: TerraformJson["resource"]) => {
    for (const type of Object.keys(group ?? {}).sort()) {
      const byName = group?.[type] ?? {};
      for (const name of Object.keys(byName).sort()) {
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        out.set(address, { address, mode, type, name, body: byName[name] });
      }
    }
  };
  add("managed", json.resource);
  add("data", json.data);
  return out;
}

/** Builds a Synth from parsed JSON; `file` only names it in messages. */
export function synthFromJson(json: unknown, file: string, stack: string, moved?: readonly Moved[]): Synth {
  if (!isJsonObject(json)) throw new ReviewError(reviewMessages.badSynth(file, "the top level is not a JSON object"));
  for (const key of ["resource", "data"] as const) {
    if (json[key] !== undefined && !isJsonObject(json[key])) {
      throw new ReviewError(reviewMessages.badSynth(file, `"${key}" must be an object of <type>.<name> blocks`));
    }
  }
  const tf = json as TerraformJson;
  return { file, stack, json: tf, blocks: blocksOf(tf), ...(moved && moved.length > 0 ? { moved } : {}) };
}

/** Stack folders under a `stacks/` directory that hold a cdk.tf.json. */
export function listStacks(stacksDir: string): string[] {
  if (!existsSync(stacksDir) || !statSync(stacksDir).isDirectory()) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(stacksDir, e.name, "cdk.tf.json")))
    .map((e) => e.name)
    .sort();
}

/** Reads `<stacksDir>/<stack>/cdk.tf.json` (and its moved.tf); a missing stack names the ones that exist. */
export function loadSynth(stacksDir: string, stack: string): Synth {
  const file = join(stacksDir, stack, "cdk.tf.json");
  if (!existsSync(file)) throw new ReviewError(reviewMessages.noStack(stack, stacksDir, listStacks(stacksDir)));
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ReviewError(reviewMessages.badSynth(file, (error as Error).message));
  }
  const movedFile = join(stacksDir, stack, MOVED_FILE);
  return synthFromJson(parsed, file, stack, existsSync(movedFile) ? parseMoved(readFileSync(movedFile, "utf8")) : undefined);
}

/**
 * The `stacks/` folder inside a folder that holds a synthesis: the folder
 * itself when it is `stacks/`, its `stacks/` (a cdktf.out), or `cdktf.out/stacks`.
 */
export function findStacksDir(dir: string): string | undefined {
  const candidates = [join(dir, "cdktf.out", "stacks"), join(dir, "stacks"), dir];
  return candidates.find((c) => listStacks(c).length > 0);
}

const REFERENCE = /\$\{([^}]*)\}/g;
const ADDRESS = /\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

/** Block addresses referenced by `${...}` interpolations anywhere in a value, in first-seen order. */
export function referencesIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(REFERENCE)) {
        for (const a of m[1].matchAll(ADDRESS)) found.add(a[1]);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isJsonObject(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

/** Blocks whose attributes (optionally only `attribute`) refer to `address`. */
export function referrers(synth: Synth, address: string, type?: string): Block[] {
  return [...synth.blocks.values()].filter(
    (b) => (type === undefined || b.type === type) && b.address !== address && referencesIn(b.body).includes(address),
  );
}

/** The blocks `value` refers to, resolved (unknown addresses are skipped). */
export function resolve(synth: Synth, value: unknown, type?: string): Block[] {
  return referencesIn(value)
    .map((a) => synth.blocks.get(a))
    .filter((b): b is Block => b !== undefined && (type === undefined || b.type === type));
}

/** A string attribute, or undefined. */
export function str(body: JsonObject, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" ? v : undefined;
}

/** Terraform accepts a nested block as an object or a list of objects; the JSON may hold either. */
export function listOf(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return isJsonObject(value) ? [value] : [];
}

/** Replaces `${type.name.attr}` with the attribute's literal value where the synthesis holds one (for display only). */
export function display(synth: Synth, value: string): string {
  return value.replace(/\$\{((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g, (whole, address: string, attr: string) => {
    const literal = synth.blocks.get(address)?.body[attr];
    return typeof literal === "string" && !literal.includes("${") ? literal : whole;
  });
}
