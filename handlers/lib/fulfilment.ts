/** The service levels behind premium-processing and standard-processing (choice workflow). */

import { withFields, type JsonRecord } from "./validate";

export type Tier = "premium" | "standard";

export interface ServiceLevel {
  readonly tier: Tier;
  readonly priority: "HIGH" | "NORMAL";
  readonly shippingMethod: "EXPRESS" | "GROUND";
  /** Hours from processing until the order must ship. */
  readonly slaHours: number;
}

export const SERVICE_LEVELS: Readonly<Record<Tier, ServiceLevel>> = {
  premium: { tier: "premium", priority: "HIGH", shippingMethod: "EXPRESS", slaHours: 4 },
  standard: { tier: "standard", priority: "NORMAL", shippingMethod: "GROUND", slaHours: 48 },
};

export interface Fulfilment extends ServiceLevel {
  readonly processedAt: string;
  /** processedAt + slaHours. */
  readonly shipBy: string;
}

export function planFulfilment(order: JsonRecord, tier: Tier, now: Date = new Date()): JsonRecord & { fulfilment: Fulfilment } {
  const level = SERVICE_LEVELS[tier];
  const shipBy = new Date(now.getTime() + level.slaHours * 3_600_000);
  return withFields(order, { fulfilment: withFields(level, { processedAt: now.toISOString(), shipBy: shipBy.toISOString() }) });
}
