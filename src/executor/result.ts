/**
 * What an execution leaves: its result (the history built on first read) and
 * the record of how it was launched, which a redrive starts from.
 */
import type { HistoryEvent, HistoryRecorder } from "./history";
import type { Timeline } from "./clock";
import type { CompiledDefinition } from "./compile";
import type { Execution } from "./execution";
import type { ExecutionResult, RunOptions } from "./options";

/** One launched execution: what its handle needs to build the result, and what a redrive needs of it. */
export class LaunchRecord {
  constructor(
    readonly compiled: CompiledDefinition,
    readonly input: unknown,
    readonly options: RunOptions,
    readonly history: HistoryRecorder,
    readonly timeline: Timeline,
    readonly executionArn: string,
    readonly execution: Record<string, unknown>,
    readonly startDate: Date,
    readonly originalStartMs: number,
    readonly count: number,
    readonly exec: Execution,
  ) {}
}

/** The history is built on first read: serialising every payload is wasted work for callers that never look. */
export class Result implements ExecutionResult {
  readonly #recorder: HistoryRecorder;
  /** What a redrive needs (kept off the enumerable fields: results are spread and serialised). */
  #launch?: LaunchRecord;
  static attach(r: Result, launch: LaunchRecord): void {
    r.#launch = launch;
  }
  static launchOf(r: Result): LaunchRecord | undefined {
    return r.#launch;
  }
  constructor(
    readonly status: ExecutionResult["status"],
    readonly output: unknown,
    readonly error: string | undefined,
    readonly cause: string | undefined,
    recorder: HistoryRecorder,
    readonly executionArn: string,
    readonly startDate: Date,
    readonly stopDate: Date,
  ) {
    this.#recorder = recorder;
  }
  get history(): HistoryEvent[] {
    return this.#recorder.events;
  }
  toJSON(): Record<string, unknown> {
    return { ...(this as object), history: this.history };
  }
}
