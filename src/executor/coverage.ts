/**
 * Workflow coverage: which states, Choice rules (and Defaults), Retry and
 * Catch rules, Parallel branches and Map processors the test runs took, per
 * catalogued workflow. runWorkflow records into a per-process store when
 * coverage is enabled (the jest setup file does); each test file writes its
 * record to a folder, and the jest global teardown aggregates them into a
 * table, `coverage/workflows/coverage.json` and `coverage/workflows/index.html`.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledState } from "./compile";
import type { ExecutionObserver } from "./execution";

type Json = any;

/** Where jest's per-test-file records go and the report is written (relative to the jest root, the current folder). */
export const WORKFLOW_COVERAGE_DIR = join(process.cwd(), "coverage", "workflows");
export const WORKFLOW_COVERAGE_RECORDS = join(WORKFLOW_COVERAGE_DIR, ".records");
/** `SFN_WORKFLOW_COVERAGE=0` turns recording and the report off. */
export const workflowCoverageOn = (): boolean => process.env.SFN_WORKFLOW_COVERAGE !== "0";

export interface WorkflowCounts {
  executions: number;
  /** Keyed by state path (`Par/Branches[0]/Inner`). */
  entered: Record<string, number>;
  /** `<path>#<rule index>` or `<path>#Default`. */
  choices: Record<string, number>;
  retries: Record<string, number>;
  catches: Record<string, number>;
}

type Store = Record<string, WorkflowCounts>;
const KEY = Symbol.for("sfn-workflows.workflow-coverage");
const holder = globalThis as unknown as { [KEY]?: Store };

/** Starts recording (idempotent). */
export function enableWorkflowCoverage(): void {
  holder[KEY] ??= {};
}

export function workflowCoverageEnabled(): boolean {
  return holder[KEY] !== undefined;
}

/** The observer runWorkflow attaches; undefined (no cost) unless coverage is enabled. */
export function coverageObserver(workflow: string, _definition?: unknown): ExecutionObserver | undefined {
  const store = holder[KEY];
  if (!store) return undefined;
  const c = (store[workflow] ??= { executions: 0, entered: {}, choices: {}, retries: {}, catches: {} });
  c.executions++;
  const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  return {
    stateEntered: (s: CompiledState) => inc(c.entered, s.path),
    choiceTaken: (s: CompiledState, i: number) => inc(c.choices, `${s.path}#${i < 0 ? "Default" : i}`),
    retried: (s: CompiledState, i: number) => inc(c.retries, `${s.path}#${i}`),
    caught: (s: CompiledState, i: number) => inc(c.catches, `${s.path}#${i}`),
  };
}

/** This process's counts so far (a copy). */
export function workflowCoverageCounts(): Store {
  return JSON.parse(JSON.stringify(holder[KEY] ?? {}));
}

/** Writes this process's counts to `dir` (one file per call) and starts afresh. */
export function flushWorkflowCoverage(dir: string): string | undefined {
  const store = holder[KEY];
  if (!store || Object.keys(store).length === 0) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
  writeFileSync(file, JSON.stringify(store));
  holder[KEY] = {};
  return file;
}

export type ItemKind = "state" | "choice" | "default" | "retry" | "catch" | "branch" | "processor";

export interface CoverageItem {
  readonly kind: ItemKind;
  /** Unique within the workflow: the state path, or `<path>#<index>` / `<path>#Default`. */
  readonly key: string;
  /** For people: `Choices[0] -> Premium`, `Catch[1] [States.ALL] -> HandleError`. */
  readonly label: string;
  hits: number;
}

/** Everything a definition offers to cover, keyed as the observer records it. */
export function coverageItems(definition: Record<string, Json>): CoverageItem[] {
  const items: CoverageItem[] = [];
  const walk = (machine: Record<string, Json>, prefix: string) => {
    for (const [name, def] of Object.entries(machine?.States ?? {}) as [string, Record<string, Json>][]) {
      const path = prefix ? `${prefix}/${name}` : name;
      items.push({ kind: "state", key: path, label: `${path} (${def.Type})`, hits: 0 });
      if (def.Type === "Choice") {
        (def.Choices ?? []).forEach((r: Json, i: number) => items.push({ kind: "choice", key: `${path}#${i}`, label: `${path} Choices[${i}] -> ${r?.Next}`, hits: 0 }));
        if (def.Default !== undefined) items.push({ kind: "default", key: `${path}#Default`, label: `${path} Default -> ${def.Default}`, hits: 0 });
      }
      (Array.isArray(def.Retry) ? def.Retry : []).forEach((r: Json, i: number) =>
        items.push({ kind: "retry", key: `${path}#${i}`, label: `${path} Retry[${i}] [${(r?.ErrorEquals ?? []).join(", ")}]`, hits: 0 }),
      );
      (Array.isArray(def.Catch) ? def.Catch : []).forEach((c: Json, i: number) =>
        items.push({ kind: "catch", key: `${path}#${i}`, label: `${path} Catch[${i}] [${(c?.ErrorEquals ?? []).join(", ")}] -> ${c?.Next}`, hits: 0 }),
      );
      if (Array.isArray(def.Branches)) {
        def.Branches.forEach((b: Json, i: number) => {
          items.push({ kind: "branch", key: `${path}/Branches[${i}]`, label: `${path} Branches[${i}]`, hits: 0 });
          walk(b, `${path}/Branches[${i}]`);
        });
      }
      const proc = def.ItemProcessor ?? def.Iterator;
      if (def.Type === "Map" && proc) {
        const p = `${path}/${def.ItemProcessor ? "ItemProcessor" : "Iterator"}`;
        items.push({ kind: "processor", key: p, label: `${path} ${def.ItemProcessor ? "ItemProcessor" : "Iterator"}`, hits: 0 });
        walk(proc, p);
      }
    }
  };
  walk(definition, "");
  return items;
}

