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
import { createLogger, type RequestContext } from "./lib/logger";
import { isRecord, Problems, received, requireEventRecord } from "./lib/validate";

const NAME = "execute-scheduled-task";
const logger = createLogger(NAME);

type TaskRunner = (payload: unknown, problems: Problems) => unknown;

export const TASK_RUNNERS: Readonly<Record<string, TaskRunner>> = {
  noop: () => null,
  echo: (payload) => payload ?? null,
  sum: (payload, problems) => {
    const values = isRecord(payload) ? problems.array(payload.values, "task.payload.values") : problems.array(undefined, "task.payload.values");
    if (!values) return undefined;
    values.forEach((v, i) => problems.number(v, `task.payload.values[${i}]`));
    return problems.empty ? (values as number[]).reduce((a, b) => a + b, 0) : undefined;
  },
};

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
  logger.setContext(context);
  const input = requireEventRecord(NAME, event);
  const problems = new Problems();
  const scheduledTime = problems.string(input.scheduledTime, "scheduledTime");
  const scheduled = scheduledTime === undefined ? NaN : Date.parse(scheduledTime);
  if (scheduledTime !== undefined && Number.isNaN(scheduled)) problems.add(`scheduledTime must be an ISO 8601 timestamp (received ${received(scheduledTime)})`);
  const jobId = problems.string(input.jobId, "jobId", true);
  const task = problems.record(input.task, "task", true) ?? { type: "noop" };
  const type = problems.string(task.type, "task.type");
  problems.throwInvalidInput(NAME);

  const runner = TASK_RUNNERS[type!];
  if (!Object.hasOwn(TASK_RUNNERS, type!) || !runner) throw new UnknownTaskError(type!, Object.keys(TASK_RUNNERS));
  const result = runner(task.payload, problems);
  problems.throwInvalidInput(NAME);

  const now = Date.now();
  const record: TaskExecution = {
    taskId: `task_${createHash("sha256").update(`${jobId ?? ""}|${scheduledTime}|${type}`).digest("hex").slice(0, 16)}`,
    ...(jobId !== undefined ? { jobId } : {}),
    type: type!,
    scheduledTime: scheduledTime!,
    executedAt: new Date(now).toISOString(),
    delaySeconds: Math.max(0, Math.round((now - scheduled) / 1000)),
    status: "EXECUTED",
    result,
  };
  logger.info("scheduled task executed", { taskId: record.taskId, type: record.type, delaySeconds: record.delaySeconds });
  return record;
}
