import { handler as validateOrder } from "../../handlers/validate-order";
import { createPaymentHandler, handler as processPayment } from "../../handlers/process-payment";
import { handler as updateInventory, MAX_RESERVABLE_PER_SKU } from "../../handlers/update-inventory";
import { handler as handleError } from "../../handlers/handle-error";
import { transactionIdFor } from "../../handlers/lib/payment-gateway";
import { captureLogs } from "./capture-logs";

const order = () => ({
  orderId: "ord-1001",
  customerId: "cust-7",
  items: [
    { sku: "SKU-A", quantity: 2, unitPrice: 19.99 },
    { sku: "SKU-B", quantity: 1, unitPrice: 0.1 },
    { sku: "SKU-C", quantity: 3, unitPrice: 0.2 },
  ],
  payment: { method: "card", token: "tok_visa_4242" },
  note: "kept as given",
});

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

describe("validate-order", () => {
  test("returns the order with its total rounded to cents and validatedAt", async () => {
    const out = await validateOrder(order());
    expect(out).toMatchObject({ ...order(), total: 40.68 });
    expect(Number.isNaN(Date.parse(out.validatedAt))).toBe(false);
  });

  test.each<[string, (o: any) => void, string]>([
    ["missing orderId", (o) => delete o.orderId, "orderId must be a non-empty string (received nothing)"],
    ["blank customerId", (o) => (o.customerId = "  "), 'customerId must be a non-empty string (received "  ")'],
    ["no items", (o) => (o.items = []), "items must contain at least one element (received [])"],
    ["items not an array", (o) => (o.items = "x"), 'items must be an array (received "x")'],
    ["zero quantity", (o) => (o.items[0].quantity = 0), "items[0].quantity must be an integer > 0 (received 0)"],
    ["fractional quantity", (o) => (o.items[1].quantity = 1.5), "items[1].quantity must be an integer > 0 (received 1.5)"],
    ["negative price", (o) => (o.items[2].unitPrice = -1), "items[2].unitPrice must be a number >= 0 (received -1)"],
    ["price as string", (o) => (o.items[0].unitPrice = "9.99"), 'items[0].unitPrice must be a number >= 0 (received "9.99")'],
    ["no payment", (o) => delete o.payment, "payment must be an object (received nothing)"],
    ["payment without token", (o) => delete o.payment.token, "payment.token must be a non-empty string (received nothing)"],
  ])("%s -> CustomError.ValidationFailed naming the problem", async (_label, mutate, problem) => {
    const input = order();
    mutate(input);
    await expect(validateOrder(input)).rejects.toMatchObject({ name: "CustomError.ValidationFailed", message: `Invalid order: ${problem}` });
  });

  test("lists every problem at once", async () => {
    const error = await validateOrder({ items: [{ sku: "", quantity: -1, unitPrice: 1 }] }).catch((e) => e);
    expect(error.name).toBe("CustomError.ValidationFailed");
    expect(error.problems).toEqual([
      "orderId must be a non-empty string (received nothing)",
      "customerId must be a non-empty string (received nothing)",
      'items[0].sku must be a non-empty string (received "")',
      "items[0].quantity must be an integer > 0 (received -1)",
      "payment must be an object (received nothing)",
    ]);
  });

  test("a non-object order is a validation failure too (the error-handling workflow routes it)", async () => {
    await expect(validateOrder("not an order")).rejects.toMatchObject({ name: "CustomError.ValidationFailed" });
    await expect(validateOrder(null)).rejects.toMatchObject({ name: "CustomError.ValidationFailed" });
  });
});

