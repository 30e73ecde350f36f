/**
 * Conformance cases: executions recorded against real AWS Step Functions
 * (format described in ../shared/conformance/README.md). A folder of `*.json`
 * files in that format is a suite; any folder works, so teams can add their
 * own recordings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ProjectError } from "../errors";

export type ExpectedOutcome =
  | { status: "SUCCEEDED"; output: unknown }
  | { status: "FAILED"; error?: string; cause?: string; errorJson?: unknown; causeJson?: unknown }
  | { status: "TIMED_OUT"; error?: string; cause?: string; errorJson?: unknown; causeJson?: unknown };

export interface SnapshotReplacement {
  regex?: string;
  jsonpath?: string;
  placeholder: string;
  wholeValue?: boolean;
}

export interface ConformanceCase {
  id: string;
  file: string;
  stateMachineType: "STANDARD" | "EXPRESS";
  definition: Record<string, unknown>;
  input: unknown;
  expected: ExpectedOutcome;
  features: string[];
  placeholders: boolean;
  placeholderTokens?: string[];
  snapshotReplacements?: SnapshotReplacement[];
  lambdas?: Record<string, string>;
  lambdaTasks?: Record<string, { integration: "direct" | "lambda:invoke"; resource: string; function: string | null; path: string }>;
}

/** Thrown when the folder is not a suite; the CLI prints it and exits non-zero. */
export class CaseFolderError extends ProjectError {}

export function loadCases(folder: string): ConformanceCase[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CaseFolderError(`Conformance folder not found: ${folder}. Pass a folder of case files, e.g. npm run conformance -- ../shared/conformance/cases`);
  }
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort();
  if (files.length === 0) {
    throw new CaseFolderError(`No *.json case files in ${folder}. Pass the folder that holds the cases (for the shared suite: ../shared/conformance/cases).`);
  }
  return files.map((f) => parseCase(join(folder, f)));
}

function parseCase(file: string): ConformanceCase {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CaseFolderError(`${file}: not valid JSON (${(e as Error).message}). Fix or remove the file.`);
  }
  const problems: string[] = [];
  if (typeof raw.id !== "string") problems.push(`"id" must be a string`);
  if (typeof raw.definition !== "object" || raw.definition === null) problems.push(`"definition" must be an object (validation cases with "expectedError" belong in a separate folder)`);
  const expected = raw.expected as { status?: unknown } | undefined;
  if (!expected || !["SUCCEEDED", "FAILED", "TIMED_OUT"].includes(String(expected.status))) {
    problems.push(`"expected.status" must be SUCCEEDED, FAILED or TIMED_OUT, got ${JSON.stringify(expected?.status)}`);
  }
  if (problems.length) throw new CaseFolderError(`${file}: not a conformance execution case: ${problems.join("; ")}.`);
  return {
    id: raw.id as string,
    file,
    stateMachineType: raw.stateMachineType === "EXPRESS" ? "EXPRESS" : "STANDARD",
    definition: raw.definition as Record<string, unknown>,
    input: raw.input === undefined ? {} : raw.input,
    expected: raw.expected as ExpectedOutcome,
    features: Array.isArray(raw.features) ? (raw.features as string[]) : [],
    placeholders: raw.placeholders === true,
    placeholderTokens: raw.placeholderTokens as string[] | undefined,
    snapshotReplacements: raw.snapshotReplacements as SnapshotReplacement[] | undefined,
    lambdas: raw.lambdas as Record<string, string> | undefined,
    lambdaTasks: raw.lambdaTasks as ConformanceCase["lambdaTasks"],
  };
}
