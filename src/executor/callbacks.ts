/**
 * Callback tasks (`.waitForTaskToken`) and activity tasks, answered by a test
 * the way SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answer them on
 * AWS. Each waiting task is registered here with its token; its
 * HeartbeatSeconds and TimeoutSeconds run on the broker's virtual clock, which
 * only moves when the test lets time pass (`advanceTime`) or when the
 * execution has nothing left to do but wait (then it jumps to the next
 * deadline, as time would pass on AWS while nobody answers).
 */
import { randomUUID } from "node:crypto";
import { ExecutionTimeout, TaskFailure } from "./errors";
import type { Timeline } from "./clock";
import { MAX_PAYLOAD_BYTES } from "./json";

type Json = any;

/** An SFN API error (`InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut`, `InvalidOutput`), as the SDK names it. */
export class SfnApiError extends Error {
  constructor(
    readonly code: "InvalidToken" | "TaskDoesNotExist" | "TaskTimedOut" | "InvalidOutput" | "ExecutionDoesNotExist" | "ExecutionNotRedrivable" | "ExecutionLimitExceeded",
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = code;
  }
}

export interface WaitingTask {
  readonly taskToken: string;
  readonly stateName: string;
  /** What the task sent (its Parameters/Arguments; for an activity, its input). */
  readonly payload: Json;
  /** The resource: `arn:aws:states:::sqs:sendMessage.waitForTaskToken`, an activity ARN, ... */
  readonly resource: string;
  /** For an activity: whether a worker took it with getActivityTask. */
  readonly started: boolean;
}

interface Pending {
  readonly task: { taskToken: string; stateName: string; payload: Json; resource: string; started: boolean };
  readonly activityArn?: string;
  readonly time: Timeline;
  readonly timeoutAt: number;
  heartbeatSeconds?: number;
  heartbeatAt: number;
  readonly resolve: (v: Json) => void;
  readonly reject: (e: unknown) => void;
}

/** Tokens look like this (so a malformed one is InvalidToken and a well-formed unknown one TaskDoesNotExist, as on AWS). */
const TOKEN_RE = /^AQ[A-Za-z0-9+/=_-]{20,1022}$/;

export class CallbackBroker {
  private readonly pending = new Map<string, Pending>();
  /** Tokens already closed (answered, timed out, aborted): answering them again is TaskTimedOut. */
  private readonly closed = new Set<string>();
  private listeners: Array<() => void> = [];
  /** The broker's virtual now: the latest time any waiting task was registered at or the test moved to. */
  private clock: number;
  /** Set when the execution ends: later answers are TaskTimedOut. */
  finished = false;

  /** The execution (its deadline: TimeoutSeconds or AWS's maximum duration, epoch ms). */
  exec?: { readonly deadline: number };
  /** The handle whose result() lets time run while tasks wait. */
  handle?: { kick(): void };

  constructor(startMs: number) {
    this.clock = startMs;
  }

  private executionDeadline(): number {
    return this.exec?.deadline ?? Infinity;
  }

  newToken(): string {
    return `AQ${Buffer.from(randomUUID().replace(/-/g, ""), "hex").toString("base64url")}${Buffer.from(randomUUID()).toString("base64url")}`;
  }

  /** Waits for an answer to `token`: resolves with the output, rejects with the task's error. */
  wait(token: string, stateName: string, payload: Json, resource: string, time: Timeline, timeoutSeconds: number | undefined, heartbeatSeconds: number | undefined, activityArn?: string): Promise<Json> {
    const now = time.now();
    if (now > this.clock) this.clock = now;
    return new Promise<Json>((resolve, reject) => {
      const p: Pending = {
        task: { taskToken: token, stateName, payload, resource, started: activityArn === undefined },
        activityArn,
        time,
        timeoutAt: timeoutSeconds !== undefined ? now + timeoutSeconds * 1000 : Infinity,
        heartbeatSeconds,
        heartbeatAt: heartbeatSeconds !== undefined ? now + heartbeatSeconds * 1000 : Infinity,
        resolve,
        reject,
      };
      this.pending.set(token, p);
      this.notify();
      this.handle?.kick();
    });
  }

  /** The tasks waiting for an answer, oldest first. */
  waiting(): WaitingTask[] {
    return [...this.pending.values()].map((p) => ({ ...p.task }));
  }

  get waitingCount(): number {
    return this.pending.size;
  }

