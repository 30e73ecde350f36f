/**
 * ExecuteScheduledTask (wait): runs the task the input schedules once the Wait
 * state reached `scheduledTime`, and returns an execution record.
 * Input: `{scheduledTime, task?: {type, payload?}, jobId?}`; task defaults to
 * `{type: "noop"}`. Task types (TASK_RUNNERS): `noop` (does nothing),
 * `echo` (returns its payload), `sum` (adds `payload.values`, an array of numbers).
 * An unknown type fails with `Task.UnknownType`.
 */

import { createHash } from "node:crypto";
import { UnknownTaskError } from "./lib/errors";
import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, isTimestamp, list, nonEmptyString, number, parseEvent, record } from "./lib/schema";

const NAME = "execute-scheduled-task";
const logger = createLogger(NAME);

/** Runs a task on its payload; `at` is where the payload sits in the event, for messages. */
type TaskRunner = (payload: unknown, at: readonly PropertyKey[]) => unknown;

const SumPayloadSchema = record({ values: list(number()) });

export const TASK_RUNNERS: Readonly<Record<string, TaskRunner>> = {
  noop: () => null,
  echo: (payload) => payload ?? null,
  sum: (payload, at) => parseEvent(NAME, SumPayloadSchema, payload, at).values.reduce((a, b) => a + b, 0),
};

export const ScheduledTaskEventSchema = event({
  scheduledTime: nonEmptyString().check(z.refine(isTimestamp, { error: "must be an ISO 8601 timestamp" })),
  jobId: z.optional(nonEmptyString()),
  task: z.optional(record({ type: nonEmptyString(), payload: z.optional(z.unknown()) })),
});

export interface TaskExecution {
  /** Same job, time and type -> same id, so a re-driven execution is recognisable. */
  readonly taskId: string;
  readonly jobId?: string;
  readonly type: string;
  readonly scheduledTime: string;
  readonly executedAt: string;
  /** How late the run started relative to scheduledTime (0 when early). */
  readonly delaySeconds: number;
  readonly status: "EXECUTED";
  readonly result: unknown;
}

export async function handler(event: unknown, context?: RequestContext): Promise<TaskExecution> {
  setContext(logger, context);
  const { scheduledTime, jobId, task = { type: "noop", payload: undefined } } = parseEvent(NAME, ScheduledTaskEventSchema, event);
  const type = task.type;
  const runner = Object.hasOwn(TASK_RUNNERS, type) ? TASK_RUNNERS[type] : undefined;
  if (!runner) throw new UnknownTaskError(type, Object.keys(TASK_RUNNERS));
  const result = runner(task.payload, ["task", "payload"]);

  const now = Date.now();
  const record: TaskExecution = {
    taskId: `task_${createHash("sha256").update(`${jobId ?? ""}|${scheduledTime}|${type}`).digest("hex").slice(0, 16)}`,
    ...(jobId !== undefined ? { jobId } : {}),
    type,
    scheduledTime,
    executedAt: new Date(now).toISOString(),
    delaySeconds: Math.max(0, Math.round((now - Date.parse(scheduledTime)) / 1000)),
    status: "EXECUTED",
    result,
  };
  logger.info("scheduled task executed", { taskId: record.taskId, type: record.type, delaySeconds: record.delaySeconds });
  return record;
}
