/**
 * CheckStatus (wait): reports a job's status and returns the input with
 * `status` and `checkedAt` set, keeping every other field (the next Choice
 * reads `$.scheduledTime`).
 * Status: a terminal `status` already on the input (SUCCEEDED, FAILED) is kept;
 * otherwise, with `submittedAt` and `expectedDurationSeconds`, the job is
 * SUCCEEDED once that time has passed and RUNNING before; without them it is PENDING.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { Problems, received, requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "check-status";
const logger = createLogger(NAME);

export type JobStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";
const TERMINAL: readonly string[] = ["SUCCEEDED", "FAILED"];
const KNOWN: readonly string[] = ["PENDING", "RUNNING", ...TERMINAL];

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord & { status: JobStatus; checkedAt: string }> {
  logger.setContext(context);
  const job = requireEventRecord(NAME, event);
  const problems = new Problems();
  const jobId = problems.string(job.jobId, "jobId");
  if (job.status !== undefined && !KNOWN.includes(job.status as string)) {
    problems.add(`status must be one of ${KNOWN.join(", ")} when present (received ${received(job.status)})`);
  }
  const submittedAt = problems.string(job.submittedAt, "submittedAt", true);
  const submitted = submittedAt === undefined ? undefined : Date.parse(submittedAt);
  if (submitted !== undefined && Number.isNaN(submitted)) problems.add(`submittedAt must be an ISO 8601 timestamp (received ${received(submittedAt)})`);
  const duration = problems.number(job.expectedDurationSeconds, "expectedDurationSeconds", { min: 0 }, true);
  if (job.scheduledTime !== undefined && (typeof job.scheduledTime !== "string" || Number.isNaN(Date.parse(job.scheduledTime)))) {
    // Checked here because the Wait state's TimestampPath fails the execution with a less helpful States.Runtime.
    problems.add(`scheduledTime must be an ISO 8601 timestamp when present (received ${received(job.scheduledTime)})`);
  }
  problems.throwInvalidInput(NAME);

  const now = Date.now();
  let status: JobStatus;
  if (TERMINAL.includes(job.status as string)) status = job.status as JobStatus;
  else if (submitted !== undefined && duration !== undefined) status = now >= submitted + duration * 1000 ? "SUCCEEDED" : "RUNNING";
  else status = "PENDING";
  logger.info("job status checked", { jobId, status });
  return { ...job, status, checkedAt: new Date(now).toISOString() };
}
