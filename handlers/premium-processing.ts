/**
 * PremiumProcessing (choice): plans fulfilment at the premium service level
 * (lib/fulfilment.ts) and returns the order with a `fulfilment` block.
 */

import { planFulfilment } from "./lib/fulfilment";
import { createLogger, type RequestContext } from "./lib/logger";
import { requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "premium-processing";
const logger = createLogger(NAME);

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  logger.setContext(context);
  const order = requireEventRecord(NAME, event);
  const planned = planFulfilment(order, "premium");
  logger.info("order routed", { orderId: order.orderId, tier: "premium", shipBy: planned.fulfilment.shipBy });
  return planned;
}