describe("process-payment (simulated gateway)", () => {
  const validated = (payment: Record<string, unknown> = { method: "card", token: "tok_visa" }) => ({ ...order(), payment, total: 40.68, validatedAt: "2025-01-01T00:00:00.000Z" });

  test("charges the total with a transaction id derived from the order id, and drops the token", async () => {
    const out = await processPayment({ order: validated(), attempt: 0 });
    expect(out.payment).toEqual({ method: "card", transactionId: transactionIdFor("ord-1001"), amount: 40.68, status: "CHARGED", attempts: 1 });
    expect(out.payment.transactionId).toMatch(/^txn_[0-9a-f]{24}$/);
    expect(JSON.stringify(out)).not.toContain("tok_visa");
    expect(out.orderId).toBe("ord-1001");
  });

  test("the transaction id is stable for an order and differs between orders", () => {
    expect(transactionIdFor("a")).toBe(transactionIdFor("a"));
    expect(transactionIdFor("a")).not.toBe(transactionIdFor("b"));
  });

  test("tok_declined -> Payment.Declined on any attempt", async () => {
    for (const attempt of [0, 2]) {
      await expect(processPayment({ order: validated({ method: "card", token: "tok_declined_insufficient" }), attempt })).rejects.toMatchObject({
        name: "Payment.Declined",
      });
    }
  });

  test.each([
    [2, 0, "fail"],
    [2, 1, "fail"],
    [2, 2, "charge"],
    [3, 3, "charge"],
    [4, 3, "fail"],
  ])("tok_unavailable_%i on attempt %i -> %s", async (n, attempt, expected) => {
    const call = processPayment({ order: validated({ method: "card", token: `tok_unavailable_${n}_x` }), attempt });
    if (expected === "fail") await expect(call).rejects.toMatchObject({ name: "Payment.TransientFailure" });
    else await expect(call).resolves.toMatchObject({ payment: { status: "CHARGED", attempts: attempt + 1 } });
  });

  test("simulateTransientFailures behaves like tok_unavailable_<n>", async () => {
    const o = validated({ method: "card", token: "tok_ok", simulateTransientFailures: 1 });
    await expect(processPayment({ order: o, attempt: 0 })).rejects.toMatchObject({ name: "Payment.TransientFailure" });
    await expect(processPayment({ order: o, attempt: 1 })).resolves.toMatchObject({ payment: { attempts: 2 } });
  });

  test("missing attempt counts as the first", async () => {
    await expect(processPayment({ order: validated() })).resolves.toMatchObject({ payment: { attempts: 1 } });
  });

  test.each<[string, unknown, string]>([
    ["not an object", 42, "process-payment: invalid event: the event must be a JSON object (received 42)"],
    ["no order", { attempt: 0 }, "process-payment: invalid event: order must be an object (received nothing)"],
    ["negative attempt", { order: validated(), attempt: -1 }, "process-payment: invalid event: attempt must be an integer >= 0 (received -1)"],
    ["order without total", { order: { ...validated(), total: undefined } }, "process-payment: invalid event: order.total must be a number >= 0 (received nothing)"],
  ])("%s -> InvalidInput", async (_label, event, message) => {
    await expect(processPayment(event)).rejects.toMatchObject({ name: "InvalidInput", message });
  });

  test("another gateway plugs in through createPaymentHandler", async () => {
    const charge = jest.fn(async (r: { orderId: string; amount: number }) => ({ transactionId: `ext-${r.orderId}`, amount: r.amount }));
    const out = await createPaymentHandler({ charge })({ order: validated(), attempt: 1 });
    expect(charge).toHaveBeenCalledWith(expect.objectContaining({ orderId: "ord-1001", amount: 40.68, attempt: 1, token: "tok_visa" }));
    expect(out.payment).toMatchObject({ transactionId: "ext-ord-1001", attempts: 2 });
  });
});

