/**
 * The SQS -> Step Functions bridge (Lambda handler `index.processMessage`).
 * Each SQS record starts one execution of STATE_MACHINE_ARN with the message
 * body as input. Failures are per record: the function returns
 * `batchItemFailures`, so SQS redelivers only those (the event source mapping
 * must set `function_response_types = ["ReportBatchItemFailures"]`) and, after
 * maxReceiveCount receives, moves them to the dead-letter queue.
 *
 * Idempotency: the execution name is derived from the message id, so a
 * redelivered message cannot start a second Standard execution;
 * `ExecutionAlreadyExists` therefore means "already started" and counts as
 * success. Express state machines do not enforce name uniqueness: there a
 * redelivery does start a second execution.
 */

import { createHash } from "node:crypto";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { createLogger, maskText, setContext, type RequestContext } from "./lib/logger";

const logger = createLogger("sqs-bridge");

/**
 * One client per container, reused across invocations (connection reuse).
 * The SDK reads region, credentials and endpoint overrides
 * (AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL) from the environment.
 */
const sfn = new SFNClient({});

/** Step Functions rejects larger inputs; SQS messages may be up to 1 MiB. */
export const MAX_INPUT_BYTES = 256 * 1024;
/** Records started at once: a batch can hold up to 10,000 messages, and StartExecution is throttled per account. */
export const CONCURRENCY = 10;

const NAME_CHARS = /^[A-Za-z0-9_-]+$/;
/** `msg-` + up to 76 characters = 80, the StartExecution name limit. */
const MAX_RAW_ID = 76;

/**
 * The execution name for a message id. A message id already in the allowed
 * set (SQS ids are UUIDs) is used as it is, after `msg-`; anything else is
 * hashed, after `msgh-`. The two prefixes keep the forms from colliding.
 */
export function executionNameFor(messageId: string): string {
  if (messageId.length > 0 && messageId.length <= MAX_RAW_ID && NAME_CHARS.test(messageId)) return `msg-${messageId}`;
  return `msgh-${createHash("sha256").update(messageId).digest("hex")}`;
}

type Outcome = { ok: true; executionArn?: string; duplicate: boolean } | { ok: false; reason: string };

export async function processMessage(event: SQSEvent, context?: RequestContext): Promise<SQSBatchResponse> {
  setContext(logger, context);
  const stateMachineArn = process.env.STATE_MACHINE_ARN;
  if (!stateMachineArn) {
    // A deployment error, not a message error: fail the whole batch so nothing is lost while it is fixed.
    throw new Error("sqs bridge: environment variable STATE_MACHINE_ARN is not set; set it to the ARN of the state machine to start.");
  }
  const records = event?.Records ?? [];
  const failures = new Set<string>();

  // FIFO queues need order within a message group: after one failure, the rest of the batch is failed unstarted.
  const fifo = records.some((r) => r.attributes?.MessageGroupId !== undefined);
  if (fifo) {
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const outcome = await start(stateMachineArn, record);
      if (!outcome.ok) {
        for (const rest of records.slice(i)) failures.add(rest.messageId);
        logger.warn("FIFO batch stopped at the first failure; later records are returned for redelivery", {
          messageId: record.messageId,
          skipped: records.length - i - 1,
        });
        break;
      }
    }
  } else {
    // A message delivered twice in one batch is started once: racing ourselves
    // would turn an idempotent start into a spurious failure.
    const byId = new Map<string, SQSRecord>();
    for (const record of records) if (!byId.has(record.messageId)) byId.set(record.messageId, record);
    await forEachLimited([...byId.values()], CONCURRENCY, async (record) => {
      const outcome = await start(stateMachineArn, record);
      if (!outcome.ok) failures.add(record.messageId);
    });
  }

  logger.info("batch processed", { records: records.length, failed: failures.size });
  return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** Never throws: whatever goes wrong with one record is that record's failure, not the batch's. */
async function start(stateMachineArn: string, record: SQSRecord): Promise<Outcome> {
  try {
    return await startOne(stateMachineArn, record);
  } catch (error) {
    logger.error("unexpected error while starting an execution", { messageId: record.messageId, error });
    return { ok: false, reason: "unexpected" };
  }
}

async function startOne(stateMachineArn: string, record: SQSRecord): Promise<Outcome> {
  const { messageId } = record;
  const body = record.body ?? "";
  try {
    JSON.parse(body);
  } catch (error) {
    logger.error("message body is not valid JSON; it will be retried and then land in the dead-letter queue", {
      messageId,
      error: (error as Error).message,
      // Sensitive fields are masked in the preview too: an invalid body is still an order.
      bodyPreview: maskText(body.slice(0, 200)),
    });
    return { ok: false, reason: "invalid JSON" };
  }
  const bytes = Buffer.byteLength(body, "utf8");
  if (bytes > MAX_INPUT_BYTES) {
    logger.error("message body exceeds the Step Functions input limit", { messageId, bytes, limit: MAX_INPUT_BYTES });
    return { ok: false, reason: "input too large" };
  }
  const name = executionNameFor(messageId);
  try {
    // The raw body, not a re-serialisation: the execution sees exactly what was sent.
    const result = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: body }));
    logger.info("execution started", { messageId, name, executionArn: result.executionArn });
    return { ok: true, executionArn: result.executionArn, duplicate: false };
  } catch (error) {
    const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === "ExecutionAlreadyExists") {
      logger.info("execution already started for this message (redelivery); treated as success", { messageId, name });
      return { ok: true, duplicate: true };
    }
    logger.error("StartExecution failed; the message will be redelivered", {
      messageId,
      name,
      errorName: err.name,
      errorMessage: err.message,
      httpStatusCode: err.$metadata?.httpStatusCode,
    });
    return { ok: false, reason: err.name ?? "unknown" };
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
