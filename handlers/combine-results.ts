/**
 * CombineResults (parallel): turns `analysis: {totals, risk}` (the Parallel
 * state's two branches) into one decision:
 * risk HIGH -> REJECT, MEDIUM -> MANUAL_REVIEW, LOW -> APPROVE.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { Problems, requireEventRecord } from "./lib/validate";

const NAME = "combine-results";
const logger = createLogger(NAME);

export type Decision = "APPROVE" | "MANUAL_REVIEW" | "REJECT";

const DECISIONS: Record<string, Decision> = { LOW: "APPROVE", MEDIUM: "MANUAL_REVIEW", HIGH: "REJECT" };

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
  logger.setContext(context);
  const input = requireEventRecord(NAME, event);
  const problems = new Problems();
  const analysis = problems.record(input.analysis, "analysis");
  const totals = analysis && problems.record(analysis.totals, "analysis.totals");
  const risk = analysis && problems.record(analysis.risk, "analysis.risk");
  const total = totals && problems.number(totals.total, "analysis.totals.total", { min: 0 });
  const score = risk && problems.number(risk.score, "analysis.risk.score", { min: 0 });
  const level = risk && problems.string(risk.level, "analysis.risk.level");
  if (level !== undefined && !(level in DECISIONS)) {
    problems.add(`analysis.risk.level must be one of ${Object.keys(DECISIONS).join(", ")} (received "${level}")`);
  }
  problems.throwInvalidInput(NAME);

  const reasons = Array.isArray(risk!.factors) ? risk!.factors.filter((f): f is string => typeof f === "string") : [];
  const result: CombinedResult = {
    ...(typeof input.orderId === "string" ? { orderId: input.orderId } : {}),
    decision: DECISIONS[level!]!,
    total: total!,
    riskScore: score!,
    riskLevel: level!,
    reasons,
    decidedAt: new Date().toISOString(),
  };
  logger.info("decision made", { orderId: result.orderId, decision: result.decision });
  return result;
}
