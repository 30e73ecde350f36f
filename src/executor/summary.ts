/**
 * A compact, human-readable account of an execution: the states visited, in
 * order, with their duration on the (virtual) clock and how each ended.
 * Read from the history, so it shows exactly what the history shows.
 */
import type { HistoryEvent } from "./history";

export interface StateVisit {
  readonly name: string;
  readonly type: string;
  /** Milliseconds from entering to leaving the state; undefined when it never left (it failed). */
  readonly durationMs?: number;
  readonly outcome: "ok" | "retried" | "caught" | "failed";
  /** Retries of a Task before it succeeded or failed for good. */
  readonly retries: number;
}

const FAILURE_EVENTS = new Set(["TaskFailed", "LambdaFunctionFailed", "TaskTimedOut", "LambdaFunctionTimedOut", "MapStateFailed", "ParallelStateFailed"]);
const SUCCESS_EVENTS = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "MapStateSucceeded", "ParallelStateSucceeded"]);

export function stateVisits(history: readonly HistoryEvent[]): StateVisit[] {
  const visits: Array<{ name: string; type: string; start: number; end?: number; failures: number; exited: boolean; lastWorkFailed: boolean }> = [];
  const open = new Map<number, number>();
  // Each event's chain of previousEventId leads back to the state it belongs to.
  const owner = new Map<number, number>();
  for (const e of history) {
    const parentVisit = owner.get(e.previousEventId);
    if (e.type.endsWith("StateEntered")) {
      const details = e.stateEnteredEventDetails as { name: string };
      visits.push({ name: details.name, type: e.type.slice(0, -"StateEntered".length), start: e.timestamp.getTime(), failures: 0, exited: false, lastWorkFailed: false });
      open.set(visits.length - 1, e.id);
      owner.set(e.id, visits.length - 1);
      continue;
    }
    if (e.type.endsWith("StateExited")) {
      const name = (e.stateExitedEventDetails as { name: string }).name;
      // The innermost open visit of that name on this event's chain.
      let index = parentVisit;
      if (index === undefined || visits[index].name !== name) {
        index = [...open.keys()].reverse().find((i) => visits[i].name === name);
      }
      if (index !== undefined) {
        visits[index].end = e.timestamp.getTime();
        visits[index].exited = true;
        open.delete(index);
      }
      continue;
    }
    let visit = parentVisit;
    if (/^(Map|Parallel)State(Started|Succeeded|Failed)$/.test(e.type)) {
      // These follow the branches' last events, not the state's own: attach them to the innermost open Map/Parallel.
      const kind = e.type.startsWith("Map") ? "Map" : "Parallel";
      visit = [...open.keys()].reverse().find((i) => visits[i].type === kind);
    }
    if (visit !== undefined && !e.type.startsWith("MapIteration")) {
      const parentVisit = visit;
      owner.set(e.id, parentVisit);
      if (FAILURE_EVENTS.has(e.type)) {
        visits[parentVisit].failures++;
        visits[parentVisit].lastWorkFailed = true;
      } else if (SUCCESS_EVENTS.has(e.type)) {
        visits[parentVisit].lastWorkFailed = false;
      }
    }
  }
  return visits.map((v) => {
    let outcome: StateVisit["outcome"] = "ok";
    if (!v.exited) outcome = "failed";
    else if (v.lastWorkFailed) outcome = "caught";
    else if (v.failures > 0) outcome = "retried";
    return {
      name: v.name,
      type: v.type,
      durationMs: v.end === undefined ? undefined : v.end - v.start,
      outcome,
      retries: v.type === "Task" ? (v.lastWorkFailed || !v.exited ? Math.max(0, v.failures - 1) : v.failures) : 0,
    };
  });
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "-";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 3)} s`;
  const s = Math.round(ms / 1000);
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The visits as an aligned text table. */
export function formatVisits(visits: readonly StateVisit[]): string {
  const rows = visits.map((v, i) => [String(i + 1), v.name, v.type, formatDuration(v.durationMs), v.outcome + (v.retries > 0 ? ` (${v.retries} retr${v.retries === 1 ? "y" : "ies"})` : "")]);
  const header = ["#", "state", "type", "duration", "result"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
