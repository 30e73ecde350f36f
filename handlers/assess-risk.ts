/**
 * ProcessB (parallel): a fraud-risk score (0..100) and level for an order.
 * Rules (points add up, capped at 100):
 *   - amount >= 5000: 40, else amount >= 1000: 20
 *   - shipping and billing countries differ: 25
 *   - no shipping country at all: 15
 *   - new customer (`customer.isNew: true`): 15
 *   - more than 20 units in the order: 10
 * Level: HIGH >= 60, MEDIUM >= 30, else LOW. The amount is `total` when the
 * input has one, else the items' subtotal.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import { subtotalCents } from "./lib/money";
import { fromCents, isRecord, Problems, requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "assess-risk";
const logger = createLogger(NAME);

export type RiskLevel = "LOW" | "MEDIUM" | "HIGH";

export interface Risk {
  readonly score: number;
  readonly level: RiskLevel;
  /** One line per rule that added points, e.g. "amount >= 1000 (+20)". */
  readonly factors: readonly string[];
  readonly amount: number;
}

export function levelFor(score: number): RiskLevel {
  return score >= 60 ? "HIGH" : score >= 30 ? "MEDIUM" : "LOW";
}

const countryOf = (address: unknown): string | undefined =>
  isRecord(address) && typeof address.country === "string" && address.country.trim() !== "" ? address.country.trim().toUpperCase() : undefined;

export async function handler(event: unknown, context?: RequestContext): Promise<Risk> {
  logger.setContext(context);
  const order = requireEventRecord(NAME, event);
  const problems = new Problems();
  const amount =
    order.total !== undefined ? problems.number(order.total, "total", { min: 0 }) : mapCents(subtotalCents(problems, order.items));
  problems.record(order.shippingAddress, "shippingAddress", true);
  problems.record(order.billingAddress, "billingAddress", true);
  problems.record(order.customer, "customer", true);
  problems.throwInvalidInput(NAME);

  const factors: string[] = [];
  let score = 0;
  const add = (points: number, why: string) => {
    score += points;
    factors.push(`${why} (+${points})`);
  };
  if (amount! >= 5000) add(40, "amount >= 5000");
  else if (amount! >= 1000) add(20, "amount >= 1000");
  const shipTo = countryOf(order.shippingAddress);
  const billTo = countryOf(order.billingAddress);
  if (!shipTo) add(15, "no shipping country");
  else if (billTo && billTo !== shipTo) add(25, `shipping country ${shipTo} differs from billing country ${billTo}`);
  if (isRecord(order.customer) && order.customer.isNew === true) add(15, "new customer");
  const units = Array.isArray(order.items) ? order.items.reduce<number>((n, i: JsonRecord) => n + (typeof i?.quantity === "number" ? i.quantity : 0), 0) : 0;
  if (units > 20) add(10, "more than 20 units");
  score = Math.min(score, 100);
  const risk: Risk = { score, level: levelFor(score), factors, amount: amount! };
  logger.info("risk assessed", { orderId: order.orderId, score, level: risk.level });
  return risk;
}

function mapCents(cents: number | undefined): number | undefined {
  return cents === undefined ? undefined : fromCents(cents);
}
