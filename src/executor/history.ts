/**
 * Execution history shaped like GetExecutionHistory's events, so a test can
 * assert on the same things a person reads in the console.
 *
 * Event ids are counted even when the history is switched off: AWS quotes
 * them in error causes ("entered at the event id #4"), and those causes must
 * not change with an option.
 */

import { ExecutionFailure } from "./errors";

/** AWS's hard quota on one execution's history (Step Functions quotas; "Avoid reaching the history quota"). */
export const MAX_HISTORY_EVENTS = 25_000;

/** Event 25,000 may only close the execution: AWS logs ExecutionFailed instead of anything else. */
const CLOSING = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** Where an event sits causally: the previous event of the same branch/iteration. */
export interface EventCursor {
  lastEventId: number;
}

/**
 * A payload recorded by reference and serialised only when the history is
 * read: most executions (tests, benchmarks) never look at their history, and
 * serialising every state's input and output was the executor's largest cost.
 * Safe because the executor never mutates a payload once produced (ResultPath
 * copies, Lambda results cross a JSON boundary).
 */
export class LazyJson {
  constructor(readonly value: unknown) {}
  toString(): string {
    return this.value === undefined ? "null" : JSON.stringify(this.value);
  }
}

/** An error's cause, read only when the history is: building a function error's cause costs more than the rest of a retry. */
export class LazyCause {
  constructor(readonly err: { readonly causeText?: string }) {}
  toString(): string | undefined {
    return this.err.causeText;
  }
}

/** Event details built only when the history is read (one object on the hot path instead of several). */
export abstract class LazyDetails {
  abstract build(): Record<string, unknown>;
}

interface RawEvent {
  id: number;
  previousEventId: number;
  timeMs: number;
  type: string;
  details?: Record<string, unknown> | LazyDetails;
  /** A state's entered/exited event, kept as its parts until read (no detail objects on the hot path). */
  stateName?: string;
  payload?: unknown;
}

export class HistoryRecorder {
  private readonly raw: RawEvent[] = [];
  private materialised?: HistoryEvent[];
  private lastId = 0;
  /** After ExecutionSucceeded/Failed/TimedOut: branches still winding down record nothing more, as on AWS. */
  private closed = false;
  constructor(readonly keep: boolean) {}

  close(): void {
    this.closed = true;
  }

  /** A redrive appends to the same history. */
  reopen(): void {
    this.closed = false;
    this.materialised = undefined;
  }

  get lastEventId(): number {
    return this.lastId;
  }

  /** Records an event and returns its id. `details` go under AWS's `<type>EventDetails` key. */
  add(cursor: EventCursor, timeMs: number, type: string, details?: Record<string, unknown> | LazyDetails): number {
    if (this.lastId >= MAX_HISTORY_EVENTS - 1 && !CLOSING.has(type)) {
      throw new ExecutionFailure("States.Runtime", `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`);
    }
    const id = ++this.lastId;
    if (this.keep && !this.closed) this.raw.push({ id, previousEventId: cursor.lastEventId, timeMs, type, details });
    cursor.lastEventId = id;
    return id;
  }

  /** A `...StateEntered` (input) or `...StateExited` (output) event; `MapIteration...` events carry the index as payload. */
  addState(cursor: EventCursor, timeMs: number, type: string, stateName: string, payload: unknown): number {
    if (this.lastId >= MAX_HISTORY_EVENTS - 1) {
      throw new ExecutionFailure("States.Runtime", `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`);
    }
    const id = ++this.lastId;
    if (this.keep && !this.closed) this.raw.push({ id, previousEventId: cursor.lastEventId, timeMs, type, stateName, payload });
    cursor.lastEventId = id;
    return id;
  }

  /** The events as GetExecutionHistory shapes them (built on first access). */
  get events(): HistoryEvent[] {
    if (this.materialised) return this.materialised;
    this.materialised = this.raw.map((r) => {
      const event: Record<string, unknown> = { id: r.id, previousEventId: r.previousEventId, timestamp: new Date(r.timeMs), type: r.type };
      if (r.stateName !== undefined && r.type.startsWith("MapIteration")) {
        event[detailsKey(r.type)] = { name: r.stateName, index: r.payload };
      } else if (r.stateName !== undefined) {
        const entered = r.type.endsWith("StateEntered");
        event[detailsKey(r.type)] = entered
          ? { name: r.stateName, input: jsonText(r.payload), inputDetails: NOT_TRUNCATED }
          : { name: r.stateName, output: jsonText(r.payload), outputDetails: NOT_TRUNCATED };
      } else if (r.details instanceof LazyDetails) {
        event[detailsKey(r.type)] = r.details.build();
      } else if (r.details !== undefined) {
        const details: Record<string, unknown> = {};
        for (const key of Object.keys(r.details)) {
          const v = r.details[key];
          details[key] = v instanceof LazyJson || v instanceof LazyCause ? v.toString() : v;
        }
        event[detailsKey(r.type)] = details;
      }
      return event as HistoryEvent;
    });
    return this.materialised;
  }
}

const keyCache = new Map<string, string>();
/** AWS names the details after the event type, except that every `XxxStateEntered`/`Exited` shares one key. */
export function detailsKey(type: string): string {
  let key = keyCache.get(type);
  if (key === undefined) {
    if (type.endsWith("StateEntered")) key = "stateEnteredEventDetails";
    else if (type.endsWith("StateExited")) key = "stateExitedEventDetails";
    else key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    keyCache.set(type, key);
  }
  return key;
}

export const NOT_TRUNCATED = Object.freeze({ truncated: false });

function jsonText(value: unknown): string {
  return value === undefined ? "null" : JSON.stringify(value);
}

/** AWS reports payloads in history as JSON strings with a truncation flag. */
export function payloadDetails(field: "input" | "output", value: unknown): Record<string, unknown> {
  return field === "input" ? { input: new LazyJson(value), inputDetails: NOT_TRUNCATED } : { output: new LazyJson(value), outputDetails: NOT_TRUNCATED };
}
