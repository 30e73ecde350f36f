/**
 * Runs a suite through an executor and tallies the results: overall, per
 * feature, and exact cases apart from placeholder cases (whose comparison is
 * looser, so their rate means less).
 */
import type { ConformanceCase } from "./cases";
import { ActualOutcome, compareOutcome } from "./compare";
import { CaseExecutor, UNSUPPORTED_MARK } from "./executors";

export interface CaseResult {
  id: string;
  file: string;
  features: string[];
  placeholders: boolean;
  pass: boolean;
  unsupported: boolean;
  reason?: string;
  actual: ActualOutcome;
}

export interface Tally {
  total: number;
  passed: number;
  failed: number;
  unsupported: number;
}

export interface SuiteReport {
  executor: string;
  folder: string;
  total: number;
  passed: number;
  failed: number;
  unsupported: number;
  exact: Tally;
  placeholder: Tally;
  byFeature: Record<string, Tally>;
  results: CaseResult[];
  wallMs: number;
}

export async function runCase(c: ConformanceCase, executor: CaseExecutor): Promise<CaseResult> {
  let actual: ActualOutcome;
  try {
    actual = await executor.run(c);
  } catch (e) {
    // A throw (instead of a FAILED result) is an executor bug; it must show up as a failure, not stop the suite.
    actual = { status: "HARNESS_ERROR", error: (e as Error).name, cause: (e as Error).stack ?? String(e) };
  }
  const verdict = compareOutcome(c, actual);
  const unsupported = !verdict.pass && typeof actual.cause === "string" && actual.cause.includes(UNSUPPORTED_MARK);
  return {
    id: c.id,
    file: c.file,
    features: c.features,
    placeholders: c.placeholders,
    pass: verdict.pass,
    unsupported,
    reason: verdict.reason,
    actual,
  };
}

function emptyTally(): Tally {
  return { total: 0, passed: 0, failed: 0, unsupported: 0 };
}

function add(t: Tally, r: CaseResult): void {
  t.total++;
  if (r.pass) t.passed++;
  else {
    t.failed++;
    if (r.unsupported) t.unsupported++;
  }
}

export async function runSuite(cases: ConformanceCase[], executor: CaseExecutor, folder: string): Promise<SuiteReport> {
  const started = Date.now();
  const results: CaseResult[] = [];
  // Sequential on purpose: cases are small, and sequential runs keep any executor-global state (caches, timers) out of each other's way.
  for (const c of cases) results.push(await runCase(c, executor));
  const overall = emptyTally();
  const exact = emptyTally();
  const placeholder = emptyTally();
  const byFeature: Record<string, Tally> = {};
  for (const r of results) {
    add(overall, r);
    add(r.placeholders ? placeholder : exact, r);
    for (const f of r.features) add((byFeature[f] ??= emptyTally()), r);
  }
  return {
    executor: executor.name,
    folder,
    ...overall,
    exact,
    placeholder,
    byFeature: Object.fromEntries(Object.entries(byFeature).sort(([a], [b]) => a.localeCompare(b))),
    results,
    wallMs: Date.now() - started,
  };
}

export function percent(t: { total: number; passed: number }): string {
  return t.total === 0 ? "n/a" : `${((100 * t.passed) / t.total).toFixed(1)}%`;
}
