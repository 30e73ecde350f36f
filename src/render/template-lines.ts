/**
 * Where a character of the rendered output came from in the templates: used
 * only when the output is not valid JSON, so that the error names the
 * template's line (and the partial's), not the rendered output's.
 *
 * The template (and each partial) is parsed to Handlebars' AST, and every
 * ContentStatement gets an invisible marker `\uE000<file>:<line>\uE001` at its
 * start and at each line start inside it (AST nodes carry `loc`). Rendering
 * that AST gives the same output with markers in it; stripping them while
 * remembering their offsets maps an offset of the plain output back to the
 * nearest preceding marker. Text a helper or variable renders belongs to the
 * line of the content before it, which is where the helper was written. The
 * success path never comes here.
 */
import type Handlebars from "handlebars";

const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKER = /\uE000(\d+):(\d+)\uE001/g;

/** A template file the markers can name. */
export interface MarkedFile {
  /** As shown in messages, e.g. `workflows/partials/task-timeout.hbs`. */
  readonly shown: string;
  readonly source: string;
  readonly partial: boolean;
}

/** True when the markers could be mistaken for text of the source (they are private-use characters, so never in practice). */
export function canMark(source: string): boolean {
  return !source.includes(OPEN) && !source.includes(CLOSE);
}

type Node = { type?: string; [key: string]: unknown };

/**
 * Parses `source` (whitespace control applied, as Handlebars compiles it) and
 * inserts a marker for file `index` at the start of every content statement
 * and at every line start inside one. The result compiles to the same output plus markers.
 */
export function markedAst(hb: typeof Handlebars, source: string, index: number): hbs.AST.Program {
  const ast = hb.parse(source);
  visit(ast as unknown as Node, index);
  return ast;
}

function visit(node: unknown, index: number): void {
  if (Array.isArray(node)) {
    node.forEach((n) => visit(n, index));
    return;
  }
  if (node === null || typeof node !== "object") return;
  const n = node as Node;
  if (n.type === "ContentStatement") {
    mark(n as unknown as { value: string; original: string; loc: hbs.AST.SourceLocation }, index);
    return;
  }
  for (const key of ["body", "program", "inverse"]) visit(n[key], index);
}

function mark(content: { value: string; original: string; loc: hbs.AST.SourceLocation }, index: number): void {
  const { value, original, loc } = content;
  // Whitespace control only trims the ends of `original`: find where `value` starts in it
  // (all of it trimmed: at its end, just before the statement that follows).
  let start = value === "" ? original.length : 0;
  while (start < original.length && !original.startsWith(value, start) && /\s/.test(original[start])) start++;
  if (!original.startsWith(value, start)) start = 0;
  let line = loc.start.line;
  for (let i = 0; i < start; i++) if (original[i] === "\n") line++;
  const marker = (l: number) => `${OPEN}${index}:${l}${CLOSE}`;
  let out = marker(line);
  for (let p = 0; p < value.length; p++) {
    out += value[p];
    if (value[p] === "\n") {
      line++;
      out += marker(line);
    }
  }
  content.value = out;
}

/** Where an offset of the rendered output came from: a file (index into the marked files) and its 1-based line. */
export interface Origin {
  readonly file: number;
  readonly line: number;
}

/**
 * Strips the markers from `marked`; undefined when what is left is not
 * exactly `text` (the marked rendering then cannot be trusted). Else, for an
 * offset of `text`, the origin of the nearest preceding marker, and the one
 * before the run of markers of the same file (the place a partial was included).
 */
export function originsOf(marked: string, text: string): ((offset: number) => { at: Origin; before?: Origin } | undefined) | undefined {
  const offsets: number[] = [];
  const origins: Origin[] = [];
  let plain = "";
  let last = 0;
  for (const m of marked.matchAll(MARKER)) {
    plain += marked.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    offsets.push(plain.length);
    origins.push({ file: Number(m[1]), line: Number(m[2]) });
  }
  plain += marked.slice(last);
  if (plain !== text) return undefined;
  return (offset) => {
    let i = -1;
    for (let j = 0; j < offsets.length && offsets[j] <= offset; j++) i = j;
    if (i < 0) return undefined;
    const at = origins[i];
    let k = i;
    while (k >= 0 && origins[k].file === at.file) k--;
    return { at, ...(k >= 0 ? { before: origins[k] } : {}) };
  };
}
