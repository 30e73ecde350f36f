/** Line items and their sum, in cents, shared by calculate-totals and assess-risk. */

import { Problems, toCents, type JsonRecord } from "./validate";

export interface PricedItem {
  readonly sku?: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** Checks `items` (non-empty; positive integer quantities, non-negative prices) and returns its subtotal in cents. */
export function subtotalCents(problems: Problems, items: unknown, path = "items"): number | undefined {
  const list = problems.array(items, path, { nonEmpty: true });
  if (!list) return undefined;
  let cents = 0;
  let ok = true;
  list.forEach((raw, i) => {
    const item: JsonRecord | undefined = problems.record(raw, `${path}[${i}]`);
    if (!item) return void (ok = false);
    const quantity = problems.number(item.quantity, `${path}[${i}].quantity`, { integer: true, positive: true });
    const unitPrice = problems.number(item.unitPrice, `${path}[${i}].unitPrice`, { min: 0 });
    if (quantity === undefined || unitPrice === undefined) ok = false;
    else cents += quantity * toCents(unitPrice);
  });
  return ok ? cents : undefined;
}