describe("update-inventory", () => {
  const paid = (items = order().items) => ({
    ...order(),
    items,
    total: 1,
    validatedAt: "2025-01-01T00:00:00.000Z",
    payment: { method: "card", transactionId: "txn_1", amount: 1, status: "CHARGED", attempts: 1 },
  });

  test("reserves each SKU once, merging lines, and completes the order", async () => {
    const out = await updateInventory(paid([...order().items, { sku: "SKU-A", quantity: 5, unitPrice: 19.99 }]));
    expect(out.status).toBe("COMPLETED");
    expect(out.inventory.reservations).toEqual([
      { sku: "SKU-A", quantity: 7 },
      { sku: "SKU-B", quantity: 1 },
      { sku: "SKU-C", quantity: 3 },
    ]);
    expect(Number.isNaN(Date.parse(out.inventory.reservedAt))).toBe(false);
    expect(out.payment.transactionId).toBe("txn_1");
  });

  test("an OOS- SKU -> Inventory.OutOfStock", async () => {
    await expect(updateInventory(paid([{ sku: "OOS-lamp", quantity: 1, unitPrice: 5 }]))).rejects.toMatchObject({
      name: "Inventory.OutOfStock",
      message: "SKU OOS-lamp is out of stock (order ord-1001).",
    });
  });

  test(`more than ${MAX_RESERVABLE_PER_SKU} units of one SKU (across lines) -> Inventory.OutOfStock`, async () => {
    const half = MAX_RESERVABLE_PER_SKU / 2;
    await expect(updateInventory(paid([{ sku: "X", quantity: half, unitPrice: 1 }, { sku: "X", quantity: half, unitPrice: 1 }]))).resolves.toBeDefined();
    await expect(updateInventory(paid([{ sku: "X", quantity: half, unitPrice: 1 }, { sku: "X", quantity: half + 1, unitPrice: 1 }]))).rejects.toMatchObject({
      name: "Inventory.OutOfStock",
      message: `SKU X: ${MAX_RESERVABLE_PER_SKU + 1} units requested, at most ${MAX_RESERVABLE_PER_SKU} can be reserved (order ord-1001).`,
    });
  });

  test("an unpaid order -> InvalidInput", async () => {
    await expect(updateInventory({ ...paid(), payment: { method: "card", token: "tok" } })).rejects.toMatchObject({
      name: "InvalidInput",
      message: 'update-inventory: invalid event: payment.status must be "CHARGED" before stock is reserved (received null)',
    });
  });

  test("no items -> InvalidInput", async () => {
    await expect(updateInventory({ ...paid(), items: [] })).rejects.toMatchObject({ name: "InvalidInput" });
  });
});

describe("handle-error", () => {
  const lambdaCause = JSON.stringify({ errorType: "Payment.Declined", errorMessage: "declined", trace: ["at x"] });

  test("records the failure, parses a JSON Cause and logs one ERROR line with the request id", async () => {
    const out = await handleError(
      { workflow: "order-processing", executionId: "arn:exec:1", input: { ...order(), error: { Error: "Payment.Declined", Cause: lambdaCause } } },
      { awsRequestId: "req-42" },
    );
    expect(out).toMatchObject({
      workflow: "order-processing",
      executionId: "arn:exec:1",
      orderId: "ord-1001",
      failedWith: "Payment.Declined",
      cause: { errorType: "Payment.Declined", errorMessage: "declined", trace: ["at x"] },
    });
    expect(Number.isNaN(Date.parse(out.recordedAt))).toBe(false);
    const errors = logs.lines().filter((l) => l.level === "ERROR");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ service: "handle-error", function_request_id: "req-42", record: { failedWith: "Payment.Declined", orderId: "ord-1001" } });
  });

  test("keeps a non-JSON Cause as text, null when absent, and finds the order id under input.order", async () => {
    const text = await handleError({ workflow: "w", executionId: "e", input: { error: { Error: "States.Timeout", Cause: "took too long" } } });
    expect(text).toMatchObject({ failedWith: "States.Timeout", cause: "took too long" });
    expect(text).not.toHaveProperty("orderId");
    const none = await handleError({ workflow: "w", executionId: "e", input: { order: { orderId: "o-9" }, error: { Error: "X" } } });
    expect(none).toMatchObject({ cause: null, orderId: "o-9" });
  });

  test.each<[string, unknown, string]>([
    ["no input.error", { workflow: "w", executionId: "e", input: {} }, "input.error must be an object (received nothing)"],
    ["no Error name", { workflow: "w", executionId: "e", input: { error: { Cause: "x" } } }, "input.error.Error must be a non-empty string (received nothing)"],
    ["no workflow", { executionId: "e", input: { error: { Error: "X" } } }, "workflow must be a non-empty string (received nothing)"],
    ["Cause not a string", { workflow: "w", executionId: "e", input: { error: { Error: "X", Cause: 5 } } }, "input.error.Cause must be a string when present (received number)"],
  ])("%s -> InvalidInput", async (_label, event, problem) => {
    await expect(handleError(event)).rejects.toMatchObject({ name: "InvalidInput", message: `handle-error: invalid event: ${problem}` });
  });
});
