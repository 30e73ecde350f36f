import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BRIDGE_HANDLER, listHandlers, REPO_ROOT } from "../../src/config/handlers";
import { BundleError, bundleAllSync, bundleHandlerSync, lambdaHandlerFor, type BundleResult } from "../../src/build/bundle";

let root: string;
let all: Map<string, BundleResult>;
let stdout: jest.SpyInstance;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "bundle-test-"));
  all = new Map(bundleAllSync([...listHandlers(), BRIDGE_HANDLER], join(root, "all")).map((r) => [r.handler, r]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => (stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true)));
afterEach(() => stdout.mockRestore());

const load = (r: BundleResult): Record<string, (...args: unknown[]) => Promise<unknown>> => {
  let mod: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  jest.isolateModules(() => {
    mod = require(r.file);
  });
  return mod;
};

const paidOrder = {
  orderId: "o-1",
  customerId: "c-1",
  items: [{ sku: "A", quantity: 2, unitPrice: 1.5 }],
  total: 3,
  validatedAt: "2025-01-01T00:00:00.000Z",
  payment: { method: "card", transactionId: "t", amount: 3, status: "CHARGED", attempts: 1 },
};

/** One valid event per handler and a property of the result that proves the code ran. */
const CASES: Record<string, [unknown, Record<string, unknown>]> = {
  "validate-order": [{ orderId: "o-1", customerId: "c-1", items: [{ sku: "A", quantity: 2, unitPrice: 1.5 }], payment: { method: "card", token: "tok_x" } }, { total: 3 }],
  "process-payment": [{ order: { ...paidOrder, payment: { method: "card", token: "tok_x" } }, attempt: 0 }, { payment: expect.objectContaining({ status: "CHARGED" }) }],
  "update-inventory": [paidOrder, { status: "COMPLETED" }],
  "handle-error": [{ workflow: "w", executionId: "e", input: { orderId: "o-1", error: { Error: "X", Cause: '{"a":1}' } } }, { failedWith: "X", cause: { a: 1 }, orderId: "o-1" }],
  "normalize-record": [{ email: " A@B.CO " }, { email: "a@b.co" }],
  "enrich-record": [{ email: "a@gmail.com" }, { domain: "gmail.com", segment: "consumer" }],
  "calculate-totals": [{ items: [{ quantity: 1, unitPrice: 10 }] }, { subtotal: 10, total: 12 }],
  "assess-risk": [{ total: 10, shippingAddress: { country: "DE" } }, { score: 0, level: "LOW" }],
  "combine-results": [{ analysis: { totals: { total: 1 }, risk: { score: 70, level: "HIGH" } } }, { decision: "REJECT" }],
  "process-item": [{ item: { quantity: 2, unitPrice: 0.5 }, index: 1 }, { lineTotal: 1, index: 1 }],
  "premium-processing": [{ orderId: "p" }, { fulfilment: expect.objectContaining({ tier: "premium" }) }],
  "standard-processing": [{ orderId: "s" }, { fulfilment: expect.objectContaining({ tier: "standard" }) }],
  "check-status": [{ jobId: "j" }, { status: "PENDING" }],
  "execute-scheduled-task": [{ scheduledTime: "2025-01-01T00:00:00Z", task: { type: "sum", payload: { values: [1, 2] } } }, { result: 3 }],
  "process-data": [{ input: [{ a: 1 }, { a: 2 }], config: { filter: { field: "a", equals: 2 } } }, { count: 1, dropped: 1 }],
};

test("every handler has a load-and-run case (a new handler needs one here)", () => {
  expect(listHandlers()).toEqual(Object.keys(CASES).sort());
});

test.each(Object.entries(CASES))("bundled %s loads, exports index.handler and runs", async (handler, [event, expected]) => {
  const bundle = all.get(handler)!;
  expect(bundle.lambdaHandler).toBe("index.handler");
  const mod = load(bundle);
  expect(typeof mod.handler).toBe("function");
  await expect(mod.handler!(event, { awsRequestId: "r" })).resolves.toMatchObject(expected);
});

test("error names survive minification (Step Functions matches on them)", async () => {
  await expect(load(all.get("validate-order")!).handler!({})).rejects.toMatchObject({ name: "CustomError.ValidationFailed" });
  await expect(load(all.get("process-payment")!).handler!({ order: { ...paidOrder, payment: { method: "card", token: "tok_declined" } } })).rejects.toMatchObject({
    name: "Payment.Declined",
  });
  await expect(load(all.get("update-inventory")!).handler!({ ...paidOrder, items: [{ sku: "OOS-1", quantity: 1 }] })).rejects.toMatchObject({ name: "Inventory.OutOfStock" });
  await expect(load(all.get("check-status")!).handler!({})).rejects.toMatchObject({ name: "InvalidInput" });
});

