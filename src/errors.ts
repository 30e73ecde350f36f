/**
 * Every user-facing error the engine raises is built here, so the wording stays
 * consistent and tests can assert exact messages. Each message says what is
 * wrong, where (file, line, variable or state), what was received and how to fix it.
 */

/**
 * How a command ends when this error stops it (the exit-code rule of every
 * `sfn-workflows` command): 2, the command could not run (bad flags, unknown
 * workflow, unreadable file, invalid configuration); 1, the work found
 * problems (lint errors, a template that does not render).
 */
export type ExitCode = 1 | 2;

/** What a user-facing problem says: what is wrong, where, what was received and how to fix it. */
export interface Problem {
  /** What is wrong, e.g. `--stage needs a value`. */
  readonly what: string;
  /** Where: a flag, file, variable or state. Printed first. */
  readonly where?: string;
  /** The value received, shown JSON-quoted. */
  readonly received?: unknown;
  /** How to fix it. */
  readonly fix?: string;
}

/** One line: `<where>: <what>. Received: <value>. Fix: <fix>.` */
export function formatProblem(p: Problem): string {
  const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  let line = sentence(p.where ? `${p.where}: ${p.what}` : p.what);
  if (p.received !== undefined) line += ` Received: ${showValue(p.received)}.`;
  if (p.fix) line += ` Fix: ${sentence(p.fix)}`;
  return line;
}

