/**
 * The files a command reads or writes, checked before any work starts, so that
 * a bad path is one line naming the flag and the path (exit 2) and nothing is
 * half-written.
 */
import { accessSync, constants, readFileSync, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { FileAccessError, InvalidInputError } from "../errors";

/**
 * The deepest JSON nesting the commands accept. Real definitions and inputs
 * stay far below it; much deeper input would exhaust the call stack in the
 * recursive walks of the lint and the executor.
 */
export const MAX_JSON_DEPTH = 1000;

const why = (e: NodeJS.ErrnoException): string =>
  e.code === "EACCES" || e.code === "EPERM" ? "permission denied" : e.code === "ENOENT" ? "no such file" : e.code === "ENOTDIR" ? "a part of the path is a file, not a folder" : (e.code ?? e.message);

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Reads a file named by `where` (e.g. `--input x.json`); a missing file, a folder or an unreadable file is a FileAccessError. */
export function readTextFile(path: string, options: { cwd: string; where: string; fix: string }): string {
  const absolute = resolve(options.cwd, path);
  let info: Stats | undefined;
  try {
    info = stat(absolute);
  } catch (e) {
    throw new FileAccessError({ where: options.where, what: `cannot read the file (${why(e as NodeJS.ErrnoException)})`, fix: options.fix });
  }
  if (!info) throw new FileAccessError({ where: options.where, what: "no such file", fix: options.fix });
  if (info.isDirectory()) throw new FileAccessError({ where: options.where, what: "is a folder, not a file", fix: options.fix });
  try {
    return readFileSync(absolute, "utf8");
  } catch (e) {
    throw new FileAccessError({ where: options.where, what: `cannot read the file (${why(e as NodeJS.ErrnoException)})`, fix: options.fix });
  }
}

/** How deeply `text` (JSON) nests arrays and objects, counted without parsing. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Throws when `text` nests deeper than MAX_JSON_DEPTH. */
export function checkJsonDepth(text: string, where: string): void {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new InvalidInputError({ where, what: `the JSON is nested ${depth} levels deep; sfn-workflows reads at most ${MAX_JSON_DEPTH}`, fix: "flatten it" });
  }
}

/** Parses JSON read from `where`; invalid or too-deep JSON is an InvalidInputError. */
export function parseJson(text: string, where: string, fix: string): unknown {
  checkJsonDepth(text, where);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError({ where, what: `not valid JSON (${(e as Error).message})`, fix });
  }
}

/**
 * Checks that `path` can be the output folder: it is a folder, or it does not
 * exist and its nearest existing parent is a writable folder. Creates nothing.
 * Returns the absolute path.
 */
export function checkOutputFolder(path: string, options: { cwd: string; where: string }): string {
  const absolute = resolve(options.cwd, path);
  const fix = "pass a folder (or a path where one can be created) that you can write to";
  let probe = absolute;
  for (;;) {
    let info: Stats | undefined;
    try {
      info = stat(probe);
    } catch (e) {
      throw new FileAccessError({ where: options.where, what: `cannot use ${probe} (${why(e as NodeJS.ErrnoException)})`, fix });
    }
    if (info) {
      if (!info.isDirectory()) {
        throw new FileAccessError({
          where: options.where,
          what: probe === absolute ? "is not a folder" : `cannot create a folder under ${probe}, which is not a folder`,
          fix,
        });
      }
      try {
        accessSync(probe, constants.W_OK | constants.X_OK);
      } catch {
        throw new FileAccessError({ where: options.where, what: `${probe === absolute ? "the folder" : `its parent ${probe}`} is not writable`, fix });
      }
      return absolute;
    }
    const parent = dirname(probe);
    if (parent === probe) return absolute;
    probe = parent;
  }
}
