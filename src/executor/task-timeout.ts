/**
 * TimeoutSeconds of a Task, measured in wall-clock time: in-process work takes
 * no virtual time, so only a handler that really hangs (or a mock that throws
 * States.Timeout) times out. One shared ticker watches every pending task
 * instead of a timer per task, which would cost more than most handlers; the
 * pending tasks form a linked list (adding and removing one costs a few
 * pointer writes, no hashing).
 */
import { StatesError } from "./errors";

/** A task waiting for its work: settled by the work, or rejected with States.Timeout by the ticker. */
export class PendingTask {
  prev: PendingTask | null = null;
  next: PendingTask | null = null;
  resolve!: (value: any) => void;
  reject!: (err: unknown) => void;
  /** What the caller awaits. */
  readonly promise: Promise<any>;

  constructor(readonly deadline: number) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.next = head;
    if (head) head.prev = this;
    head = this;
    if (!ticker) {
      // Not unref'd: a pending task must keep the process alive until it settles or times out.
      ticker = setInterval(tickTimeouts, 50);
    }
  }

  /** The work answered in time (a later timeout finds the task gone; an answer after the timeout changes nothing). */
  settle(value: unknown): void {
    unlink(this);
    this.resolve(value);
  }

  fail(err: unknown): void {
    unlink(this);
    this.reject(err);
  }
}

let head: PendingTask | null = null;
let ticker: NodeJS.Timeout | undefined;

function unlink(entry: PendingTask): void {
  if (entry.prev) entry.prev.next = entry.next;
  else if (head === entry) head = entry.next;
  if (entry.next) entry.next.prev = entry.prev;
  entry.prev = entry.next = null;
}

function tickTimeouts(): void {
  const now = Date.now();
  for (let entry = head; entry; ) {
    const next = entry.next;
    if (entry.deadline <= now) entry.fail(new StatesError("States.Timeout"));
    entry = next;
  }
  if (head === null && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/** A task whose work is `work`, failing with States.Timeout after `seconds` of wall-clock time. */
export function withTaskTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  const entry = new PendingTask(Date.now() + seconds * 1000);
  work.then(
    (value) => entry.settle(value),
    (err) => entry.fail(err),
  );
  return entry.promise;
}
