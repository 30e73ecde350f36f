/** JSON helpers shared by the renderer, the lint and the review: canonical key order and parse errors with a position. */

/** Keys a reader looks for first; every other key follows in alphabetical order. */
const FIRST = ["Type", "Comment", "StartAt"];

function compareKeys(a: string, b: string): number {
  const ia = FIRST.indexOf(a);
  const ib = FIRST.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST.length : ia) - (ib < 0 ? FIRST.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON with object keys in a canonical order at every level (`Type`,
 * `Comment`, `StartAt` first, then alphabetical): the same definition always
 * prints the same bytes, whatever order the template used.
 */
export function stableStringify(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Parses JSON; on a syntax error returns the 1-based line and column and a
 * two-line snippet with a caret, so a template author can find the mistake.
 */
export function parseJsonWithPosition(
  text: string,
): { ok: true; value: unknown } | { ok: false; position: number; line: number; column: number; detail: string; snippet: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = (error as Error).message;
    const position = positionOf(detail, text);
    const before = text.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    const lines = text.split("\n");
    const shown = [line - 1, line].filter((n) => n >= 1 && n <= lines.length);
    const snippet = shown
      .map((n) => `  ${String(n).padStart(4)} | ${lines[n - 1]}`)
      .concat(`         ${" ".repeat(Math.max(0, column - 1))}^`)
      .join("\n");
    return { ok: false, position, line, column, detail: detail.replace(/ in JSON at position \d+.*$/s, ""), snippet };
  }
}

function positionOf(message: string, text: string): number {
  const match = /at position (\d+)/.exec(message);
  if (match) return Number(match[1]);
  // "Unexpected end of JSON input" has no position: the problem is at the end.
  return text.length;
}
