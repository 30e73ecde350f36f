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

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import { PricedItemsSchema, subtotalCents } from "./lib/money";
import * as z from "zod/mini";
import { anyRecord, event, number, parseEvent } from "./lib/schema";
import { fromCents, isRecord } from "./lib/validate";

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

const context = {
  shippingAddress: z.optional(anyRecord()),
  billingAddress: z.optional(anyRecord()),
  customer: z.optional(anyRecord()),
};
/** The amount is `total` when the order has one (items are then not checked), else the items' subtotal. */
export const WithTotalSchema = event({ total: number({ min: 0 }), ...context });
export const WithItemsSchema = event({ items: PricedItemsSchema, ...context });

export async function handler(event: unknown, lambdaContext?: RequestContext): Promise<Risk> {
  setContext(logger, lambdaContext);
  let order;
  let amount: number;
  if (isRecord(event) && event.total !== undefined) {
    order = parseEvent(NAME, WithTotalSchema, event);
    amount = order.total;
  } else {
    order = parseEvent(NAME, WithItemsSchema, event);
    amount = fromCents(subtotalCents(order.items));
  }

  const factors: string[] = [];
  let score = 0;
  const add = (points: number, why: string) => {
    score += points;
    factors.push(`${why} (+${points})`);
  };
  if (amount >= 5000) add(40, "amount >= 5000");
  else if (amount >= 1000) add(20, "amount >= 1000");
  const shipTo = countryOf(order.shippingAddress);
  const billTo = countryOf(order.billingAddress);
  if (!shipTo) add(15, "no shipping country");
  else if (billTo && billTo !== shipTo) add(25, `shipping country ${shipTo} differs from billing country ${billTo}`);
  if (order.customer?.isNew === true) add(15, "new customer");
  const units = Array.isArray(order.items) ? order.items.reduce<number>((n, i: unknown) => n + (isRecord(i) && typeof i.quantity === "number" ? i.quantity : 0), 0) : 0;
  if (units > 20) add(10, "more than 20 units");
  score = Math.min(score, 100);
  const risk: Risk = { score, level: levelFor(score), factors, amount };
  logger.info("risk assessed", { orderId: order.orderId, score, riskLevel: risk.level });
  return risk;
}
