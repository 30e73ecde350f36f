/**
 * ProcessPayment (order-processing): charges `order.total` through the payment
 * gateway (the simulator by default; its rules are in lib/payment-gateway.ts).
 * Receives `{order, attempt}`, attempt being `$$.State.RetryCount`.
 * The token is dropped from the output: execution history and the
 * execution-data log keep state data, so the token goes no further than this step.
 */

import { createLogger, setContext, type RequestContext } from "./lib/logger";
import { ValidatedOrderSchema, type PaidOrder } from "./lib/order";
import { simulatedGateway, type PaymentGateway } from "./lib/payment-gateway";
import * as z from "zod/mini";
import { event, number, parseEvent } from "./lib/schema";

const NAME = "process-payment";
const logger = createLogger(NAME);

export const ProcessPaymentEventSchema = event({
  /** `$$.State.RetryCount`; absent counts as the first attempt. */
  attempt: z.optional(number({ integer: true, min: 0 })),
  order: ValidatedOrderSchema,
});

export type ProcessPaymentEvent = z.output<typeof ProcessPaymentEventSchema>;

/** A handler bound to a gateway; `handler` below uses the simulator. */
export function createPaymentHandler(gateway: PaymentGateway) {
  return async function processPayment(input: unknown, context?: RequestContext): Promise<PaidOrder> {
    setContext(logger, context);
    const { order, attempt = 0 } = parseEvent(NAME, ProcessPaymentEventSchema, input);
    const { token, simulateTransientFailures, ...payment } = order.payment;
    try {
      const result = await gateway.charge({
        orderId: order.orderId,
        amount: order.total,
        method: payment.method,
        token,
        attempt,
        simulateTransientFailures,
      });
      logger.info("payment charged", { orderId: order.orderId, transactionId: result.transactionId, amount: result.amount, attempt });
      return {
        ...order,
        payment: {
          method: payment.method,
          transactionId: result.transactionId,
          amount: result.amount,
          status: "CHARGED",
          attempts: attempt + 1,
        },
      };
    } catch (error) {
      logger.warn("payment failed", { orderId: order.orderId, attempt, error });
      throw error;
    }
  };
}

export const handler = createPaymentHandler(simulatedGateway);
