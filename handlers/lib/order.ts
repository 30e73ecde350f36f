/**
 * The order shape the order-processing workflow passes between its Tasks:
 * the zod schemas are the single source of the types.
 */

import * as z from "zod/mini";
import { event, list, nonEmptyString, number, record } from "./schema";

export const OrderItemSchema = record({
  sku: nonEmptyString(),
  quantity: number({ integer: true, positive: true }),
  unitPrice: number({ min: 0 }),
});

export const PaymentDetailsSchema = record({
  method: nonEmptyString(),
  /** A payment-provider token (never card data). The simulated gateway reads it; see process-payment. Never logged. */
  token: nonEmptyString(),
  /** Simulator only: fail with Payment.TransientFailure on this many attempts first. */
  simulateTransientFailures: z.optional(number({ integer: true, min: 0 })),
});

const orderShape = {
  orderId: nonEmptyString(),
  customerId: nonEmptyString(),
  items: list(OrderItemSchema, { nonEmpty: true }),
  payment: PaymentDetailsSchema,
};

/** The raw order validate-order receives (the event itself). */
export const OrderSchema = event(orderShape);

/** What validate-order returns, as a field of another event (process-payment's `order`): the order plus its computed total. */
export const ValidatedOrderSchema = record({
  ...orderShape,
  /** Sum of quantity x unitPrice, in currency units; each unit price is rounded to cents first. */
  total: number({ min: 0 }),
  validatedAt: nonEmptyString(),
});

export type OrderItem = z.output<typeof OrderItemSchema>;
export type PaymentDetails = z.output<typeof PaymentDetailsSchema>;
export type Order = z.output<typeof OrderSchema>;
export type ValidatedOrder = z.output<typeof ValidatedOrderSchema>;

/** What the simulated gateway records on the order once charged: no token. */
export interface PaymentRecord {
  readonly method: string;
  readonly transactionId: string;
  readonly amount: number;
  readonly status: "CHARGED";
  readonly attempts: number;
}

export type PaidOrder = Omit<ValidatedOrder, "payment"> & { readonly payment: PaymentRecord };
