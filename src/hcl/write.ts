/**
 * The HCL copy of a stack, written from its synthesized `cdk.tf.json` (so the
 * stack is synthesized once). The text is what `terraform fmt` would make of
 * it (two-space indentation, `=` aligned in runs of one-line attributes) and
 * plans exactly what the JSON plans:
 * - a string that is one reference, `"${aws_kms_key.stage.arn}"`, is written bare;
 * - a string holding JSON text is written as `jsonencode({...})` when that
 *   gives the same bytes (jsonencode writes compact JSON with sorted keys, see
 *   json.ts; only plain references inside, which must be string attributes
 *   such as ARNs and names, as they stand quoted in the JSON text), as
 *   an indented heredoc when it spans lines (`chomp(...)` when it does not end
 *   with a newline, since a heredoc always does), else as a quoted string;
 * - `$${` and `%%{` escapes are carried over untouched: a quoted string or a
 *   heredoc is the same template language as a .tf.json string.
 * Blocks and attributes look alike in JSON; blocks.ts decides which is which.
 * A `dynamic` block (cdktf does not write them; the module does, src/module)
 * is written as one, its block name checked against the same table.
 */
import { type BodyKind, LABELLED_BLOCKS, blockPaths } from "./blocks";
import { type Json } from "./json";
import { BARE_KEY, HclWriteError, bodyLines, IDENT, isObject, pad, quoted, referenceList, templateParts, valueExpr, type Expr, type Item, type JsonObject } from "./expressions";

export { HclWriteError };

/* ------------------------------------------------------------------ bodies */

/** Reindents the lines of an expression built for depth 0 (reference lists) to `depth`. */
function shift(expr: Expr, depth: number): Expr {
  return { ...expr, lines: expr.lines.map((l, i) => (i === 0 ? l : pad(depth) + l)) };
}

interface Schema {
  kind: BodyKind;
  blocks: ReadonlySet<string>;
  where: string;
}

/** Meta-arguments first, then attributes, then blocks, then depends_on and lifecycle, as the Terraform style guide orders them. */
const FIRST = ["count", "for_each", "provider"];
const LAST = ["depends_on", "lifecycle"];

function blockBody(body: JsonObject, depth: number, schema: Schema, path: string): string[] {
  const keys = Object.keys(body).filter((k) => k !== "//");
  const order = (k: string) => (FIRST.includes(k) ? 0 : LAST.includes(k) ? 3 + LAST.indexOf(k) : schema.blocks.has(path + k) || isDynamic(k, schema) ? 2 : 1);
  const sorted = keys.map((k, i) => ({ k, i })).sort((a, b) => order(a.k) - order(b.k) || a.i - b.i).map((e) => e.k);
  const items: Item[] = [];
  let previousGroup: number | undefined;
  for (const key of sorted) {
    const value = body[key];
    const full = path + key;
    const group = order(key);
    // A blank line after the meta-arguments and before depends_on, as people write them.
    if (previousGroup !== undefined && group !== previousGroup && (previousGroup === 0 || group === 3) && items.length > 0 && items.at(-1)!.kind === "attr") {
      items.push({ kind: "block", lines: [] });
    }
    previousGroup = group;
    if (schema.blocks.has(full)) {
      const labels = LABELLED_BLOCKS[`${schema.kind}.${full}`] ?? 0;
      if (labels > 0) {
        // `"backend": {"s3": {...}}`, or a list of such objects (`"provisioner": [{"local-exec": {...}}]`).
        for (const byLabel of Array.isArray(value) ? value : [value]) {
          if (!isObject(byLabel)) throw new HclWriteError(`${schema.where} ${full}: expected an object keyed by the block's label. Received: ${JSON.stringify(byLabel)}.`);
          for (const [label, inner] of Object.entries(byLabel)) {
            for (const one of Array.isArray(inner) ? inner : [inner]) items.push({ kind: "block", lines: block(`${key} ${quoted(label)}`, one, depth, schema, `${full}.`) });
          }
        }
        continue;
      }
      for (const one of Array.isArray(value) ? value : [value]) items.push({ kind: "block", lines: block(key, one, depth, schema, `${full}.`) });
      continue;
    }
    if (key === "dynamic" && (schema.kind === "resource" || schema.kind === "data" || schema.kind === "provider")) {
      items.push(...dynamicBlocks(value, depth, schema, path));
      continue;
    }
    items.push({ kind: "attr", key: IDENT.test(key) ? key : quoted(key), value: attributeExpr(key, full, value, depth, schema) });
  }
  // Blank-line markers are empty blocks: drop them, keeping one blank line.
  return bodyLines(items, depth).filter((l, i, a) => !(l === "" && a[i - 1] === ""));
}

