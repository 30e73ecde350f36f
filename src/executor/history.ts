/**
 * Execution history shaped like GetExecutionHistory's events, so a test can
 * assert on the same things a person reads in the console.
 *
 * Event ids are counted even when the history is switched off: AWS quotes
 * them in error causes ("entered at the event id #4"), and those causes must
 * not change with an option.
 */

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

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private lastId = 0;
  constructor(private readonly keep: boolean) {}

  /** Records an event and returns its id. `details` go under AWS's `<type>EventDetails` key. */
  add(cursor: EventCursor, timeMs: number, type: string, details?: Record<string, unknown>): number {
    const id = ++this.lastId;
    if (this.keep) {
      const event: Record<string, unknown> = { id, previousEventId: cursor.lastEventId, timestamp: new Date(timeMs), type };
      if (details !== undefined) event[detailsKey(type)] = details;
      this.events.push(event as HistoryEvent);
    }
    cursor.lastEventId = id;
    return id;
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

/** AWS reports payloads in history as JSON strings with a truncation flag. */
export function payloadDetails(field: "input" | "output", value: unknown): Record<string, unknown> {
  return { [field]: value === undefined ? "null" : JSON.stringify(value), [`${field}Details`]: { truncated: false } };
}
