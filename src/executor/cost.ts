/**
 * The cost of an execution, from its history, at AWS's list prices.
 *
 * Standard: billed per state transition; "Step Functions counts a state
 * transition each time a step of your workflow is executed ... including
 * retries" (pricing page). Counted here as every state entered (Map
 * iterations' and Parallel branches' states included) plus every Task retry.
 *
 * Express: billed per request (one per execution) and per duration x memory,
 * "rounded up to the nearest 100ms" and "billed in 64-MB chunks" (pricing
 * page). The duration is the execution's time on the executor's clock: Wait
 * states and retry back-off count, in-process handler time does not (pass
 * `extraDurationMs` for what the functions would take). AWS derives the memory
 * from the definition's size, Map/Parallel use and payload sizes and does not
 * publish the formula: 64 MB (one chunk) unless `memoryMb` is given.
 */
import type { ExecutionResult } from "./options";
import { stateVisits } from "./summary";

/**
 * AWS Step Functions list prices, us-east-1, the one place they are written.
 * Read on 2026-12-02, each figure from AWS's own text:
 *
 * - https://aws.amazon.com/step-functions/pricing/ (AWS's pricing page):
 *   Standard "$0.025 per 1,000 state transitions", and in its State
 *   Transitions Pricing Table "US East (N. Virginia) $0.0250" per 1,000;
 *   "each retry will be charged as an additional state transition"; a free
 *   tier of 4,000 transitions a month. Express: "counts a request each time
 *   it starts executing a workflow"; duration "rounded up to the nearest
 *   100ms"; memory "billed in 64-MB chunks".
 * - The same page's Express pricing example (its Express price table did
 *   not come through in the copy we read; the example's text did, in a
 *   rendering of the page: https://mdsite.deno.dev/https://aws.amazon.com/step-functions/pricing):
 *   "$1.00 per million requests"; duration $0.06000 per GB-hour for the first
 *   1,000 GB-hours of a month, $0.03000 for the next 4,000, $0.01642 beyond.
 *   Per GB-second that is $0.06000 / 3,600 = $0.0000166667 for the first tier.
 * - https://aws.amazon.com/blogs/compute/building-cost-effective-aws-step-functions-workflows/
 *   (AWS Compute Blog) agrees: "$1.00 per million invocations versus $25 per
 *   million for Standard Workflows".
 *
 * Not applied (these are per-execution list prices): the Standard free tier
 * and the cheaper Express duration tiers, which depend on a month's volume.
 */
export const STEP_FUNCTIONS_PRICES = {
  region: "us-east-1",
  source: "https://aws.amazon.com/step-functions/pricing/",
  date: "2026-12-02",
  standardPerStateTransition: 0.025 / 1000,
  expressPerRequest: 1.0 / 1_000_000,
  /** The first duration tier, as AWS states it. */
  expressPerGbHour: 0.06,
  expressPerGbSecond: 0.06 / 3600,
  expressDurationIncrementMs: 100,
  expressMemoryIncrementMb: 64,
} as const;

export interface ExecutionCost {
  readonly type: "STANDARD" | "EXPRESS";
  /** States entered plus Task retries (what Standard bills). */
  readonly stateTransitions: number;
  readonly retries: number;
  /** Express only. */
  readonly requests?: number;
  readonly billedDurationMs?: number;
  readonly billedMemoryMb?: number;
  readonly gbSeconds?: number;
  /** US dollars for this execution, and for 1,000 like it. */
  readonly usd: number;
  readonly usdPer1000Executions: number;
  readonly prices: { readonly region: string; readonly source: string; readonly date: string };
}

export interface CostOptions {
  /** @default EXPRESS when the execution ARN is an Express one, else STANDARD */
  readonly type?: "STANDARD" | "EXPRESS";
  /** Express memory in MB, rounded up to 64 MB chunks. @default 64 */
  readonly memoryMb?: number;
  /** Express: time the executor's clock does not see (handler run time), added to the duration. @default 0 */
  readonly extraDurationMs?: number;
}

export function executionCost(result: Pick<ExecutionResult, "history" | "startDate" | "stopDate" | "executionArn">, options: CostOptions = {}): ExecutionCost {
  const p = STEP_FUNCTIONS_PRICES;
  const type = options.type ?? (/:express:/.test(result.executionArn) ? "EXPRESS" : "STANDARD");
  const visits = stateVisits(result.history);
  const retries = visits.reduce((n, v) => n + v.retries, 0);
  const stateTransitions = visits.length + retries;
  const prices = { region: p.region, source: p.source, date: p.date };
  if (type === "STANDARD") {
    const usd = stateTransitions * p.standardPerStateTransition;
    return { type, stateTransitions, retries, usd, usdPer1000Executions: usd * 1000, prices };
  }
  const durationMs = Math.max(0, result.stopDate.getTime() - result.startDate.getTime()) + (options.extraDurationMs ?? 0);
  const billedDurationMs = Math.max(1, Math.ceil(durationMs / p.expressDurationIncrementMs)) * p.expressDurationIncrementMs;
  const billedMemoryMb = Math.max(1, Math.ceil((options.memoryMb ?? p.expressMemoryIncrementMb) / p.expressMemoryIncrementMb)) * p.expressMemoryIncrementMb;
  const gbSeconds = (billedMemoryMb / 1024) * (billedDurationMs / 1000);
  const usd = p.expressPerRequest + gbSeconds * p.expressPerGbSecond;
  return { type, stateTransitions, retries, requests: 1, billedDurationMs, billedMemoryMb, gbSeconds, usd, usdPer1000Executions: usd * 1000, prices };
}

/** One line for people: "Cost (STANDARD, us-east-1 list price): 4 state transitions (1 retry) = $0.000100; $0.100000 per 1,000 executions". */
export function formatCost(c: ExecutionCost): string {
  const money = (v: number) => `$${v.toFixed(6)}`;
  const what =
    c.type === "STANDARD"
      ? `${c.stateTransitions} state transitions${c.retries ? ` (${c.retries} retr${c.retries === 1 ? "y" : "ies"})` : ""}`
      : `1 request + ${c.billedDurationMs} ms x ${c.billedMemoryMb} MB (${c.gbSeconds!.toPrecision(3)} GB-s)`;
  return `Cost (${c.type}, ${c.prices.region} list price of ${c.prices.date}): ${what} = ${money(c.usd)}; ${money(c.usdPer1000Executions)} per 1,000 executions`;
}
