/**
 * CheckStatus (wait): reports a job's status and returns the input with
 * `status` and `checkedAt` set, keeping every other field (the next Choice
 * reads `$.scheduledTime`).
 * Status: a terminal `status` already on the input (SUCCEEDED, FAILED) is kept;
 * otherwise, with `submittedAt` and `expectedDurationSeconds`, the job is
 * SUCCEEDED once that time has passed and RUNNING before; without them it is PENDING.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, nonEmptyString, number, parseEvent, timestamp } from "./lib/schema";
import { withFields, type JsonRecord } from "./lib/validate";

const NAME = "check-status";
const logger = createLogger(NAME);

const STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof STATUSES)[number];
const TERMINAL: readonly JobStatus[] = ["SUCCEEDED", "FAILED"];

export const JobEventSchema = event({
  jobId: nonEmptyString(),
  status: z.optional(z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")} when present` })),
  submittedAt: z.optional(timestamp()),
  expectedDurationSeconds: z.optional(number({ min: 0 })),
  // Checked here because the Wait state's TimestampPath fails the execution with a less helpful States.Runtime.
  scheduledTime: z.optional(timestamp("must be an ISO 8601 timestamp when present")),
});

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord & { status: JobStatus; checkedAt: string }> {
  setContext(logger, context);
  const job = parseEvent(NAME, JobEventSchema, event);
  const now = Date.now();
  const submitted = job.submittedAt === undefined ? undefined : Date.parse(job.submittedAt);
  const duration = job.expectedDurationSeconds;
  let status: JobStatus;
  if (job.status !== undefined && TERMINAL.includes(job.status)) status = job.status;
  else if (submitted !== undefined && duration !== undefined) status = now >= submitted + duration * 1000 ? "SUCCEEDED" : "RUNNING";
  else status = "PENDING";
  logger.info("job status checked", { jobId: job.jobId, status });
  return withFields(job, { status, checkedAt: new Date(now).toISOString() });
}
