/**
 * Time as the executor sees it. Virtual by default, so a Wait of a day or a
 * retry back-off costs nothing in a test, while the timestamps the context
 * object and the history show still move exactly as they would on AWS.
 *
 * Concurrent branches (Parallel, Map iterations) each get a forked timeline:
 * two branches that each wait 10 s take 10 s together, not 20 s, and the
 * parent continues at the latest branch's time (`join`).
 */
export interface Timeline {
  /** Milliseconds since the epoch on this timeline. */
  now(): number;
  /** Lets `ms` pass: advances virtual time, or really sleeps. */
  sleep(ms: number): Promise<void>;
  /** A timeline for a concurrent branch, starting now. */
  fork(): Timeline;
  /** Continues after the given branches finished. */
  join(branches: readonly Timeline[]): void;
}

export class VirtualTimeline implements Timeline {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  sleep(ms: number): Promise<void> {
    if (ms > 0) this.current += ms;
    return Promise.resolve();
  }
  fork(): Timeline {
    return new VirtualTimeline(this.current);
  }
  join(branches: readonly Timeline[]): void {
    for (const b of branches) if (b.now() > this.current) this.current = b.now();
  }
}

export class RealTimeline implements Timeline {
  now(): number {
    return Date.now();
  }
  sleep(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
  fork(): Timeline {
    return this;
  }
  join(): void {}
}

/** ISO-8601 with milliseconds and Z, as Step Functions prints `$$.Execution.StartTime` and `$$.State.EnteredTime`. */
let lastMs = NaN;
let lastIso = "";
export function isoTime(ms: number): string {
  // Virtual time often stands still across many states: reuse the last string.
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
