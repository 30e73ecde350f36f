import { readFileSync } from "node:fs";
import { ConfigError, messages } from "../errors";

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/**
 * Parses a `.env` file. Unquoted values keep their inner spaces
 * (`OWNER=John Doe abc123` is "John Doe abc123"), so the seed's block works
 * verbatim; " #" starts a comment after an unquoted value; single or double
 * quotes keep everything literally (double quotes understand \n, \" and \\).
 * Every line that cannot be parsed is reported at once.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    const match = LINE.exec(raw);
    if (!match) {
      problems.push(messages.envLine(file, index + 1, raw.trim()));
      return;
    }
    const [, key, rest] = match;
    const value = parseValue(rest);
    if (value === undefined) {
      problems.push(messages.envLine(file, index + 1, raw.trim()) + " The closing quote is missing.");
      return;
    }
    if (typeof value === "object") {
      problems.push(
        `${file}:${index + 1}: ${key} has text after its closing quote: ${JSON.stringify(value.trailing)}. ` +
          `Put the whole value inside the quotes, or start a comment with " #".`,
      );
      return;
    }
    values[key] = value;
  });
  if (problems.length > 0) throw new ConfigError(problems, file);
  return values;
}

/** The value; undefined when a quote is not closed; `{trailing}` when text follows the closing quote. */
function parseValue(rest: string): string | undefined | { trailing: string } {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const end = findClosingQuote(rest, quote);
    if (end < 0) return undefined;
    // After the closing quote: nothing, or a comment (whitespace then #).
    const after = rest.slice(end + 1);
    if (after !== "" && !/^\s+#/.test(after)) return { trailing: after };
    const inner = rest.slice(1, end);
    return quote === '"' ? inner.replace(/\\([n"\\])/g, (_, c: string) => (c === "n" ? "\n" : c)) : inner;
  }
  const comment = rest.search(/\s#/);
  return (comment >= 0 ? rest.slice(0, comment) : rest).trim();
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}

/**
 * Reads and parses a `.env` file; a missing file is an empty set of values.
 * A folder, or a file that cannot be read, is a ConfigError naming it.
 */
export function readEnvFile(file: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    const why =
      code === "EISDIR"
        ? "is a directory, not a file"
        : code === "EACCES" || code === "EPERM"
          ? "cannot be read (permission denied)"
          : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigError([`${file} ${why}. Make it a readable KEY=value file, or remove it to use the environment and the defaults.`], file);
  }
  return parseEnvFile(text, file);
}
