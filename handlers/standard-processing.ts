/**
 * StandardProcessing (choice): plans fulfilment at the standard service level
 * (lib/fulfilment.ts) and returns the order with a `fulfilment` block.
 */

import { planFulfilment } from "./lib/fulfilment";
import { createLogger, type RequestContext } from "./lib/logger";
import { requireEventRecord, type JsonRecord } from "./lib/validate";

const NAME = "standard-processing";
const logger = createLogger(NAME);

export async function handler(event: unknown, context?: RequestContext): Promise<JsonRecord> {
  logger.setContext(context);
  const order = requireEventRecord(NAME, event);
  const planned = planFulfilment(order, "standard");
  logger.info("order routed", { orderId: order.orderId, tier: "standard", shipBy: planned.fulfilment.shipBy });
  return planned;
}