/** A received value, quoted and cut short so that the message stays one line. */
export function showValue(value: unknown, max = 120): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Base class: carries the file the problem is in, when there is one. */
export class ProjectError extends Error {
  /** See ExitCode. @default 2 */
  readonly exitCode: ExitCode = 2;
  constructor(message: string, public readonly file?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command line the command cannot run: unknown or repeated flag, missing value, bad value. */
export class UsageError extends ProjectError {
  /** @param command the subcommand, for the `--help` hint */
  constructor(problem: Problem | string, command?: string) {
    const hint = command ? ` Run \`sfn-workflows ${command} --help\` for the usage.` : "";
    super((typeof problem === "string" ? problem : formatProblem(problem)) + hint);
  }
}

/** A file or folder named on the command line that cannot be read or written as asked. */
export class FileAccessError extends ProjectError {
  constructor(problem: Problem) {
    super(formatProblem(problem), problem.where);
  }
}

/** Input the command read (a JSON value, a file's content) that it cannot use. */
export class InvalidInputError extends ProjectError {
  constructor(problem: Problem) {
    super(formatProblem(problem), problem.where);
  }
}

/** Invalid stage configuration: one error that lists every problem at once. */
export class ConfigError extends ProjectError {
  constructor(public readonly problems: string[], file?: string) {
    super(
      // One problem: one line; several: one per line under the heading.
      `Invalid stage configuration${file ? ` (${file})` : ""}:` + (problems.length === 1 ? ` ${problems[0]}` : "\n" + problems.map((p) => `  - ${p}`).join("\n")),
      file,
    );
  }
}

/** A template that cannot be compiled or rendered, or renders to invalid JSON: a problem in the work (exit 1). */
export class TemplateError extends ProjectError {
  override readonly exitCode: ExitCode = 1;
}

/** A workflow name that the catalogue does not know. */
export class UnknownWorkflowError extends ProjectError {
  constructor(name: string, known: readonly string[]) {
    super(`Unknown workflow "${name}". Known workflows: ${known.join(", ")}. Add it to workflows/catalogue.ts or fix the name.`);
  }
}

/** A definition whose lint reported errors: rendering and synthesis stop here (exit 1). */
export class WorkflowLintError extends ProjectError {
  override readonly exitCode: ExitCode = 1;
  constructor(
    public readonly workflow: string,
    file: string,
    public readonly lines: string[],
  ) {
    super(`Workflow "${workflow}" (${file}) has ${lines.length} lint error(s):\n` + lines.map((l) => `  ${l}`).join("\n"), file);
  }
}

/** A line of a template file, and for a partial the template line that included it. */
export interface TemplatePlace {
  readonly file: string;
  readonly line: number;
  /** The line's text, trimmed. */
  readonly reads: string;
  /** @default none (the text is the template's own) */
  readonly includedAt?: TemplatePlace;
}

export const messages = {
  envLine: (file: string, line: number, text: string) =>
    `${file}:${line}: cannot parse "${text}". Expected KEY=value (KEY of letters, digits and _), a comment starting with #, or an empty line.`,
  missingVariable: (file: string, line: number, variable: string, known: readonly string[]) =>
    `${file}:${line}: template variable "${variable}" is not defined. Known variables: ${known.join(", ")}. Fix the name, or declare a stage variable of your own in workflows/stage-variables.ts.`,
  templateSyntax: (file: string, detail: string, tripleBrace = false) =>
    `${file}: Handlebars syntax error: ${detail.trim()}` +
    (tripleBrace ? "\nA JSON object closing right after a helper reads as `}}}`, Handlebars' triple-stash: put a space between `}}` and `}`." : ""),
  /**
   * One line: the template line (and the partial's) the invalid text came from, what it reads, and the place
   * of the text just before it when that is another line (a missing or extra comma shows up at the next token).
   */
  renderedJson: (
    file: string,
    detail: string,
    rendered: { line: number; column: number; reads: string },
    at: TemplatePlace | undefined,
    before: TemplatePlace | undefined,
  ) => {
    const fix = "Fix the template so that it renders valid JSON (use {{json value}} to emit values).";
    const where = `rendered line ${rendered.line}, column ${rendered.column}`;
    if (!at) return `${file}: rendered output is not valid JSON at ${where}: ${detail}; rendered line ${rendered.line} reads ${JSON.stringify(rendered.reads)}. ${fix}`;
    const place = (p: TemplatePlace) => (p.includedAt ? `${p.includedAt.file}:${p.includedAt.line}, in partial ${p.file}:${p.line}` : `${p.file}:${p.line}`);
    const reads = (p: TemplatePlace) => `${p.file === file ? "line" : p.file + " line"} ${p.line} reads ${JSON.stringify(p.reads)}`;
    const samePlace = before && before.file === at.file && before.line === at.line;
    const after = before && !samePlace ? `, just after ${place(before)} (${reads(before)})` : "";
    return `${place(at)}: rendered output is not valid JSON: ${detail} (${where}); ${reads(at)}${after}. ${fix}`;
  },
  unknownHandler: (file: string, line: number, handler: string, known: readonly string[]) =>
    `${file}:${line}: {{lambda "${handler}"}} names no handler in handlers/. Known handlers: ${known.join(", ")}. Create handlers/${handler}.ts or fix the name.`,
};

/** A Terraform address (`<type>.<name>`) that is not snake_case, missing, or taken twice in one stack. */
export class AddressError extends ProjectError {}

export const addressMessages = {
  notSnakeCase: (stack: string, path: string, type: string, name: string) =>
    `Stack "${stack}": ${path} (${type}) was given the Terraform address name "${name}", which is not snake_case. Received: "${name}". ` +
    `Use lower-case letters, digits and single underscores, starting with a letter (snake() in modules/addresses.ts converts workflow and handler names).`,
  missing: (stack: string, path: string, type: string, hashed: string) =>
    `Stack "${stack}": ${path} (${type}) has no explicit Terraform address, so cdktf would call it ${type}.${hashed}, a hash of its construct path that changes whenever the code is refactored. ` +
    `Name it with address() from modules/addresses.ts, after what it is.`,
  collision: (stack: string, address: string, paths: readonly string[]) =>
    `Stack "${stack}": ${paths.length} blocks would share the Terraform address ${address}: ${paths.join(", ")}. Addresses must be unique in a stack and are never suffixed silently. ` +
    `Rename the workflow (workflows/catalogue.ts) or handler (handlers/) whose name produces it, or give one of the constructs another address base in modules/.`,
};
