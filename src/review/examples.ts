/**
 * A workflow's example execution: `workflows/examples/<workflow>.json`, an
 * input plus mocked answers for the service integrations that have no local
 * implementation (DynamoDB, SNS, S3 SDK calls, ...). Lambda tasks run the
 * real handlers; a nested startExecution runs the child in-process; a
 * distributed Map reads the example's S3 objects. The review runs it on the
 * base's and this synthesis's definitions to compare their cost.
 *
 * ```json
 * {
 *   "description": "A two-line order, paid by card on the first attempt.",
 *   "input": { "orderId": "ord-1001" },
 *   "mocks": { "RecordOrder": { "Return": {} }, "Audit": { "Throw": { "Error": "Audit.Down", "Cause": "..." } } },
 *   "s3": { "{{PROJECT_NAME}}-{{STAGE}}-imports/incoming/rows.csv": "sku,quantity\nA-1,2\n" },
 *   "startTime": "2024-06-01T08:00:00Z"
 * }
 * ```
 *
 * Mocks take Step Functions Local's MockedResponse shape (`Return` or
 * `Throw`), one answer for every call of the state. S3 object names are
 * `<bucket>/<key>`, with the stage's template variables (`{{STAGE}}`).
 */

import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ProjectError, formatProblem } from "../errors";
import { REPO_ROOT } from "../config/handlers";
import { parseJsonWithPosition } from "../json";

/** Where examples live: one JSON file per catalogued workflow. */
export const EXAMPLES_DIR = join(REPO_ROOT, "workflows", "examples");

/** The virtual clock's start when the example names none: examples give the same history on every run. */
export const DEFAULT_EXAMPLE_START = "2024-06-01T08:00:00.000Z";

export type ExampleMock = { readonly Return: unknown } | { readonly Throw: { readonly Error: string; readonly Cause?: string } };

export interface WorkflowExample {
  /** The file, relative to the repository (or absolute when outside it), for messages. */
  readonly file: string;
  readonly description?: string;
  readonly input: unknown;
  readonly mocks: Readonly<Record<string, ExampleMock>>;
  /** Object contents by `<bucket>/<key>`, the bucket still holding `{{VARIABLE}}`s. */
  readonly s3: Readonly<Record<string, string>>;
  readonly startTime: string;
}

/** An example file that cannot be used; the review shows the message in the workflow's cost row. */
export class ExampleError extends ProjectError {}

const KEYS = ["description", "input", "mocks", "s3", "startTime"];
const FORMAT = 'an object with "input" and optionally "description", "mocks" ({"State": {"Return": ...}} or {"State": {"Throw": {"Error": "..."}}}), "s3" ({"<bucket>/<key>": "content"}) and "startTime"';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The example file of a workflow (it may not exist). */
export function exampleFile(workflow: string, dir = EXAMPLES_DIR): string {
  return join(dir, `${workflow}.json`);
}

/** How a file is named in messages: relative to the repository when inside it. */
export function displayPath(file: string): string {
  const rel = relative(REPO_ROOT, file);
  return rel.startsWith("..") ? file : rel;
}

/** The workflow's example, undefined when it has none; an unusable file is an ExampleError. */
export function loadExample(workflow: string, dir = EXAMPLES_DIR): WorkflowExample | undefined {
  const path = exampleFile(workflow, dir);
  if (!existsSync(path)) return undefined;
  const file = displayPath(path);
  const fail = (what: string, where = file, received?: unknown, fix = `make it ${FORMAT}`): never => {
    throw new ExampleError(formatProblem({ where, what, received, fix }), file);
  };
  const parsed = parseJsonWithPosition(readFileSync(path, "utf8"));
  if (!parsed.ok) return fail(`is not valid JSON (line ${parsed.line}, column ${parsed.column}: ${parsed.detail})`, file, undefined, "fix the JSON");
  const v = parsed.value;
  if (!isObject(v)) return fail("is not a JSON object", file, v);
  const unknown = Object.keys(v).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) return fail(`has unknown field(s) ${unknown.map((k) => `"${k}"`).join(", ")}`, file, undefined, `use only ${KEYS.join(", ")}`);
  if (!("input" in v)) return fail('has no "input"', file, undefined, 'add "input": the execution input');
  if (v.description !== undefined && typeof v.description !== "string") fail('"description" is not a string', file, v.description, "write a sentence");
  const mocks: Record<string, ExampleMock> = {};
  if (v.mocks !== undefined && !isObject(v.mocks)) fail('"mocks" is not an object of states', file, v.mocks);
  for (const [state, mock] of Object.entries(isObject(v.mocks) ? v.mocks : {})) {
    const where = `${file}: mocks.${state}`;
    const fix = 'write {"Return": <result>} or {"Throw": {"Error": "<error>", "Cause": "<cause>"}}';
    if (!isObject(mock) || ("Return" in mock) === ("Throw" in mock) || Object.keys(mock).length !== 1) fail("needs exactly one of Return and Throw", where, mock, fix);
    const m = mock as Record<string, unknown>;
    if ("Throw" in m) {
      const t = m.Throw;
      if (!isObject(t) || typeof t.Error !== "string" || (t.Cause !== undefined && typeof t.Cause !== "string")) fail("Throw needs a string Error (and an optional string Cause)", where, t, fix);
    }
    mocks[state] = m as ExampleMock;
  }
  const s3: Record<string, string> = {};
  if (v.s3 !== undefined && !isObject(v.s3)) fail('"s3" is not an object of "<bucket>/<key>": content', file, v.s3);
  for (const [name, content] of Object.entries(isObject(v.s3) ? v.s3 : {})) {
    if (!/^[^/]+\/.+/.test(name) || name.split("/").some((part) => part === ".." || part === ".")) {
      fail("is not <bucket>/<key>", `${file}: s3`, name, 'name the object "my-bucket/path/to/key"');
    }
    s3[name] = typeof content === "string" ? content : JSON.stringify(content);
  }
  let startTime = DEFAULT_EXAMPLE_START;
  if (v.startTime !== undefined) {
    if (typeof v.startTime !== "string" || Number.isNaN(Date.parse(v.startTime))) fail('"startTime" is not a date', file, v.startTime, 'write an ISO 8601 time such as "2024-06-01T08:00:00Z"');
    startTime = v.startTime as string;
  }
  return { file, description: v.description as string | undefined, input: v.input, mocks, s3, startTime };
}

/** `{{PROJECT_NAME}}-{{STAGE}}-imports/...` with the stage's values; an unknown variable is an ExampleError. */
export function expandVariables(text: string, variables: Readonly<Record<string, string>>, where: string): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_all, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      throw new ExampleError(formatProblem({ where, what: `{{${name}}} is not a stage variable`, fix: `use one of ${Object.keys(variables).map((k) => `{{${k}}}`).join(", ")}` }));
    }
    return value;
  });
}
