/**
 * The handlers' logger: Powertools for AWS Lambda's Logger, one JSON line per
 * record (level, message, timestamp, service, cold_start, function_name,
 * function_request_id, xray_trace_id, ...fields), so CloudWatch Logs Insights
 * can query fields without parsing. Create it once per module (cold start)
 * and call `setContext(logger, context)` at the top of each invocation.
 *
 * Secrets never reach a log line: every field whose name says token, secret,
 * password, authorization, API key, card number or CVV is replaced by "****",
 * at any depth, whatever the caller passed (see `maskSensitive`).
 */

import { Logger, LogLevelThreshold } from "@aws-lambda-powertools/logger";
import type { LogItemExtraInput, LogItemMessage } from "@aws-lambda-powertools/logger/types";
import type { Context } from "aws-lambda";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
const LEVELS: readonly string[] = ["DEBUG", "INFO", "WARN", "ERROR"];

/** Field names whose values are never logged. */
export const SENSITIVE_KEY = /token|secret|passw(or)?d|authori[sz]ation|api[-_]?key|card[-_]?number|cvv|cvc/i;
export const MASK = "****";

/** JSON replacer: masks the value of every sensitive field (nulls and absent values stay as they are). */
export function maskSensitive(key: string, value: unknown): unknown {
  return key !== "" && SENSITIVE_KEY.test(key) && value !== undefined && value !== null ? MASK : value;
}

/**
 * Masks sensitive values in raw text that is logged as such (a preview of a
 * message body that is not valid JSON): `"token": "..."` and `token=...` forms.
 */
export function maskText(text: string): string {
  return text.replace(
    /("?[\w-]*(?:token|secret|passw(?:or)?d|authori[sz]ation|api[-_]?key|card[-_]?number|cvv|cvc)[\w-]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|[^\s,;&}\]]*)/gi,
    (_m, name: string) => `${name}"${MASK}"`,
  );
}

/**
 * Parses a LOG_LEVEL value. An unknown value falls back to INFO and says so
 * once, rather than silencing logs or failing every invocation.
 */
export function parseLogLevel(value: string | undefined): { level: LogLevel; warning?: string } {
  if (value === undefined || value.trim() === "") return { level: "INFO" };
  const upper = value.trim().toUpperCase();
  if (LEVELS.includes(upper)) return { level: upper as LogLevel };
  return { level: "INFO", warning: `LOG_LEVEL "${value}" is not one of DEBUG, INFO, WARN, ERROR; using INFO.` };
}

export interface LoggerOptions {
  /** @default process.env.LOG_LEVEL, else INFO */
  readonly level?: string;
}

/** The fields of the Lambda context the logger reads; tests and the local executor pass a subset. */
export type RequestContext = Partial<Pick<Context, "awsRequestId" | "functionName" | "functionVersion" | "invokedFunctionArn" | "memoryLimitInMB">>;

export type HandlerLogger = Logger;

/**
 * Powertools' Logger, minus one cost: it reads and parses `_X_AMZN_TRACE_ID`
 * for every record before comparing the record's level with its own (for log
 * buffering, which this logger never turns on). A DEBUG or INFO record below
 * the level in effect is dropped here first, on the same comparison Powertools
 * makes (`level` is the level in effect, sampling included), so nothing else changes.
 */
class LevelCheckedLogger extends Logger {
  override debug(input: LogItemMessage, ...extraInput: LogItemExtraInput): void {
    if (this.level <= LogLevelThreshold.DEBUG) super.debug(input, ...extraInput);
  }

  override info(input: LogItemMessage, ...extraInput: LogItemExtraInput): void {
    if (this.level <= LogLevelThreshold.INFO) super.info(input, ...extraInput);
  }
}

export function createLogger(service: string, options: LoggerOptions = {}): HandlerLogger {
  const parsed = parseLogLevel(options.level ?? process.env.LOG_LEVEL);
  const logger = new LevelCheckedLogger({
    serviceName: service,
    logLevel: parsed.level,
    jsonReplacerFn: maskSensitive,
    persistentKeys: {
      ...(process.env.PROJECT_NAME ? { project: process.env.PROJECT_NAME } : {}),
      ...(process.env.STAGE ? { stage: process.env.STAGE } : {}),
    },
  });
  if (parsed.warning) logger.warn(parsed.warning);
  return logger;
}

/** What setContext passes when a caller gives no context (tests): one frozen object, not one per call. */
const NO_CONTEXT: RequestContext = Object.freeze({});

/**
 * Stamps the invocation on every later record: request id, function name and
 * ARN, memory, and cold_start (true on the container's first invocation only).
 * The X-Ray trace id comes from `_X_AMZN_TRACE_ID`, which Lambda sets per invocation.
 */
export function setContext(logger: HandlerLogger, context: RequestContext | undefined): void {
  // Powertools reads only the identifying fields above (absent ones are left out of the record) and keeps none of the object.
  logger.addContext((context ?? NO_CONTEXT) as Context);
}
