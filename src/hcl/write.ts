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
import { ProjectError } from "../errors";
import { type BodyKind, LABELLED_BLOCKS, blockPaths } from "./blocks";
import { type Json, isCanonicalJson } from "./json";

type JsonObject = { [key: string]: Json };

/** A stack's .tf.json that the writer cannot turn into HCL (an unknown resource type, an unsupported top-level key). */
export class HclWriteError extends ProjectError {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Object keys written bare: identifiers that HCL would not read as a keyword or a `for` expression. */
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(["null", "true", "false", "for", "in", "if", "endif", "else", "endfor"]);
const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])*$/;
const INLINE_LIST_WIDTH = 80;

/** One rendered expression: `lines[0]` follows `name = `; the rest carry their own indentation. */
interface Expr {
  lines: string[];
  /** fmt aligns the `=` of this attribute with its neighbours (one-line values and heredocs). */
  aligned: boolean;
}
type Item = { kind: "attr"; key: string; value: Expr } | { kind: "block"; lines: string[] };

const pad = (depth: number) => "  ".repeat(depth);
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** Columns as fmt counts them: grapheme clusters (`é` written e + U+0301 is one). */
const width = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text.length : [...graphemes.segment(text)].length);

/* ------------------------------------------------------------------ strings */

/**
 * Splits a template into literal text and `${...}` / `%{...}` sequences, with
 * Terraform's rules: `$${` and `%%{` are escapes (literal), anything else
 * starting `${`/`%{` runs to its matching brace.
 */
