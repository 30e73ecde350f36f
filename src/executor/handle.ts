/**
 * The handle of a running execution: what a test drives through the SFN API
 * (callback and activity tasks, StopExecution, virtual time) and `result()`.
 */
import { ExecutionAborted, ExecutionTimeout } from "./errors";
import type { CallbackBroker, WaitingTask } from "./callbacks";
import type { Execution, RawOutcome } from "./execution";
import type { ExecutionResult } from "./options";
import { LaunchRecord, Result } from "./result";

/**
 * A running execution, as a test drives it through the SFN API:
 *
 *   const h = startExecution(definition, input);
 *   const [task] = await h.waitForTasks();          // { taskToken, stateName, payload, resource }
 *   h.sendTaskSuccess(task.taskToken, { approved: true });
 *   const r = await h.result();
 *
 * Answering a malformed token throws SfnApiError `InvalidToken`, an unknown
 * well-formed one `TaskDoesNotExist`, a spent one (answered, timed out, or the
 * execution over) `TaskTimedOut`; an output that is not JSON `InvalidOutput`.
 */
export class ExecutionHandle {
  readonly #done: Promise<ExecutionResult>;
  #settled = false;
  /** Set by result(): tasks nobody answers let virtual time run to their deadlines. */
  #autoAdvance = false;
  #advancing = false;
  private readonly exec: Execution;
  readonly executionArn: string;
  readonly startDate: Date;

  constructor(
    private readonly record: LaunchRecord,
    private readonly callbacks: CallbackBroker,
  ) {
    this.exec = record.exec;
    this.executionArn = record.executionArn;
    this.startDate = record.startDate;
    this.#done = record.exec.run().then((outcome) => this.finish(outcome));
  }

  private finish(outcome: RawOutcome): ExecutionResult {
    this.#settled = true;
    const { callbacks, record } = this;
    callbacks.finished = true;
    if (callbacks.waitingCount > 0) callbacks.abortAll(new ExecutionTimeout());
    const result = new Result(outcome.status, outcome.output, outcome.error, outcome.cause, record.history, record.executionArn, record.startDate, new Date(record.timeline.now()));
    Result.attach(result, record);
    return result;
  }

  /** Called by the broker when a task starts waiting. */
  kick(): void {
    if (this.#autoAdvance && !this.#advancing) void this.advanceLoop();
  }

  private async advanceLoop(): Promise<void> {
    this.#advancing = true;
    try {
      while (!this.#settled && this.callbacks.waitingCount > 0) {
        const idle = await this.untilIdle();
        if (idle) this.callbacks.advanceToNextDeadline();
      }
    } finally {
      this.#advancing = false;
    }
  }

  /** Whether the execution has ended. */
  get done(): boolean {
    return this.#settled;
  }

  /** The callback and activity tasks waiting for an answer now. */
  waitingTasks(): WaitingTask[] {
    return this.callbacks.waiting();
  }

  /**
   * Resolves once at least `count` tasks (of `stateName`, when given) wait for an
   * answer and the execution has nothing else to do; with fewer, once the
   * execution is idle or over (returns what waits then).
   */
  async waitForTasks(stateName?: string, count = 1): Promise<WaitingTask[]> {
    const matching = () => this.callbacks.waiting().filter((t) => stateName === undefined || t.stateName === stateName);
    for (;;) {
      if (this.#settled || matching().length >= count) {
        await this.settle();
        return matching();
      }
      const idle = await this.untilIdle();
      if (idle || this.#settled) return matching();
    }
  }

  sendTaskSuccess(taskToken: string, output: unknown): void {
    this.callbacks.sendTaskSuccess(taskToken, output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.callbacks.sendTaskFailure(taskToken, error, cause);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.callbacks.sendTaskHeartbeat(taskToken);
  }

  /** GetActivityTask: waits until a task for this activity is scheduled (or the execution idles/ends: then `{}`). */
  async getActivityTask(activityArn: string): Promise<{ taskToken?: string; input?: string }> {
    for (;;) {
      if (this.callbacks.hasActivityTask(activityArn) || this.#settled) return this.callbacks.takeActivityTask(activityArn);
      const idle = await this.untilIdle();
      if (idle) return this.callbacks.takeActivityTask(activityArn);
    }
  }

  /** Lets virtual time pass for the waiting tasks (heartbeat and task timeouts fall due). */
  async advanceTime(seconds: number): Promise<void> {
    this.callbacks.advance(seconds * 1000);
    await this.settle();
  }

  /** StopExecution: the execution ends ABORTED (at once if it waits on a task, else at its next state). */
  async stop(error?: string, cause?: string): Promise<ExecutionResult> {
    if (!this.#settled) {
      const stop = new ExecutionAborted(error, cause);
      this.exec.stopRequest = stop;
      this.callbacks.abortAll(stop);
    }
    return this.#done;
  }

  /**
   * The outcome. Tasks nobody answers keep waiting as on AWS: virtual time
   * jumps to the next deadline (a task's HeartbeatSeconds/TimeoutSeconds, or
   * the execution's), so this always ends.
   */
  result(): Promise<ExecutionResult> {
    if (!this.#autoAdvance) {
      this.#autoAdvance = true;
      this.callbacks.handle = this;
      this.kick();
    }
    return this.#done;
  }

  /** Lets in-process work run (a few macrotask turns). */
  private async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  /** True when tasks wait and nothing changed for a few turns; false when the execution ended or something changed. */
  private async untilIdle(): Promise<boolean> {
    let changed = false;
    const watch = this.callbacks.changed().then(() => (changed = true));
    void watch;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      if (this.#settled) return false;
    }
    return !changed;
  }
}
