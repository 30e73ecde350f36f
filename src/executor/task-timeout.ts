/**
 * TimeoutSeconds of a Task, measured in wall-clock time: in-process work takes
 * no virtual time, so only a handler that really hangs (or a mock that throws
 * States.Timeout) times out. One shared ticker watches every pending task
 * instead of a timer per task, which would cost more than most handlers; the
 * pending tasks form a linked list (adding and removing one costs a few
 * pointer writes, no hashing).
 */
import { StatesError } from "./errors";

class PendingTask {
  prev: PendingTask | null = null;
  next: PendingTask | null = null;
  resolve!: (value: any) => void;
  reject!: (err: unknown) => void;
  constructor(readonly deadline: number) {}
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
    if (entry.deadline <= now) {
      unlink(entry);
      entry.reject(new StatesError("States.Timeout"));
    }
    entry = next;
  }
  if (head === null && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

export function withTaskTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  const entry = new PendingTask(Date.now() + seconds * 1000);
  const settled = new Promise<T>((resolve, reject) => {
    entry.resolve = resolve;
    entry.reject = reject;
  });
  entry.next = head;
  if (head) head.prev = entry;
  head = entry;
  if (!ticker) {
    // Not unref'd: a pending task must keep the process alive until it settles or times out.
    ticker = setInterval(tickTimeouts, 50);
  }
  work.then(
    (value) => {
      unlink(entry);
      entry.resolve(value);
    },
    (err) => {
      unlink(entry);
      entry.reject(err);
    },
  );
  return settled;
}