const isDynamic = (key: string, schema: Schema) => key === "dynamic" && (schema.kind === "resource" || schema.kind === "data" || schema.kind === "provider");
const DYNAMIC_ARGUMENTS = ["for_each", "iterator", "labels"];

/**
 * `"dynamic": {"<block>": {"for_each": ..., "iterator": "x", "labels": [...], "content": {...}}}`
 * (or a list of such objects, or of specs) as `dynamic "<block>" { ... content { ... } }`;
 * the iterator, a string in JSON, is a bare name in HCL.
 */
function dynamicBlocks(value: Json, depth: number, schema: Schema, path: string): Item[] {
  const items: Item[] = [];
  for (const byBlock of Array.isArray(value) ? value : [value]) {
    if (!isObject(byBlock)) throw new HclWriteError(`${schema.where} ${path}dynamic: expected an object keyed by the block's name. Received: ${JSON.stringify(byBlock)}.`);
    for (const [name, specs] of Object.entries(byBlock)) {
      const where = `${schema.where} ${path}dynamic.${name}`;
      if (!schema.blocks.has(path + name)) throw new HclWriteError(`${where}: "${name}" is not a block of this ${schema.kind}, so it cannot be dynamic.`);
      for (const spec of Array.isArray(specs) ? specs : [specs]) {
        if (!isObject(spec) || !isObject(spec.content) || spec.for_each === undefined) {
          throw new HclWriteError(`${where}: a dynamic block needs for_each and a content object. Received: ${JSON.stringify(spec)}.`);
        }
        const unknown = Object.keys(spec).filter((k) => k !== "content" && k !== "//" && !DYNAMIC_ARGUMENTS.includes(k));
        if (unknown.length > 0) throw new HclWriteError(`${where}: a dynamic block takes ${[...DYNAMIC_ARGUMENTS, "content"].join(", ")}. Received: ${unknown.join(", ")}.`);
        const inner: Item[] = DYNAMIC_ARGUMENTS.filter((k) => spec[k] !== undefined).map((k) => {
          const v = spec[k];
          if (k !== "iterator") return { kind: "attr", key: k, value: attributeExpr(k, `${path}${name}.${k}`, v, depth + 1, schema) };
          if (typeof v !== "string" || !BARE_KEY.test(v)) throw new HclWriteError(`${where}: the iterator must be a name. Received: ${JSON.stringify(v)}.`);
          return { kind: "attr", key: k, value: { lines: [v], aligned: true } };
        });
        inner.push({ kind: "block", lines: block("content", spec.content, depth + 1, schema, `${path}${name}.`) });
        items.push({ kind: "block", lines: [`${pad(depth)}dynamic ${quoted(name)} {`, ...bodyLines(inner, depth + 1), `${pad(depth)}}`] });
      }
    }
  }
  return items;
}

function attributeExpr(key: string, full: string, value: Json, depth: number, schema: Schema): Expr {
  const where = `${schema.where} ${full}`;
  if (full === "depends_on" || full === "lifecycle.ignore_changes" || full === "lifecycle.replace_triggered_by") {
    if (value === "all") return { lines: ["all"], aligned: true };
    return shift(referenceList(value, where), depth);
  }
  if (schema.kind === "resource" || schema.kind === "data") {
    if (full === "provider") return referenceList(value, where);
  }
  if (schema.kind === "moved" && (key === "from" || key === "to")) return referenceList(value, where);
  if (schema.kind === "variable" && key === "type" && typeof value === "string") return { lines: [value], aligned: true };
  const only = typeof value === "string" ? interpolationOnly(value) : undefined;
  if (only) return { lines: [only], aligned: true };
  return valueExpr(value, depth, true);
}

/**
 * `"${merge(a, b)}"` -> `merge(a, b)`: an attribute whose whole value is one
 * single-line interpolation, which terraform fmt unwraps (only at the top of
 * an attribute, not inside lists or objects).
 */
