/** The order shape the order-processing workflow passes between its Tasks. */

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface PaymentDetails {
  readonly method: string;
  /** A payment-provider token (never card data). The simulated gateway reads it; see process-payment. */
  readonly token: string;
  /** Simulator only: fail with Payment.TransientFailure on this many attempts first. */
  readonly simulateTransientFailures?: number;
}

/** Fields every stage of the order has; `payment` changes shape once charged. */
interface OrderCore {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly [extra: string]: unknown;
}

export interface Order extends OrderCore {
  readonly payment: PaymentDetails;
}

/** What validate-order returns: the order plus its computed total. */
export interface ValidatedOrder extends Order {
  /** Sum of quantity x unitPrice, in currency units; each unit price is rounded to cents first. */
  readonly total: number;
  readonly validatedAt: string;
}

/** What the simulated gateway records on the order once charged. */
export interface PaymentRecord {
  readonly method: string;
  readonly transactionId: string;
  readonly amount: number;
  readonly status: "CHARGED";
  readonly attempts: number;
}

export interface PaidOrder extends OrderCore {
  readonly total: number;
  readonly validatedAt: string;
  readonly payment: PaymentRecord;
}
