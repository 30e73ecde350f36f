import { type Synth, str } from "./synth";

export interface InventoryRow {
  /** Resource type, or `data.<type>` for data sources. */
  readonly type: string;
  readonly count: number;
  /** The AWS-side name where the block has one (name, function_name, alarm_name...), else the block name. */
  readonly names: readonly string[];
}

const NAME_ATTRIBUTES = ["name", "function_name", "alarm_name", "role", "rule", "topic_arn", "bucket"];

/** Resources of the stack grouped by type, sorted by type; data sources after resources. */
export function inventory(synth: Synth): InventoryRow[] {
  const groups = new Map<string, string[]>();
  for (const block of synth.blocks.values()) {
    const type = block.mode === "data" ? `data.${block.type}` : block.type;
    const attr = NAME_ATTRIBUTES.map((a) => str(block.body, a)).find((v) => v !== undefined && !v.includes("${"));
    const list = groups.get(type) ?? [];
    list.push(attr ?? block.name);
    groups.set(type, list);
  }
  return [...groups]
    .map(([type, names]) => ({ type, count: names.length, names: [...names].sort() }))
    .sort((a, b) => Number(a.type.startsWith("data.")) - Number(b.type.startsWith("data.")) || a.type.localeCompare(b.type));
}