test("the bundled bridge exports index.processMessage and handles an empty batch", async () => {
  const bundle = all.get("sqs")!;
  expect(bundle.lambdaHandler).toBe("index.processMessage");
  expect(lambdaHandlerFor("sqs")).toBe("index.processMessage");
  const before = process.env.STATE_MACHINE_ARN;
  process.env.STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:x";
  try {
    await expect(load(bundle).processMessage!({ Records: [] })).resolves.toEqual({ batchItemFailures: [] });
  } finally {
    if (before === undefined) delete process.env.STATE_MACHINE_ARN;
    else process.env.STATE_MACHINE_ARN = before;
  }
});

test("results describe the files written: size, hash, map, source-map environment", () => {
  for (const r of all.values()) {
    expect(r.dir).toBe(join(root, "all", r.handler));
    expect(r.file).toBe(join(r.dir, "index.js"));
    const js = readFileSync(r.file);
    expect(r.bytes).toBe(js.byteLength);
    expect(r.sha256).toBe(createHash("sha256").update(js).digest("hex"));
    expect(statSync(r.mapFile).size).toBeGreaterThan(0);
    expect(js.toString("utf8")).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(r.environment).toEqual({ NODE_OPTIONS: "--enable-source-maps" });
  }
});

test.each(["validate-order", "sqs"])("%s: the same sources give the same bytes in any folder, with no absolute paths", (handler) => {
  const a = bundleHandlerSync(handler, { outDir: join(root, "a", handler) });
  const b = bundleHandlerSync(handler, { outDir: join(root, "b", "deeper", "still", handler) });
  expect(a.sha256).toBe(b.sha256);
  expect(readFileSync(a.mapFile)).toEqual(readFileSync(b.mapFile));
  for (const file of [a.file, a.mapFile]) {
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(REPO_ROOT);
    expect(text).not.toContain(root);
  }
  const map = JSON.parse(readFileSync(a.mapFile, "utf8")) as { sources: string[]; sourcesContent?: unknown };
  expect(map.sources).toContain(`handlers/${handler}.ts`);
  expect(map.sources.every((s) => !s.startsWith("/") && !s.startsWith(".."))).toBe(true);
  expect(map.sourcesContent).toBeUndefined();
});

test("the bridge bundle carries the AWS SDK and stays under 500 KB; without it, it requires the runtime's", () => {
  const bundled = all.get("sqs")!;
  expect(bundled.bytes).toBeLessThan(500 * 1024);
  // The one SDK "require" left is text inside an SDK error message (how to register the optional CRT signer), not a call.
  const sdkRequires = new Set(readFileSync(bundled.file, "utf8").match(/require\("@(aws-sdk|smithy)\/[^"]+"\)/g));
  expect([...sdkRequires]).toEqual(['require("@aws-sdk/signature-v4-crt")']);
  const external = bundleHandlerSync("sqs", { outDir: join(root, "external"), bundleAwsSdk: false });
  expect(readFileSync(external.file, "utf8")).toMatch(/require\("@aws-sdk\/client-sfn"\)/);
  expect(external.bytes).toBeLessThan(bundled.bytes / 10);
});

test("handlers without the SDK stay small (no accidental heavy import)", () => {
  // Powertools Logger (~24 KB) and zod/mini (~16 KB) are in every handler: 37-48 KB measured.
  // The classic "zod" entry point, or a re-exported zod namespace, pulls in its locales (~400 KB).
  for (const r of all.values()) if (r.handler !== "sqs") expect(r.bytes).toBeLessThan(64 * 1024);
});

test.each<[string, string]>([
  ["no-such-handler", `Handler "no-such-handler" not found: handlers/no-such-handler.ts does not exist. Known handlers: ${[...listHandlers(), BRIDGE_HANDLER].join(", ")}.`],
  ["../src/errors", 'Handler name "../src/errors" is not kebab-case (a-z, 0-9, single hyphens). Use the file name of handlers/<name>.ts without ".ts".'],
  ["lib/logger", 'Handler name "lib/logger" is not kebab-case (a-z, 0-9, single hyphens). Use the file name of handlers/<name>.ts without ".ts".'],
])("bundling %j fails with a fix", (handler, message) => {
  const call = () => bundleHandlerSync(handler, { outDir: join(root, "err") });
  expect(call).toThrow(BundleError);
  expect(call).toThrow(message);
});
