/**
 * ProcessPayment (order-processing): charges `order.total` through the payment
 * gateway (the simulator by default; its rules are in lib/payment-gateway.ts).
 * Receives `{order, attempt}`, attempt being `$$.State.RetryCount`.
 * The token is dropped from the output: execution history keeps state data.
 */

import { createLogger, type RequestContext } from "./lib/logger";
import type { PaidOrder, ValidatedOrder } from "./lib/order";
import { simulatedGateway, type PaymentGateway } from "./lib/payment-gateway";
import { Problems, requireEventRecord } from "./lib/validate";

const NAME = "process-payment";
const logger = createLogger(NAME);

export interface ProcessPaymentEvent {
  readonly order: ValidatedOrder;
  /** `$$.State.RetryCount`; absent counts as the first attempt. */
  readonly attempt?: number;
}

/** A handler bound to a gateway; `handler` below uses the simulator. */
export function createPaymentHandler(gateway: PaymentGateway) {
  return async function processPayment(event: unknown, context?: RequestContext): Promise<PaidOrder> {
    logger.setContext(context);
    const input = requireEventRecord(NAME, event);
    const problems = new Problems();
    const attempt = problems.number(input.attempt, "attempt", { integer: true, min: 0 }, true) ?? 0;
    const order = problems.record(input.order, "order");
    let payment;
    if (order) {
      problems.string(order.orderId, "order.orderId");
      problems.number(order.total, "order.total", { min: 0 });
      payment = problems.record(order.payment, "order.payment");
      if (payment) {
        problems.string(payment.method, "order.payment.method");
        problems.string(payment.token, "order.payment.token");
        problems.number(payment.simulateTransientFailures, "order.payment.simulateTransientFailures", { integer: true, min: 0 }, true);
      }
    }
    problems.throwInvalidInput(NAME);
    const valid = input.order as ValidatedOrder;
    try {
      const result = await gateway.charge({
        orderId: valid.orderId,
        amount: valid.total,
        method: valid.payment.method,
        token: valid.payment.token,
        attempt,
        simulateTransientFailures: valid.payment.simulateTransientFailures,
      });
      logger.info("payment charged", { orderId: valid.orderId, transactionId: result.transactionId, amount: result.amount, attempt });
      return {
        ...valid,
        payment: {
          method: valid.payment.method,
          transactionId: result.transactionId,
          amount: result.amount,
          status: "CHARGED",
          attempts: attempt + 1,
        },
      };
    } catch (error) {
      logger.warn("payment failed", { orderId: valid.orderId, attempt, error });
      throw error;
    }
  };
}

export const handler = createPaymentHandler(simulatedGateway);