function interpolationOnly(text: string): string | undefined {
  const parts = templateParts(text);
  if (parts.length !== 1 || parts[0].literal || !parts[0].text.startsWith("${") || parts[0].text.startsWith("${~")) return undefined;
  const inner = parts[0].text.slice(2, -1);
  if (inner.includes("\n") || inner.endsWith("~")) return undefined;
  return inner.trim();
}

function block(header: string, body: Json, depth: number, schema: Schema, path: string): string[] {
  if (!isObject(body)) throw new HclWriteError(`${schema.where} ${path.slice(0, -1)}: a block must be an object. Received: ${JSON.stringify(body)}.`);
  const inner = blockBody(body, depth + 1, schema, path);
  if (inner.length === 0) return [`${pad(depth)}${header} {}`];
  return [`${pad(depth)}${header} {`, ...inner, `${pad(depth)}}`];
}

function schemaFor(kind: BodyKind, type: string | undefined, where: string): Schema {
  const blocks = blockPaths(kind, type);
  if (!blocks) {
    throw new HclWriteError(
      `${where}: the HCL writer does not know which attributes of ${kind} "${type}" are blocks. Regenerate src/hcl/aws-blocks.json with scripts/hcl-block-table.ts (it reads the types modules/ imports).`,
    );
  }
  return { kind, blocks, where };
}

/* ------------------------------------------------------------------ file */

const TOP_LEVEL = ["terraform", "provider", "variable", "locals", "data", "resource", "output", "moved"] as const;

/** The HCL text of a stack, from its parsed cdk.tf.json. `source` names the file in messages. */
export function writeHcl(tf: JsonObject, source = "cdk.tf.json"): string {
  const unknown = Object.keys(tf).filter((k) => k !== "//" && !(TOP_LEVEL as readonly string[]).includes(k));
  if (unknown.length > 0) throw new HclWriteError(`${source}: the HCL writer does not support the top-level ${unknown.map((k) => `"${k}"`).join(", ")}. Supported: ${TOP_LEVEL.join(", ")}.`);
  const blocks: string[][] = [];
  const each = <T>(value: Json | undefined, fn: (v: JsonObject) => T) => (isObject(value) ? fn(value) : undefined);
  each(tf.terraform, (t) => blocks.push(block("terraform", t, 0, schemaFor("terraform", undefined, source), "")));
  each(tf.provider, (providers) => {
    for (const [name, configs] of Object.entries(providers)) {
      for (const config of Array.isArray(configs) ? configs : [configs]) blocks.push(block(`provider ${quoted(name)}`, config, 0, schemaFor("provider", name, `${source} provider.${name}`), ""));
    }
  });
  each(tf.variable, (variables) => {
    for (const [name, v] of Object.entries(variables)) blocks.push(block(`variable ${quoted(name)}`, v, 0, schemaFor("variable", undefined, `${source} variable.${name}`), ""));
  });
  for (const locals of Array.isArray(tf.locals) ? tf.locals : tf.locals ? [tf.locals] : []) {
    blocks.push(block("locals", locals, 0, schemaFor("locals", undefined, `${source} locals`), ""));
  }
  for (const kind of ["data", "resource"] as const) {
    each(tf[kind], (byType) => {
      for (const [type, byName] of Object.entries(byType)) {
        if (!isObject(byName)) continue;
        const where = `${source} ${kind === "data" ? "data." : ""}${type}`;
        const schema = schemaFor(kind, type, where);
        for (const [name, body] of Object.entries(byName)) blocks.push(block(`${kind} ${quoted(type)} ${quoted(name)}`, body, 0, { ...schema, where: `${where}.${name}` }, ""));
      }
    });
  }
  each(tf.output, (outputs) => {
    for (const [name, o] of Object.entries(outputs)) blocks.push(block(`output ${quoted(name)}`, o, 0, schemaFor("output", undefined, `${source} output.${name}`), ""));
  });
  for (const moved of Array.isArray(tf.moved) ? tf.moved : tf.moved ? [tf.moved] : []) {
    blocks.push(block("moved", moved, 0, schemaFor("moved", undefined, `${source} moved`), ""));
  }
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}