function templateParts(text: string): Array<{ literal: boolean; text: string }> {
  const parts: Array<{ literal: boolean; text: string }> = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      literal += c + c + "{";
      i += 3;
      continue;
    }
    if ((c === "$" || c === "%") && text[i + 1] === "{") {
      const end = matchingBrace(text, i + 1);
      if (end < 0) {
        literal += text.slice(i); // unterminated: Terraform will say so for either form
        break;
      }
      if (literal) parts.push({ literal: true, text: literal });
      literal = "";
      parts.push({ literal: false, text: text.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    literal += c;
    i += 1;
  }
  if (literal) parts.push({ literal: true, text: literal });
  return parts;
}

/** Index of the `}` closing the `{` at `open`, skipping quoted strings; -1 if none. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === "\\") i += 1;
    } else if (c === "{") depth += 1;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The template sequences of `text` are plain references only (no function calls, no directives). */
function onlySimpleReferences(text: string): boolean {
  return templateParts(text).every((p) => p.literal || (p.text.startsWith("${") && TRAVERSAL.test(p.text.slice(2, -1).trim())));
}

const HCL_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A quoted HCL template with the same meaning as the .tf.json string `text`. */
function quoted(text: string): string {
  let out = '"';
  for (const part of templateParts(text)) {
    if (!part.literal) {
      out += part.text;
      continue;
    }
    for (const ch of part.text) {
      const code = ch.codePointAt(0)!;
      if (HCL_ESCAPES[ch]) out += HCL_ESCAPES[ch];
      else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
      else out += ch;
    }
  }
  return `${out}"`;
}

/** `${aws_x.y.arn}` -> `aws_x.y.arn`, or undefined when the string is anything more. */
function bareReference(text: string): string | undefined {
  if (!text.startsWith("${") || !text.endsWith("}")) return undefined;
  const inner = text.slice(2, -1);
  return TRAVERSAL.test(inner) ? inner : undefined;
}

/** An indented heredoc whose value is exactly `text`, or undefined when none can be (see the module comment). */
function heredoc(text: string, depth: number): Expr | undefined {
  if (!text.includes("\n") || text.includes("\r")) return undefined;
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const lines = body.split("\n");
  // `<<-` strips the smallest indentation: a line must start in column 0, and no line may be blank.
  if (!lines.some((l) => l.length > 0 && !/^\s/.test(l)) || lines.some((l) => l.trim() === "")) return undefined;
  let marker = "EOT";
  for (let n = 1; lines.some((l) => l.trim() === marker); n += 1) marker = `EOT${n}`;
  const content = lines.map((l) => pad(depth + 1) + l);
  if (text.endsWith("\n")) return { lines: [`<<-${marker}`, ...content, pad(depth) + marker], aligned: true };
  return { lines: [`chomp(<<-${marker}`, ...content, pad(depth) + marker, `${pad(depth)})`], aligned: false };
}

function stringExpr(text: string, depth: number, jsonAware: boolean): Expr {
  const ref = bareReference(text);
  if (ref) return { lines: [ref], aligned: true };
  if (jsonAware && /^[{[]/.test(text) && onlySimpleReferences(text)) {
    let value: Json | undefined;
    try {
      value = JSON.parse(text) as Json;
    } catch {
      value = undefined;
    }
    if (value !== undefined && isCanonicalJson(text)) {
      const inner = valueExpr(value, depth, false);
      if (inner.lines.length === 1) return { lines: [`jsonencode(${inner.lines[0]})`], aligned: true };
      return { lines: [`jsonencode(${inner.lines[0]}`, ...inner.lines.slice(1, -1), `${inner.lines.at(-1)})`], aligned: false };
    }
  }
  return heredoc(text, depth) ?? { lines: [quoted(text)], aligned: true };
}

/* ------------------------------------------------------------------ values */

function keyText(key: string): string {
  return BARE_KEY.test(key) && !KEYWORDS.has(key) ? key : quoted(key);
}

/** Any JSON value as an HCL expression at `depth` (the depth of the line it starts on). */
function valueExpr(value: Json, depth: number, jsonAware: boolean): Expr {
  if (value === null) return { lines: ["null"], aligned: true };
  if (typeof value === "boolean" || typeof value === "number") return { lines: [String(value)], aligned: true };
  if (typeof value === "string") return stringExpr(value, depth, jsonAware);
  if (Array.isArray(value)) {
    if (value.length === 0) return { lines: ["[]"], aligned: true };
    const items = value.map((v) => valueExpr(v, depth + 1, jsonAware));
    if (value.every((v) => !isObject(v) && !Array.isArray(v)) && items.every((e) => e.lines.length === 1)) {
      const inline = `[${items.map((e) => e.lines[0]).join(", ")}]`;
      if (width(inline) <= INLINE_LIST_WIDTH) return { lines: [inline], aligned: true };
    }
    const lines = ["["];
    for (const item of items) {
      lines.push(pad(depth + 1) + item.lines[0], ...item.lines.slice(1));
      lines[lines.length - 1] += ",";
    }
    lines.push(`${pad(depth)}]`);
    return { lines, aligned: false };
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return { lines: ["{}"], aligned: true };
  const items: Item[] = entries.map(([k, v]) => ({ kind: "attr", key: keyText(k), value: valueExpr(v, depth + 1, jsonAware) }));
  return { lines: ["{", ...bodyLines(items, depth + 1, false), `${pad(depth)}}`], aligned: false };
}

/** A list of references written bare (`depends_on`, `ignore_changes`). */
function referenceList(value: Json, where: string): Expr {
  const list = Array.isArray(value) ? value : [value];
  const refs = list.map((v) => {
    if (typeof v !== "string" || !TRAVERSAL.test(v)) throw new HclWriteError(`${where}: expected references such as aws_iam_role.x. Received: ${JSON.stringify(v)}.`);
    return v;
  });
  if (!Array.isArray(value)) return { lines: [refs[0]], aligned: true };
  return valueExprOfBare(refs);
}

function valueExprOfBare(refs: string[]): Expr {
  if (refs.length === 0) return { lines: ["[]"], aligned: true };
  const inline = `[${refs.join(", ")}]`;
  if (width(inline) <= INLINE_LIST_WIDTH) return { lines: [inline], aligned: true };
  return { lines: ["[", ...refs.map((r) => `  ${r},`), "]"], aligned: false };
}

/* ------------------------------------------------------------------ bodies */

/**
 * Lines of a body at `depth`: attributes with their `=` aligned in runs of
 * aligned attributes (as fmt does), a blank line around every block when
 * `spaced`.
 */
function bodyLines(items: Item[], depth: number, spaced = true): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < items.length) {
    const item = items[i];
    if (item.kind === "block") {
      if (spaced && out.length > 0) out.push("");
      out.push(...item.lines);
      i += 1;
      if (spaced && i < items.length) out.push("");
      continue;
    }
    let end = i;
    while (end < items.length && items[end].kind === "attr") end += 1;
    const run = items.slice(i, end) as Array<Extract<Item, { kind: "attr" }>>;
    let j = 0;
    while (j < run.length) {
      if (!run[j].value.aligned) {
        out.push(...attrLines(run[j].key, run[j].value, depth, width(run[j].key)));
        j += 1;
        continue;
      }
      let k = j;
      while (k < run.length && run[k].value.aligned) k += 1;
      const w = Math.max(...run.slice(j, k).map((a) => width(a.key)));
      for (const a of run.slice(j, k)) out.push(...attrLines(a.key, a.value, depth, w));
      j = k;
    }
    i = end;
  }
  return out;
}

function attrLines(key: string, value: Expr, depth: number, keyWidth: number): string[] {
  const name = key + " ".repeat(keyWidth - width(key));
  return [`${pad(depth)}${name} = ${value.lines[0]}`, ...value.lines.slice(1)];
}

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
