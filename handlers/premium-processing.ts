/**
 * PremiumProcessing (choice): plans fulfilment at the premium service level
 * (lib/fulfilment.ts) and returns the order with a `fulfilment` block.
 */

import { planFulfilment } from "./lib/fulfilment";
import { createLogger, setContext, type RequestContext } from "./lib/logger";
import { event, parseEvent } from "./lib/schema";
import type { JsonRecord } from "./lib/validate";

const NAME = "premium-processing";
const logger = createLogger(NAME);

/** Any order: the service level does not depend on its fields. */
export const OrderEventSchema = event({});

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  setContext(logger, context);
  const order = parseEvent(NAME, OrderEventSchema, event);
  const planned = planFulfilment(order, "premium");
  logger.info("order routed", { orderId: order.orderId, tier: "premium", shipBy: planned.fulfilment.shipBy });
  return planned;
}
