/**
 * CombineResults (parallel): turns `analysis: {totals, risk}` (the Parallel
 * state's two branches) into one decision:
 * risk HIGH -> REJECT, MEDIUM -> MANUAL_REVIEW, LOW -> APPROVE.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import * as z from "zod/mini";
import { event, number, parseEvent, record } from "./lib/schema";

const NAME = "combine-results";
const logger = createLogger(NAME);

export type Decision = "APPROVE" | "MANUAL_REVIEW" | "REJECT";

const DECISIONS = { LOW: "APPROVE", MEDIUM: "MANUAL_REVIEW", HIGH: "REJECT" } as const satisfies Record<string, Decision>;
const LEVELS = Object.keys(DECISIONS) as (keyof typeof DECISIONS)[];

export const AnalysisEventSchema = event({
  analysis: record({
    totals: record({ total: number({ min: 0 }) }),
    risk: record({
      score: number({ min: 0 }),
      level: z.enum(LEVELS, { error: `must be one of ${LEVELS.join(", ")}` }),
    }),
  }),
});

export interface CombinedResult {
  readonly orderId?: string;
  readonly decision: Decision;
  readonly total: number;
  readonly riskScore: number;
  readonly riskLevel: string;
  readonly reasons: readonly string[];
  readonly decidedAt: string;
}

export async function handler(event: unknown, context?: RequestContext): Promise<CombinedResult> {
  setContext(logger, context);
  const input = parseEvent(NAME, AnalysisEventSchema, event);
  const { totals, risk } = input.analysis;
  const reasons = Array.isArray(risk.factors) ? risk.factors.filter((f): f is string => typeof f === "string") : [];
  const result: CombinedResult = {
    ...(typeof input.orderId === "string" ? { orderId: input.orderId } : {}),
    decision: DECISIONS[risk.level],
    total: totals.total,
    riskScore: risk.score,
    riskLevel: risk.level,
    reasons,
    decidedAt: new Date().toISOString(),
  };
  logger.info("decision made", { orderId: result.orderId, decision: result.decision });
  return result;
}
