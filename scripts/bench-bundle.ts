/**
 * Bundle sizes and time: `npx tsx scripts/bench-bundle.ts [--out <dir>]`.
 * Targets: every handler bundled in under 2 s in all (issue 3); the SQS
 * bridge under 500 KB minified with the AWS SDK bundled (issues 3 and 15);
 * every other handler under 64 KB (Powertools Logger and zod/mini are about
 * 40 KB of that; the classic "zod" import alone would be ~400 KB). Exits 1
 * when a target is missed, so CI can run it as a check.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BRIDGE_HANDLER, listHandlers } from "../src/config/handlers";
import { bundleAllSync, bundleHandlerSync } from "../src/build/bundle";

const TOTAL_BUDGET_MS = 2000;
const BRIDGE = BRIDGE_HANDLER;
const BRIDGE_BUDGET_BYTES = 500 * 1024;
const HANDLER_BUDGET_BYTES = 64 * 1024;

const outFlag = process.argv.indexOf("--out");
const outRoot = outFlag > 0 ? process.argv[outFlag + 1]! : mkdtempSync(join(tmpdir(), "bench-bundle-"));

const handlers = [...listHandlers(), BRIDGE_HANDLER];
const started = process.hrtime.bigint();
const results = bundleAllSync(handlers, outRoot);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const width = Math.max(...handlers.map((h) => h.length));
console.log(`${"handler".padEnd(width)}  ${"bytes".padStart(9)}  ${"KB".padStart(7)}  sha256 (12)`);
for (const r of results) console.log(`${r.handler.padEnd(width)}  ${String(r.bytes).padStart(9)}  ${kb(r.bytes).padStart(7)}  ${r.sha256.slice(0, 12)}`);
const totalBytes = results.reduce((n, r) => n + r.bytes, 0);
console.log(`\n${results.length} handlers, ${kb(totalBytes)} KB in all, bundled in ${elapsedMs.toFixed(0)} ms (esbuild, minified, ${process.platform}/${process.arch}, Node ${process.version})`);

// The SDK left to the runtime, for comparison only: the shipped bundles include it.
const external = bundleHandlerSync(BRIDGE, { outDir: join(outRoot, "_sdk-external", BRIDGE), bundleAwsSdk: false });
const bridge = results.find((r) => r.handler === BRIDGE);
console.log(`${BRIDGE}: ${kb(bridge?.bytes ?? 0)} KB with the AWS SDK bundled, ${kb(external.bytes)} KB with it taken from the runtime`);

const misses: string[] = [];
if (elapsedMs >= TOTAL_BUDGET_MS) misses.push(`bundling took ${elapsedMs.toFixed(0)} ms (target < ${TOTAL_BUDGET_MS} ms)`);
if (!bridge) misses.push(`no bundle for the bridge handler "${BRIDGE}"`);
else if (bridge.bytes >= BRIDGE_BUDGET_BYTES) misses.push(`${BRIDGE} bundle is ${kb(bridge.bytes)} KB (target < ${kb(BRIDGE_BUDGET_BYTES)} KB)`);
for (const r of results) {
  if (r.handler !== BRIDGE && r.bytes >= HANDLER_BUDGET_BYTES) misses.push(`${r.handler} bundle is ${kb(r.bytes)} KB (target < ${kb(HANDLER_BUDGET_BYTES)} KB)`);
}
if (outFlag < 0) rmSync(outRoot, { recursive: true, force: true });
if (misses.length > 0) {
  console.error(`Targets missed:\n  ${misses.join("\n  ")}`);
  process.exit(1);
}
console.log(`Targets met: all handlers < 2 s, bridge < 500 KB, every other handler < ${kb(HANDLER_BUDGET_BYTES)} KB.`);
