/**
 * The catalogue of shipped workflows: the one list that the renderer, the
 * lint, the local executor, the infrastructure and the review read.
 * A workflow's Lambda functions are NOT listed here: its template names them
 * with the {{lambda "..."}} helper, and everything else derives from that.
 */

export type WorkflowType = "STANDARD" | "EXPRESS";

/** An EventBridge rule on the stage's custom bus that starts the workflow. */
export interface EventBridgeTrigger {
  readonly kind: "eventbridge";
  /** The rule's event pattern, as EventBridge takes it. */
  readonly pattern: { readonly source: readonly string[]; readonly "detail-type": readonly string[] };
}

/** An SQS work queue (with a dead-letter queue) whose messages start executions through the bridge function. */
export interface SqsTrigger {
  readonly kind: "sqs";
  /**
   * Messages per Lambda invocation.
   * @default 1 (as in the seed: one message, one execution, one retry unit)
   */
  readonly batchSize?: number;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/** An EventBridge Scheduler schedule that starts the workflow with a fixed input. */
export interface ScheduleTrigger {
  readonly kind: "schedule";
  /** `rate(15 minutes)`, `cron(0 8 * * ? *)` or `at(2027-01-01T00:00:00)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  /**
   * IANA time zone the cron or at expression is read in.
   * @default "UTC"
   */
  readonly timezone?: string;
  /**
   * Let Scheduler start up to this many minutes late, to spread load (1-1440); 0 starts on time.
   * @default 0
   */
  readonly flexibleWindowMinutes?: number;
  /**
   * The execution input.
   * @default {}
   */
  readonly input?: unknown;
  /**
   * Retries of a start Scheduler could not deliver (0-185), then the dead-letter queue.
   * @default 3
   */
  readonly maximumRetryAttempts?: number;
  /**
   * Age after which Scheduler gives up on a start (60-86400 seconds).
   * @default 3600
   */
  readonly maximumEventAgeSeconds?: number;
}

/** An API Gateway HTTP API route whose request body becomes the execution input. */
export interface HttpTrigger {
  readonly kind: "http";
  /** Method and path, e.g. `POST /orders`. */
  readonly route: string;
  /**
   * Who may call: `iam` (SigV4-signed requests) or a JWT authorizer.
   * @default { type: "iam" }
   */
  readonly authorization?: { readonly type: "iam" } | { readonly type: "jwt"; readonly issuer: string; readonly audience: readonly string[] };
  /**
   * Steady-state requests per second.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests above the rate allowed in a burst.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
}

export type Trigger = EventBridgeTrigger | SqsTrigger | ScheduleTrigger | HttpTrigger;

/** Execution statuses Step Functions reports in "Step Functions Execution Status Change" events. */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

/** Notifications on execution status changes, delivered to the stage's alarm topic or a declared queue. */
export interface Notifications {
  readonly statuses: readonly ExecutionStatus[];
  /**
   * A queue declared in workflows/resources.ts and created by the stage stack (its policy then lets
   * these rules send to it), instead of the alarm topic.
   * @default the stage's alarm topic
   */
  readonly queue?: string;
}

export interface WorkflowSpec {
  /** Kebab-case name; the state machine is `<project>-<stage>-<name>`. */
  readonly name: string;
  /** Template file, relative to the repository root. */
  readonly template: string;
  readonly type: WorkflowType;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  /** @default none */
  readonly notifications?: Notifications;
}

const spec = (
  name: string,
  type: WorkflowType,
  description: string,
  triggers: readonly Trigger[] = [],
  notifications?: Notifications,
): WorkflowSpec => ({
  name,
  template: `workflows/${name}.asl.json.hbs`,
  type,
  description,
  triggers,
  ...(notifications ? { notifications } : {}),
});

export const WORKFLOWS: readonly WorkflowSpec[] = [
  spec("order-processing", "STANDARD", "Validates an order, charges the payment (retrying transient failures) and updates inventory; any failure is recorded by handle-error.", [
    { kind: "eventbridge", pattern: { source: ["myapp.orders"], "detail-type": ["Order Created"] } },
    { kind: "sqs", batchSize: 1, maxReceiveCount: 5 },
    { kind: "http", route: "POST /orders" },
  ], { statuses: ["FAILED", "TIMED_OUT", "ABORTED"] }),
  spec("sequential", "STANDARD", "Two steps in sequence: normalise a customer record, then enrich it."),
  spec("parallel", "STANDARD", "Computes order totals and a risk assessment in parallel branches, then combines them."),
  spec("map", "STANDARD", "Processes every element of $.items, at most five at a time."),
  spec("choice", "STANDARD", "Routes premium orders to premium processing and all others to standard processing."),
  spec("wait", "STANDARD", "Waits 30 seconds before checking a job's status, then, when $.scheduledTime is given, waits until then and runs the scheduled task.", [
    { kind: "schedule", expression: "cron(0 6 * * ? *)", timezone: "Europe/London", flexibleWindowMinutes: 15, input: { jobId: "nightly-report" } },
  ]),
  spec("data-transform", "EXPRESS", "Shapes a payload with Parameters and ResultPath, then stamps it with the time the state was entered."),
  spec("error-handling", "STANDARD", "Retries Lambda's transient errors, catches validation failures and everything else separately, each into $.error."),
  spec("batch-import", "STANDARD", "Distributed Map: reads a CSV from the imports bucket, processes each row in a child execution (up to 10% may fail) and writes the results back to the bucket."),
  spec(
    "order-fulfilment",
    "STANDARD",
    "Runs order-processing for an order and waits for it, then records the order in the orders table, stores its receipt in the receipts bucket and announces it on the order-events topic (declared in workflows/resources.ts).",
    [],
    { statuses: ["FAILED", "TIMED_OUT", "ABORTED"], queue: "fulfilment-alerts" },
  ),
];
