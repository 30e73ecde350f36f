/**
 * `sfn-workflows <command> [options]`: finds the command in src/cli/commands/,
 * parses its arguments, runs it, and turns whatever it throws into one line
 * on stderr and an exit code (see src/cli/command.ts for the rule). A stack
 * trace is printed only with --debug.
 *
 * bin/sfn-workflows.mjs calls `main` with the real process; tests call it (or
 * a command's `run`) in-process with their own Io.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { ConfigError, ProjectError, UsageError, WorkflowLintError } from "../errors";
import type { Command, Io } from "./command";

const COMMANDS_DIR = join(__dirname, "commands");

/** The command files: `<name>.ts`, with ":" in a name written as "-" (`terraform:check` -> terraform-check.ts). */
function commandFiles(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => /^[a-z][a-z0-9-]*\.ts$/.test(f))
    .sort();
}

function load(file: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(COMMANDS_DIR, file)) as { default?: Command };
  if (!mod.default || typeof mod.default.run !== "function") throw new Error(`src/cli/commands/${file} has no default export made with defineCommand().`);
  return mod.default;
}

/** Every command, in name order (loads each command file; they import their heavy parts lazily). */
export function listCommands(): Command[] {
  return commandFiles().map(load);
}

/** The command called `name`, or undefined. */
export function findCommand(name: string): Command | undefined {
  if (!/^[a-z][a-z0-9:-]*$/.test(name)) return undefined;
  const file = `${name.replace(/:/g, "-")}.ts`;
  if (!existsSync(join(COMMANDS_DIR, file))) return undefined;
  const command = load(file);
  return command.name === name ? command : undefined;
}

export function version(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

export function topLevelHelp(): string {
  const commands = listCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: sfn-workflows <command> [options]",
    "",
    "Step Functions workflows as Handlebars ASL templates: render, lint, run locally, synthesize to Terraform, review.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `sfn-workflows <command> --help` for a command's options. Every command takes --debug (stack traces on errors).",
    "Exit codes: 0 ok; 1 the work found problems or the execution failed; 2 the command could not run.",
  ].join("\n");
}

/** Runs `sfn-workflows <argv>` and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  let debug = argv.includes("--debug");
  let command: Command | undefined;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const target = name === "help" ? rest[0] : undefined;
      if (target !== undefined) {
        const c = findCommand(target);
        if (!c) throw unknownCommand(target);
        io.stdout(c.help());
        return 0;
      }
      if (name === undefined) throw new UsageError({ what: `No command given. Commands: ${listCommands().map((c) => c.name).join(", ")}`, fix: "run `sfn-workflows --help`" });
      io.stdout(topLevelHelp());
      return 0;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(version());
      return 0;
    }
    command = findCommand(name);
    if (!command) throw unknownCommand(name);
    const parsed = command.parse(rest);
    debug = parsed.debug;
    if (parsed.help) {
      io.stdout(command.help());
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    return report(error, io, { debug, command: command?.name ?? name });
  }
}

function unknownCommand(name: string): UsageError {
  const names = listCommands().map((c) => c.name);
  const hint = name.startsWith("-") ? " A command comes first: sfn-workflows <command> [options]." : "";
  return new UsageError({ what: `Unknown command ${JSON.stringify(name)}.${hint} Commands: ${names.join(", ")}`, fix: "run `sfn-workflows --help`" });
}

/**
 * Prints an error the way every command does and returns its exit code:
 * a ProjectError's message (one line; configuration and lint errors list
 * their problems under it); an operating-system error on a file as one line;
 * anything else as a bug to report. The stack only with --debug.
 */
export function report(error: unknown, io: Pick<Io, "stderr">, options: { debug?: boolean; command?: string } = {}): number {
  const described = describeError(error, options.command);
  io.stderr(described.message);
  if (options.debug && error instanceof Error && error.stack) io.stderr(error.stack);
  return described.exitCode;
}

export function describeError(error: unknown, command?: string): { message: string; exitCode: 1 | 2; bug: boolean } {
  if (error instanceof ProjectError) {
    // Configuration and lint errors list one problem per line; everything else is one line.
    const listed = error instanceof ConfigError || error instanceof WorkflowLintError;
    return { message: listed ? error.message : oneLine(error.message), exitCode: error.exitCode, bug: false };
  }
  const fs = fileSystemError(error);
  if (fs) return { message: fs, exitCode: 2, bug: false };
  // By name, not instanceof: errors from Node's own modules come from another realm under jest's vm.
  if ((error as Error | undefined)?.name === "RangeError" && /call stack/i.test((error as Error).message)) {
    return {
      message: "The input is nested too deeply to process (the JavaScript call stack ran out). Fix: flatten the JSON, or pass the definition or input that was meant.",
      exitCode: 2,
      bug: false,
    };
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    message: `${command ? `sfn-workflows ${command}` : "sfn-workflows"}: unexpected error, a bug in sfn-workflows (please report it, with the command you ran, to ${bugTracker()}): ${oneLine(what)}. Run it again with --debug to see the stack trace.`,
    exitCode: 2,
    bug: true,
  };
}

const FS_CODES: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a folder, a file was expected",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "it already exists",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
};

/** Node's errors on files (an unreadable `.env`, a folder where a file belongs) as one line. */
function fileSystemError(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (typeof e !== "object" || e === null || typeof e.code !== "string" || !Object.hasOwn(FS_CODES, e.code)) return undefined;
  const path = e.path ?? (e as { dest?: string }).dest;
  const fix = `Fix: check that the path exists and is ${e.code === "EISDIR" ? "a file" : "readable and writable as needed"}, or pass another one.`;
  // Reading a folder as a file fails on the descriptor, so Node names no path: keep its own words then.
  return path ? `${path}: ${FS_CODES[e.code]}${e.syscall ? ` (${e.syscall})` : ""}. ${fix}` : `A file the command reads or writes: ${FS_CODES[e.code]} (${oneLine(e.message)}). ${fix}`;
}

/** Where bugs go: package.json's `bugs`, else its repository's issues. */
export function bugTracker(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { bugs?: string | { url?: string }; repository?: string | { url?: string } };
    const bugs = typeof pkg.bugs === "string" ? pkg.bugs : pkg.bugs?.url;
    if (bugs) return bugs;
    const repo = (typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url)?.replace(/^git\+/, "").replace(/\.git$/, "");
    if (repo && /^https?:/.test(repo)) return `${repo}/issues`;
  } catch {
    // Fall through to the generic wording.
  }
  return "the issues of the sfn-workflows repository";
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " | ");
}

/** The Io of the real process: lines to stdout/stderr, bound now so that later redirections of process.stdout do not move them. */
export function processIo(): Io {
  // `sfn-workflows render map | head -1`: a reader that stops early is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  return { stdout: (line) => void out(`${line}\n`), stderr: (line) => void err(`${line}\n`), cwd: process.cwd(), env: process.env };
}
