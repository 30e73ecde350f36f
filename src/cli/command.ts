/**
 * What a `sfn-workflows` subcommand is: a name, its options (parsed with
 * node:util's parseArgs, strict), its help text and a `run` that gets the
 * parsed arguments and an Io, and returns the exit code. Every subcommand is
 * one file in src/cli/commands/ whose default export is `defineCommand({...})`;
 * src/cli/main.ts finds it there, so adding one is a one-file change.
 *
 * Exit codes, for every command: 0 ok; 1 the work found problems or the
 * execution failed; 2 the command could not run (bad flags, unknown workflow,
 * unreadable file, invalid configuration). Errors are thrown as ProjectError
 * (src/errors.ts) and printed on one line by src/cli/main.ts.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors";

/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface Io {
  /** Writes one line (a newline is added) to standard output. */
  readonly stdout: (line: string) => void;
  /** Writes one line (a newline is added) to standard error. */
  readonly stderr: (line: string) => void;
  /** Folder that relative paths and `.env` are read from. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Repeatable: the values come as an array. */
  readonly multiple?: boolean;
  /** Shown in --help after the flag, e.g. `<stage>`. */
  readonly value?: string;
  readonly description: string;
}

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface CommandSpec {
  /** As typed after `sfn-workflows`; the file is src/cli/commands/<name with ":" as "-">.ts. */
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** The arguments after the name in the usage line, e.g. `<workflow> [options]`. */
  readonly synopsis: string;
  /** Paragraphs printed under the usage line. */
  readonly description?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Positional arguments allowed. @default { min: 0, max: 0 } */
  readonly positionals?: { readonly min: number; readonly max: number; readonly name: string };
  readonly run: (args: Parsed, io: Io) => Promise<number> | number;
}

export interface Command extends CommandSpec {
  /** Parses argv strictly; throws UsageError with the command's name for the --help hint. */
  parse(argv: readonly string[]): Parsed & { readonly help: boolean; readonly debug: boolean };
  help(): string;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "print this help and exit" },
  debug: { type: "boolean", description: "on an error, also print its stack trace" },
};

export function defineCommand(spec: CommandSpec): Command {
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const usage = (): string => usageLine(spec);
  return {
    ...spec,
    help: () => helpText(spec, all, usage()),
    parse(argv) {
      const config: ParseArgsConfig = {
        args: [...argv],
        options: Object.fromEntries(
          Object.entries(all).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
        ),
        allowPositionals: true,
        strict: true,
        tokens: true,
      };
      let result: ReturnType<typeof parseArgs>;
      try {
        result = parseArgs(config);
      } catch (error) {
        if (!String((error as { code?: string }).code).startsWith("ERR_PARSE_ARGS_")) throw error;
        throw new UsageError(rewordParseError(error as Error & { code?: string }, all), spec.name);
      }
      const values = result.values as Record<string, string | boolean | string[] | undefined>;
      const help = values.help === true;
      // A flag given twice is a mistake unless it is repeatable; parseArgs would silently keep the last.
      const seen = new Set<string>();
      for (const token of result.tokens ?? []) {
        if (token.kind !== "option") continue;
        if (!all[token.name]?.multiple && seen.has(token.name)) {
          throw new UsageError({ what: `--${token.name} is given twice`, fix: "give it once" }, spec.name);
        }
        seen.add(token.name);
        if (all[token.name]?.type === "string" && token.value === "") {
          throw new UsageError({ what: `--${token.name} needs a value`, received: "", fix: `write ${flagWithValue(token.name, all[token.name])}` }, spec.name);
        }
      }
      const { min, max, name } = spec.positionals ?? { min: 0, max: 0, name: "" };
      const positionals = result.positionals;
      if (!help) {
        if (positionals.length > max) {
          const extra = positionals.slice(max);
          throw new UsageError(
            max === 0
              ? { what: `${spec.name} takes no ${extra.length > 1 ? "arguments" : "argument"} besides its options`, received: extra.join(" "), fix: `remove it (usage: ${usage()})` }
              : { what: `${spec.name} takes at most ${max} ${name}`, received: positionals.join(" "), fix: `pass one per run (usage: ${usage()})` },
            spec.name,
          );
        }
        if (positionals.length < min) throw new UsageError({ what: `${spec.name} needs ${name}`, fix: `usage: ${usage()}` }, spec.name);
      }
      return { values, positionals, help, debug: values.debug === true };
    },
  };
}

function flagWithValue(name: string, o: OptionSpec): string {
  return o.type === "string" ? `--${name} ${o.value ?? "<value>"}` : `--${name}`;
}

function usageLine(spec: CommandSpec): string {
  return `sfn-workflows ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ""}`;
}

function helpText(spec: CommandSpec, all: Readonly<Record<string, OptionSpec>>, usage: string): string {
  const rows = Object.entries(all).map(([name, o]) => [`${o.short ? `-${o.short}, ` : "    "}${flagWithValue(name, o)}${o.multiple ? " (repeatable)" : ""}`, o.description]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${usage}`,
    "",
    spec.summary,
    ...(spec.description ? ["", spec.description] : []),
    "",
    "Options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    "",
    "Exit codes: 0 ok; 1 the work found problems or the execution failed; 2 the command could not run (bad flags, unknown workflow, unreadable file, invalid configuration).",
  ].join("\n");
}

/** node:util's messages, reworded as what/received/fix. */
function rewordParseError(error: Error & { code?: string }, all: Readonly<Record<string, OptionSpec>>): string {
  // "Option '-h, --help' does not take an argument": prefer the long name.
  const option = /'(?:-\w, )?(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  const name = option?.replace(/^-+/, "");
  const spec = name ? (all[name] ?? Object.entries(all).find(([, o]) => o.short === name)?.[1]) : undefined;
  const known = Object.keys(all).map((k) => `--${k}`).join(", ");
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option ${JSON.stringify(option ?? error.message)}. Known options: ${known}.`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take an argument/.test(error.message)) return `${option} takes no value. Fix: write ${option} alone.`;
      if (/argument missing/.test(error.message)) return `${option} needs a value. Fix: write ${option} ${spec?.value ?? "<value>"}.`;
      if (/ambiguous/.test(error.message)) {
        return `${option} needs a value, but the next argument starts with "-". Fix: write ${option}=<value> if the value starts with "-", or give the value.`;
      }
      return oneLine(error.message);
    default:
      return oneLine(error.message);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
