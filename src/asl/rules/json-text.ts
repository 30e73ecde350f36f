/**
 * What JSON.parse hides: a key given twice in one object (the last one silently
 * wins, so a duplicated state or field vanishes), and nesting so deep that any
 * recursive walk (ours, asl-validator's, structuredClone) overflows the stack.
 * Both are found here in one iterative pass, so no input can crash it.
 */
import { joinPath } from '../graph';

/** Deeper than this is reported (SFN008) and not walked: the rules and asl-validator recurse. */
export const MAX_DEPTH = 1000;

export interface DuplicateKey {
  /** Path of the object holding the key ('' for the root). */
  objectPath: string;
  key: string;
  /** 1-based line and column of each occurrence of the key. */
  first: { line: number; column: number };
  second: { line: number; column: number };
}

export interface TextScan {
  duplicates: DuplicateKey[];
  /** Deepest nesting of objects and arrays (1 for `{}`). */
  depth: number;
}

interface Frame {
  kind: 'object' | 'array';
  path: string;
  keys: Map<string, { line: number; column: number }>;
  index: number;
  /** The key just read, waiting for its value. */
  key?: string;
}

/** Scans valid JSON text; call it only after JSON.parse accepted the text. */
export function scanJsonText(text: string): TextScan {
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.kind === 'array' ? joinPath(top.path, top.index) : joinPath(top.path, top.key ?? '');
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    }
    else if (c === 123 || c === 91) {
      // { or [
      const path = childPath();
      stack.push({ kind: c === 123 ? 'object' : 'array', path, keys: new Map(), index: 0 });
      depth = Math.max(depth, stack.length);
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44) {
      // , : next element or member
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top) top.key = undefined;
    } else if (c === 34) {
      // a string: find its end, honouring escapes
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.key === undefined) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const here = { line, column: i - lineStart + 1 };
        const first = top.keys.get(key);
        if (first !== undefined) duplicates.push({ objectPath: top.path, key, first, second: here });
        else top.keys.set(key, here);
        top.key = key;
      }
      i = j;
    }
  }
  return { duplicates, depth };
}

/** Nesting depth of a parsed value, without recursion; stops counting past `limit`. */
export function valueDepth(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return max;
}