export interface WorkflowCoverage {
  readonly workflow: string;
  readonly executions: number;
  readonly items: CoverageItem[];
  readonly covered: number;
  readonly total: number;
}

export interface CoverageReport {
  readonly generatedAt: string;
  readonly workflows: WorkflowCoverage[];
  readonly covered: number;
  readonly total: number;
}

/** Adds the records written by flushWorkflowCoverage in `dir`. */
export function readCoverageRecords(dir: string): Store {
  const merged: Store = {};
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return merged;
  }
  for (const f of files) {
    const store = JSON.parse(readFileSync(join(dir, f), "utf8")) as Store;
    for (const [wf, c] of Object.entries(store)) {
      const m = (merged[wf] ??= { executions: 0, entered: {}, choices: {}, retries: {}, catches: {} });
      m.executions += c.executions;
      for (const k of ["entered", "choices", "retries", "catches"] as const) for (const [key, n] of Object.entries(c[k])) m[k][key] = (m[k][key] ?? 0) + n;
    }
  }
  return merged;
}

/** Joins the counts with each workflow's items. */
export function buildCoverageReport(definitions: Record<string, Record<string, Json>>, counts: Store, now = new Date()): CoverageReport {
  const workflows: WorkflowCoverage[] = [];
  for (const [workflow, def] of Object.entries(definitions)) {
    const c = counts[workflow] ?? { executions: 0, entered: {}, choices: {}, retries: {}, catches: {} };
    const items = coverageItems(def);
    const entered = Object.entries(c.entered);
    for (const it of items) {
      if (it.kind === "state") it.hits = c.entered[it.key] ?? 0;
      else if (it.kind === "choice" || it.kind === "default") it.hits = c.choices[it.key] ?? 0;
      else if (it.kind === "retry") it.hits = c.retries[it.key] ?? 0;
      else if (it.kind === "catch") it.hits = c.catches[it.key] ?? 0;
      else it.hits = entered.filter(([k]) => k.startsWith(`${it.key}/`)).reduce((n, [, v]) => n + v, 0);
    }
    workflows.push({ workflow, executions: c.executions, items, covered: items.filter((i) => i.hits > 0).length, total: items.length });
  }
  return {
    generatedAt: now.toISOString(),
    workflows,
    covered: workflows.reduce((n, w) => n + w.covered, 0),
    total: workflows.reduce((n, w) => n + w.total, 0),
  };
}

const COLUMNS: Array<[string, ItemKind[]]> = [
  ["states", ["state"]],
  ["choice rules", ["choice", "default"]],
  ["retry", ["retry"]],
  ["catch", ["catch"]],
  ["branches", ["branch", "processor"]],
];

function ratio(w: WorkflowCoverage, kinds: ItemKind[]): string {
  const its = w.items.filter((i) => kinds.includes(i.kind));
  return its.length === 0 ? "-" : `${its.filter((i) => i.hits > 0).length}/${its.length}`;
}

const pct = (a: number, b: number) => (b === 0 ? "100%" : `${Math.floor((a * 1000) / b) / 10}%`);

/** The summary table, then each item no test took. */
export function formatCoverage(report: CoverageReport): string {
  const header = ["workflow", "runs", ...COLUMNS.map(([n]) => n), "total"];
  const rows = report.workflows.map((w) => [w.workflow, String(w.executions), ...COLUMNS.map(([, k]) => ratio(w, k)), pct(w.covered, w.total)]);
  rows.push(["all", String(report.workflows.reduce((n, w) => n + w.executions, 0)), ...COLUMNS.map(() => ""), pct(report.covered, report.total)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const out = ["Workflow coverage (states entered, Choice rules and Defaults taken, Retry and Catch rules fired, branches run)", line(header), ...rows.map(line)];
  const missed = report.workflows.flatMap((w) => w.items.filter((i) => i.hits === 0).map((i) => `  ${w.workflow}: ${i.label}`));
  if (missed.length) out.push("", "Not covered:", ...missed);
  return out.join("\n");
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function coverageHtml(report: CoverageReport): string {
  const rows = report.workflows
    .map(
      (w) =>
        `<tr><td>${esc(w.workflow)}</td><td>${w.executions}</td>${COLUMNS.map(([, k]) => `<td>${ratio(w, k)}</td>`).join("")}<td>${pct(w.covered, w.total)}</td></tr>`,
    )
    .join("\n");
  const details = report.workflows
    .map(
      (w) =>
        `<h2>${esc(w.workflow)}</h2><table><tr><th>item</th><th>kind</th><th>hits</th></tr>${w.items
          .map((i) => `<tr class="${i.hits ? "hit" : "miss"}"><td>${esc(i.label)}</td><td>${i.kind}</td><td>${i.hits}</td></tr>`)
          .join("")}</table>`,
    )
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Workflow coverage</title><style>
body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
tr.miss td{background:#fdd}tr.hit td{background:#dfd}</style></head><body>
<h1>Workflow coverage</h1><p>Generated ${esc(report.generatedAt)}: ${report.covered}/${report.total} items (${pct(report.covered, report.total)}).</p>
<table><tr><th>workflow</th><th>runs</th>${COLUMNS.map(([n]) => `<th>${n}</th>`).join("")}<th>total</th></tr>
${rows}</table>
${details}
</body></html>
`;
}

/** Writes coverage.json and index.html into `outDir`. */
export function writeCoverageReport(report: CoverageReport, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "coverage.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(outDir, "index.html"), coverageHtml(report));
}