  /** Resolves on the next registration or answer. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  private notify(): void {
    const l = this.listeners;
    this.listeners = [];
    for (const f of l) f();
  }

  private take(token: unknown): Pending {
    if (typeof token !== "string" || token.length < 1 || token.length > 1024) {
      throw new SfnApiError("InvalidToken", `Invalid Token: '${String(token)}'`);
    }
    const p = this.pending.get(token);
    if (p) return p;
    if (this.closed.has(token) || this.finished && TOKEN_RE.test(token)) throw new SfnApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    if (!TOKEN_RE.test(token)) throw new SfnApiError("InvalidToken", `Invalid Token: '${token}'`);
    throw new SfnApiError("TaskDoesNotExist", "Task does not exist anymore");
  }

  private close(p: Pending): void {
    this.pending.delete(p.task.taskToken);
    this.closed.add(p.task.taskToken);
    // The task ends at the broker's now (never before it started).
    const lag = this.clock - p.time.now();
    if (lag > 0) void p.time.sleep(lag);
    this.notify();
  }

  /** SendTaskSuccess: `output` is the JSON text (as the API takes it) or a value, serialised for you. */
  sendTaskSuccess(token: string, output: string | Json): void {
    const p = this.take(token);
    let value: Json;
    const text = typeof output === "string" ? output : JSON.stringify(output ?? null);
    if (Buffer.byteLength(text, "utf8") > MAX_PAYLOAD_BYTES) {
      throw new SfnApiError("InvalidOutput", `1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`);
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new SfnApiError("InvalidOutput", `Invalid Output: '${text.slice(0, 100)}'`);
    }
    this.close(p);
    p.resolve(value);
  }

  /** SendTaskFailure: the task fails with `error` and `cause` (Retry/Catch see them). */
  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const p = this.take(token);
    this.close(p);
    p.reject(new TaskFailure(error ?? "", cause ?? ""));
  }

  /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds. */
  sendTaskHeartbeat(token: string): void {
    const p = this.take(token);
    if (p.heartbeatSeconds !== undefined) p.heartbeatAt = this.clock + p.heartbeatSeconds * 1000;
  }

  /** GetActivityTask: the oldest activity task for `activityArn` no worker has taken, or `{}` when there is none. */
  takeActivityTask(activityArn: string): { taskToken?: string; input?: string } {
    for (const p of this.pending.values()) {
      if (p.activityArn === activityArn && !p.task.started) {
        p.task.started = true;
        this.notify();
        return { taskToken: p.task.taskToken, input: JSON.stringify(p.task.payload ?? {}) };
      }
    }
    return {};
  }

  hasActivityTask(activityArn: string): boolean {
    for (const p of this.pending.values()) if (p.activityArn === activityArn && !p.task.started) return true;
    return false;
  }

  /** Lets `ms` of virtual time pass for the waiting tasks, firing heartbeat and task timeouts that fall due. */
  advance(ms: number): void {
    this.moveTo(this.clock + Math.max(0, ms));
  }

  /** Moves to the earliest deadline of a waiting task (or the execution's); false when nothing waits. */
  advanceToNextDeadline(): boolean {
    if (this.pending.size === 0) return false;
    let next = this.executionDeadline();
    for (const p of this.pending.values()) next = Math.min(next, p.timeoutAt, p.heartbeatAt);
    this.moveTo(Math.max(next, this.clock));
    return true;
  }

  private moveTo(t: number): void {
    this.clock = t;
    const deadline = this.executionDeadline();
    for (const p of [...this.pending.values()]) {
      const due = Math.min(p.timeoutAt, p.heartbeatAt);
      if (t >= deadline && deadline <= due) {
        this.expire(p, deadline, new ExecutionTimeout());
      } else if (due <= t) {
        const heartbeat = p.heartbeatAt < p.timeoutAt;
        this.expire(p, due, new TaskFailure(heartbeat ? "States.HeartbeatTimeout" : "States.Timeout", ""));
      }
    }
  }

  private expire(p: Pending, at: number, err: unknown): void {
    this.pending.delete(p.task.taskToken);
    this.closed.add(p.task.taskToken);
    const lag = at - p.time.now();
    if (lag > 0) void p.time.sleep(lag);
    this.notify();
    p.reject(err);
  }

  /** StopExecution: every waiting task ends with `err`. */
  abortAll(err: unknown): void {
    for (const p of [...this.pending.values()]) {
      this.pending.delete(p.task.taskToken);
      this.closed.add(p.task.taskToken);
      p.reject(err);
    }
    this.notify();
  }
}
