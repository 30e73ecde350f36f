/**
 * Why the handlers build "a record with fields added" with withFields rather
 * than a spread: prints, on the Node running it, the time per call of
 * `{ ...order, total, validatedAt }` and of `withFields(order, { total, validatedAt })`
 * on an order as the handlers receive it (parsed from JSON).
 *
 *   npx tsx scripts/bench/with-fields.ts
 *
 * Run it on Node 20 (the project's toolchain, where tests and the local
 * executor run the handlers) and on Node 22 (Lambda's runtime), with `npx -y node@22 --import tsx scripts/bench/with-fields.ts`.
 */
import { performance } from "node:perf_hooks";
import { withFields } from "../../handlers/lib/validate";

const order = JSON.parse(
  JSON.stringify({ orderId: "ord-1", customerId: "cus-1", items: [{ sku: "SKU-1", quantity: 2, unitPrice: 19.99 }], payment: { method: "card", token: "tok_visa" } }),
) as Record<string, unknown>;
const RUNS = 1_000_000;
let sink: unknown;

function perCall(build: (i: number) => unknown): number {
  for (let i = 0; i < RUNS / 10; i++) sink = build(i);
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) sink = build(i);
  return ((performance.now() - t0) * 1000) / RUNS;
}

const spread = perCall((i) => ({ ...order, total: i, validatedAt: "2026-12-03T00:00:00.000Z" }));
const loop = perCall((i) => withFields(order, { total: i, validatedAt: "2026-12-03T00:00:00.000Z" }));
// The last result is read, so the engine cannot drop the work as unused.
if (sink === undefined) throw new Error("nothing was built");
console.log(`Node ${process.version}: spread that adds 2 keys ${spread.toFixed(3)} us a call, withFields ${loop.toFixed(3)} us a call`);
