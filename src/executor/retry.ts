/**
 * Retry and Catch matching and Retry back-off, as the States Language
 * specifies them.
 */

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  readonly Output?: unknown;
  readonly Assign?: Record<string, unknown>;
}

/**
 * States.Runtime is terminal: no Retry or Catch sees it, not even one naming
 * it. States.ALL matches every other error; States.TaskFailed every other
 * error except States.Timeout.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === "States.Runtime") return false;
  for (const name of errorEquals) {
    if (name === error || name === "States.ALL") return true;
    if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
  }
  return false;
}

/** The wait before retry number `retryIndex` (0-based) of this retrier, in milliseconds. */
export function retryDelayMs(retrier: Retrier, retryIndex: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let seconds = interval * Math.pow(backoff, retryIndex);
  if (retrier.MaxDelaySeconds !== undefined && seconds > retrier.MaxDelaySeconds) seconds = retrier.MaxDelaySeconds;
  if (retrier.JitterStrategy === "FULL") seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** A small seedable PRNG (mulberry32), so FULL jitter is reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
