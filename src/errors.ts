/**
 * Every user-facing error the engine raises is built here, so the wording stays
 * consistent and tests can assert exact messages. Each message says what is
 * wrong, where (file, line, variable or state), what was received and how to fix it.
 */

/** Base class: carries the file the problem is in, when there is one. */
export class ProjectError extends Error {
  constructor(message: string, public readonly file?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid stage configuration: one error that lists every problem at once. */
export class ConfigError extends ProjectError {
  constructor(public readonly problems: string[], file?: string) {
    super(
      `Invalid stage configuration${file ? ` (${file})` : ""}:\n` + problems.map((p) => `  - ${p}`).join("\n"),
      file,
    );
  }
}

/** A template that cannot be compiled or rendered, or renders to invalid JSON. */
export class TemplateError extends ProjectError {}

/** A workflow name that the catalogue does not know. */
export class UnknownWorkflowError extends ProjectError {
  constructor(name: string, known: readonly string[]) {
    super(`Unknown workflow "${name}". Known workflows: ${known.join(", ")}. Add it to workflows/catalogue.ts or fix the name.`);
  }
}

/** A definition whose lint reported errors: rendering and synthesis stop here. */
export class WorkflowLintError extends ProjectError {
  constructor(
    public readonly workflow: string,
    file: string,
    public readonly lines: string[],
  ) {
    super(`Workflow "${workflow}" (${file}) has ${lines.length} lint error(s):\n` + lines.map((l) => `  ${l}`).join("\n"), file);
  }
}

export const messages = {
  envLine: (file: string, line: number, text: string) =>
    `${file}:${line}: cannot parse "${text}". Expected KEY=value (KEY of letters, digits and _), a comment starting with #, or an empty line.`,
  missingVariable: (file: string, line: number, variable: string, known: readonly string[]) =>
    `${file}:${line}: template variable "${variable}" is not defined. Known variables: ${known.join(", ")}. Fix the name, or declare a stage variable of your own in workflows/stage-variables.ts.`,
  templateSyntax: (file: string, detail: string, tripleBrace = false) =>
    `${file}: Handlebars syntax error: ${detail.trim()}` +
    (tripleBrace ? "\nA JSON object closing right after a helper reads as `}}}`, Handlebars' triple-stash: put a space between `}}` and `}`." : ""),
  renderedJson: (file: string, line: number, column: number, detail: string, snippet: string) =>
    `${file}: rendered output is not valid JSON at line ${line}, column ${column}: ${detail}\n${snippet}\nFix the template so that it renders valid JSON (use {{json value}} to emit values).`,
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
