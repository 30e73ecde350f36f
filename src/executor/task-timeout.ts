/**
 * TimeoutSeconds of a Task, measured in wall-clock time: in-process work takes
 * no virtual time, so only a handler that really hangs (or a mock that throws
 * States.Timeout) times out. One shared ticker watches every pending task
 * instead of a timer per task, which would cost more than most handlers.
 */
import { StatesError } from "./errors";

const pendingTasks = new Set<{ deadline: number; reject: (e: unknown) => void }>();
let ticker: NodeJS.Timeout | undefined;

function tickTimeouts(): void {
  const now = Date.now();
  for (const entry of pendingTasks) {
    if (entry.deadline <= now) {
      pendingTasks.delete(entry);
      entry.reject(new StatesError("States.Timeout"));
    }
  }
  if (pendingTasks.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

export function withTaskTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const entry = { deadline: Date.now() + seconds * 1000, reject };
    pendingTasks.add(entry);
    if (!ticker) {
      // Not unref'd: a pending task must keep the process alive until it settles or times out.
      ticker = setInterval(tickTimeouts, 50);
    }
    work.then(
      (value) => {
        pendingTasks.delete(entry);
        resolve(value);
      },
      (err) => {
        pendingTasks.delete(entry);
        reject(err);
      },
    );
  });
}
