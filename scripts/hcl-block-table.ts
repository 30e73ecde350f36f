/**
 * Regenerates src/hcl/aws-blocks.json, the table that tells the HCL writer which
 * nested objects of a .tf.json are provider-schema *blocks* (written as nested
 * blocks) rather than map or object attributes (written as `name = {...}`).
 *
 *   terraform providers schema -json > schema.json   (in a folder initialised with hashicorp/aws)
 *   npx tsx scripts/hcl-block-table.ts schema.json
 *
 * The stack pins the provider version its cdktf bindings were generated for,
 * which may be newer than the schema at hand: the top-level blocks the bindings
 * know (`isBlock: true` in their synthesizeHclAttributes) are merged in too
 * (src/hcl/bindings.ts reads them; a test keeps the two in step).
 *
 * Only the resource and data types the constructs in modules/ import are kept
 * (their deep imports, `@cdktf/provider-aws/lib/<type>`), so the table stays small;
 * __tests__/hcl/blocks.test.ts fails when a synthesized type is missing.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../src/config/handlers";
import { bindingBlocks } from "../src/hcl/bindings";

interface SchemaBlock {
  block_types?: Record<string, { block: SchemaBlock }>;
}
interface ProviderSchema {
  provider: { block: SchemaBlock };
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
}

/** Dotted paths of every nested block type, depth first, sorted. */
function blockPaths(block: SchemaBlock, prefix = ""): string[] {
  const out: string[] = [];
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const path = prefix + name;
    out.push(path, ...blockPaths(nested.block, `${path}.`));
  }
  return out.sort();
}

function importedTypes(): { resources: Set<string>; data: Set<string> } {
  const resources = new Set<string>();
  const data = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith(".ts")) {
        for (const m of readFileSync(full, "utf8").matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g)) {
          if (m[1] === "provider") continue;
          const snake = m[1].replace(/-/g, "_");
          if (snake.startsWith("data_aws_")) data.add(snake.slice("data_".length));
          else resources.add(`aws_${snake}`);
        }
      }
    }
  };
  walk(join(REPO_ROOT, "modules"));
  return { resources, data };
}

const file = process.argv[2];
if (!file) {
  console.error("usage: npx tsx scripts/hcl-block-table.ts <terraform providers schema -json output>");
  process.exit(2);
}
const schemas = JSON.parse(readFileSync(file, "utf8")) as { provider_schemas: Record<string, ProviderSchema> };
const [source, schema] = Object.entries(schemas.provider_schemas).find(([name]) => name.endsWith("/hashicorp/aws")) ?? [];
if (!schema || !source) throw new Error(`${file}: no hashicorp/aws provider schema`);
const { resources, data } = importedTypes();
const pick = (types: Set<string>, table: Record<string, { block: SchemaBlock }>) =>
  Object.fromEntries(
    [...types].sort().map((type) => {
      if (!table[type]) throw new Error(`${type} is not in the provider schema`);
      const merged = new Set([...blockPaths(table[type].block), ...bindingBlocks(table === schema.data_source_schemas ? "data" : "resource", type)]);
      return [type, [...merged].sort()];
    }),
  );
const version = /aws (\d+\.\d+\.\d+)/.exec(process.env.PROVIDER_VERSION ?? "")?.[1];
const out = {
  $comment: `Nested block paths per type, from \`terraform providers schema -json\` (${source}${version ? ` ${version}` : ""}) and the top-level blocks of the @cdktf/provider-aws bindings; regenerate with scripts/hcl-block-table.ts.`,
  provider: blockPaths(schema.provider.block),
  resource: pick(resources, schema.resource_schemas),
  data: pick(data, schema.data_source_schemas),
};
writeFileSync(join(REPO_ROOT, "src/hcl/aws-blocks.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(`src/hcl/aws-blocks.json: ${Object.keys(out.resource).length} resource and ${Object.keys(out.data).length} data types`);
