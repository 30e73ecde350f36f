/**
 * Where a team stage variable's value went: the module is built from two
 * sentinel stages that give each team variable a different valid value
 * (team-variables.ts); after every other stage value became an expression, the
 * two are the same but where those values went. Aligning each pair of strings
 * that differ finds those places (each becomes `${var.<name>}`); anything else
 * that differs (a string that cannot be aligned, a number, a list of another
 * length) is a dependency on the stage the module cannot express, and is named.
 *
 * Values are found by alignment, not by search, so the same text elsewhere
 * ("sandbox" in a comment, "live" inside "delivery") stays text.
 */
import type { JsonValue } from "./transform";

export interface Hole {
  /** The expression that stands for the value, e.g. `${var.payment_mode}`. */
  readonly expression: string;
  /** The value in the first and in the second synthesis. */
  readonly values: readonly [string, string];
}

const isObject = (v: unknown): v is { [key: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The template with holes that gives `a` with the first values and `b` with the
 * second, or undefined. Holes are tried before text at each place, and a place
 * that led nowhere is not tried again (a depth-first search without recursion:
 * definitions are long).
 */
export function alignStrings(a: string, b: string, holes: readonly Hole[]): string | undefined {
  const live = holes.filter((h) => h.values[0] !== h.values[1] && h.values[0] !== "" && h.values[1] !== "");
  const failed = new Set<number>();
  const key = (i: number, j: number) => i * (b.length + 1) + j;
  const out: string[] = [];
  const stack: Array<{ i: number; j: number; next: number; depth: number }> = [{ i: 0, j: 0, next: 0, depth: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    out.length = f.depth;
    if (f.i === a.length && f.j === b.length) return out.join("");
    let pushed = false;
    while (!pushed && f.next <= live.length) {
      const choice = f.next++;
      let i = f.i;
      let j = f.j;
      let piece: string;
      if (choice < live.length) {
        const [x, y] = live[choice].values;
        if (!a.startsWith(x, i) || !b.startsWith(y, j)) continue;
        piece = live[choice].expression;
        i += x.length;
        j += y.length;
      } else {
        // A run of equal text up to the next place where a hole could start.
        let n = 0;
        while (i + n < a.length && j + n < b.length && a[i + n] === b[j + n]) {
          n += 1;
          if (live.some((h) => a.startsWith(h.values[0], i + n) && b.startsWith(h.values[1], j + n))) break;
        }
        if (n === 0) continue;
        piece = a.slice(i, i + n);
        i += n;
        j += n;
      }
      if (failed.has(key(i, j))) continue;
      out.push(piece);
      stack.push({ i, j, next: 0, depth: out.length });
      pushed = true;
    }
    if (!pushed) {
      failed.add(key(f.i, f.j));
      stack.pop();
    }
  }
  return undefined;
}

const show = (v: JsonValue) => {
  const t = JSON.stringify(v);
  return t.length > 160 ? `${t.slice(0, 160)}...` : t;
};

/** `a` with the holes put where `b` differs, and the places that differ in a way holes cannot explain (at most 5). */
export function alignDocs(a: JsonValue, b: JsonValue, holes: readonly Hole[], path = "", differences: string[] = []): { doc: JsonValue; differences: string[] } {
  const differ = () => {
    if (differences.length < 5) differences.push(`${path}: ${show(a)} vs ${show(b)}`);
    return { doc: a, differences };
  };
  if (a === b || JSON.stringify(a) === JSON.stringify(b)) return { doc: a, differences };
  if (typeof a === "string" && typeof b === "string") {
    const aligned = alignStrings(a, b, holes);
    return aligned === undefined ? differ() : { doc: aligned, differences };
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    if (keys.some((k) => !(k in a) || !(k in b))) {
      for (const k of keys.sort()) if (!(k in a) || !(k in b)) alignDocs(a[k] ?? null, b[k] ?? null, holes, path ? `${path}.${k}` : k, differences);
      return { doc: a, differences };
    }
    const doc: { [key: string]: JsonValue } = {};
    for (const k of Object.keys(a)) doc[k] = alignDocs(a[k], b[k], holes, path ? `${path}.${k}` : k, differences).doc;
    return { doc, differences };
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return { doc: a.map((x, i) => alignDocs(x, b[i], holes, `${path}[${i}]`, differences).doc), differences };
  }
  return differ();
}
