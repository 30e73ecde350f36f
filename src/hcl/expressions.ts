/**
 * The expressions of the HCL writer (write.ts): strings as quoted text,
 * heredocs, bare references or `jsonencode({...})`, and lists and objects,
 * each as `terraform fmt` writes it.
 */
import { ProjectError } from "../errors";
import { type Json, isCanonicalJson } from "./json";

export type JsonObject = { [key: string]: Json };

/** A stack's .tf.json that the writer cannot turn into HCL (an unknown resource type, an unsupported top-level key). */
export class HclWriteError extends ProjectError {}

export const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Object keys written bare: identifiers that HCL would not read as a keyword or a `for` expression. */
export const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(["null", "true", "false", "for", "in", "if", "endif", "else", "endfor"]);
const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])*$/;
const INLINE_LIST_WIDTH = 80;

/** One rendered expression: `lines[0]` follows `name = `; the rest carry their own indentation. */
export interface Expr {
  lines: string[];
  /** fmt aligns the `=` of this attribute with its neighbours (one-line values and heredocs). */
  aligned: boolean;
}
export type Item = { kind: "attr"; key: string; value: Expr } | { kind: "block"; lines: string[] };

export const pad = (depth: number) => "  ".repeat(depth);
export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** Columns as fmt counts them: grapheme clusters (`é` written e + U+0301 is one). */
export const width = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text.length : [...graphemes.segment(text)].length);

/* ------------------------------------------------------------------ strings */

/**
 * Splits a template into literal text and `${...}` / `%{...}` sequences, with
 * Terraform's rules: `$${` and `%%{` are escapes (literal), anything else
 * starting `${`/`%{` runs to its matching brace.
 */
export function templateParts(text: string): Array<{ literal: boolean; text: string }> {
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
export function quoted(text: string): string {
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
export function valueExpr(value: Json, depth: number, jsonAware: boolean): Expr {
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
export function referenceList(value: Json, where: string): Expr {
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

/* ------------------------------------------------------------------ attribute runs */

/**
 * Lines of a body at `depth`: attributes with their `=` aligned in runs of
 * aligned attributes (as fmt does), a blank line around every block when
 * `spaced`.
 */
export function bodyLines(items: Item[], depth: number, spaced = true): string[] {
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

export function attrLines(key: string, value: Expr, depth: number, keyWidth: number): string[] {
  const name = key + " ".repeat(keyWidth - width(key));
  return [`${pad(depth)}${name} = ${value.lines[0]}`, ...value.lines.slice(1)];
}
