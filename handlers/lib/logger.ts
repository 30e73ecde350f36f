/**
 * A small JSON logger: one line per record, so CloudWatch Logs Insights can
 * query fields without parsing. Create it once per module (cold start) and
 * call `setContext` at the top of each invocation to stamp the request id.
 */

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/** Where lines go; tests pass their own sink instead of patching stdout. */
export type LogSink = (line: string) => void;

export interface LoggerOptions {
  /** @default process.env.LOG_LEVEL, else INFO */
  readonly level?: string;
  /** @default writes the line to stdout */
  readonly sink?: LogSink;
}

/** The one field of the Lambda context the logger reads. */
export interface RequestContext {
  readonly awsRequestId?: string;
}

/**
 * Parses a LOG_LEVEL value. An unknown value falls back to INFO and says so
 * once, rather than silencing logs or failing every invocation.
 */
export function parseLogLevel(value: string | undefined): { level: LogLevel; warning?: string } {
  if (value === undefined || value.trim() === "") return { level: "INFO" };
  const upper = value.trim().toUpperCase();
  if (upper in RANK) return { level: upper as LogLevel };
  return { level: "INFO", warning: `LOG_LEVEL "${value}" is not one of DEBUG, INFO, WARN, ERROR; using INFO.` };
}

export class Logger {
  readonly level: LogLevel;
  private readonly sink: LogSink;
  private requestId: string | undefined;

  constructor(
    public readonly service: string,
    options: LoggerOptions = {},
  ) {
    const parsed = parseLogLevel(options.level ?? process.env.LOG_LEVEL);
    this.level = parsed.level;
    this.sink = options.sink ?? ((line) => void process.stdout.write(line + "\n"));
    if (parsed.warning) this.warn(parsed.warning);
  }

  /** Stamps the invocation's request id on every later record (one invocation at a time per container). */
  setContext(context: RequestContext | undefined): void {
    this.requestId = context?.awsRequestId;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log("DEBUG", message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log("INFO", message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log("WARN", message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.log("ERROR", message, fields);
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  private log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.isEnabled(level)) return;
    const record: Record<string, unknown> = {
      timestamp: new Date().toISOString(),
      level,
      service: this.service,
      message,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(process.env.PROJECT_NAME ? { project: process.env.PROJECT_NAME } : {}),
      ...(process.env.STAGE ? { stage: process.env.STAGE } : {}),
      ...fields,
    };
    this.sink(safeStringify(record));
  }
}

export function createLogger(service: string, options?: LoggerOptions): Logger {
  return new Logger(service, options);
}

/** Errors serialise to `{}` by default; a log line must never throw (circular values, BigInt). */
function safeStringify(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[Circular]";
      seen.add(value);
    }
    return value;
  });
}
