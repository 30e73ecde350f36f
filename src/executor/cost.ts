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
 * Source: https://aws.amazon.com/step-functions/pricing/ (read 2026-12-02).
 * Express duration: the first tier (first 1,000 GB-hours a month); the
 * cheaper later tiers and the Standard free tier (4,000 transitions a month)
 * are not applied: these are per-execution list prices.
 */
export const STEP_FUNCTIONS_PRICES = {
  region: "us-east-1",
  source: "https://aws.amazon.com/step-functions/pricing/",
  date: "2026-12-02",
  standardPerStateTransition: 0.025 / 1000,
  expressPerRequest: 1.0 / 1_000_000,
  expressPerGbSecond: 0.00001667,
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
