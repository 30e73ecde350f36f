import { handler as normalizeRecord } from "../../handlers/normalize-record";
import { handler as enrichRecord } from "../../handlers/enrich-record";
import { DEFAULT_TAX_RATE, handler as calculateTotals } from "../../handlers/calculate-totals";
import { handler as assessRisk } from "../../handlers/assess-risk";
import { handler as combineResults } from "../../handlers/combine-results";
import { handler as processItem } from "../../handlers/process-item";
import { handler as premiumProcessing } from "../../handlers/premium-processing";
import { handler as standardProcessing } from "../../handlers/standard-processing";
import { handler as checkStatus } from "../../handlers/check-status";
import { handler as executeScheduledTask } from "../../handlers/execute-scheduled-task";
import { handler as processData } from "../../handlers/process-data";
import { captureLogs } from "./capture-logs";

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => {
  logs.restore();
  jest.useRealTimers();
});

const invalid = (handler: string, problem: string) => ({ name: "InvalidInput", message: `${handler}: invalid event: ${problem}` });

describe("normalize-record -> enrich-record (sequential)", () => {
  test("normalises email, names and dates, keeping other fields", async () => {
    const out = await normalizeRecord({
      id: 7,
      email: "  Ada.Lovelace@Example.COM ",
      firstName: "  Ada  ",
      lastName: "King \t Lovelace",
      createdAt: "2024-03-05T10:00:00+01:00",
      birthDate: 0,
    });
    expect(out).toEqual({
      id: 7,
      email: "ada.lovelace@example.com",
      firstName: "Ada",
      lastName: "King Lovelace",
      createdAt: "2024-03-05T09:00:00.000Z",
      birthDate: "1970-01-01T00:00:00.000Z",
    });
  });

  test.each<[string, unknown, string]>([
    ["missing email", {}, "email must be a non-empty string (received nothing)"],
    ["email without domain", { email: "ada@" }, 'email must look like local@domain.tld (received "ada@")'],
    ["bad date", { email: "a@b.co", createdAt: "yesterday" }, 'createdAt must be a date string or epoch milliseconds (received "yesterday")'],
    ["name not a string", { email: "a@b.co", name: 3 }, "name must be a non-empty string (received 3)"],
  ])("normalize-record: %s -> InvalidInput", async (_l, event, problem) => {
    await expect(normalizeRecord(event)).rejects.toMatchObject(invalid("normalize-record", problem));
  });

  test("enrich-record derives domain, segment and display name from the normalised record", async () => {
    const business = await enrichRecord(await normalizeRecord({ email: "Ada@Analytical.Engines.org", firstName: "Ada", lastName: "Lovelace" }));
    expect(business).toMatchObject({ domain: "analytical.engines.org", segment: "business", displayName: "Ada Lovelace" });
    const consumer = await enrichRecord({ email: "bob@gmail.com" });
    expect(consumer).toMatchObject({ domain: "gmail.com", segment: "consumer", displayName: "bob" });
    expect(Number.isNaN(Date.parse(consumer.enrichedAt as string))).toBe(false);
  });

  test("enrich-record rejects a record without a usable email", async () => {
    await expect(enrichRecord({ email: "nobody" })).rejects.toMatchObject(
      invalid("enrich-record", 'email must contain a local part and a domain (received "nobody"); run normalize-record first'),
    );
    await expect(enrichRecord([1])).rejects.toMatchObject(invalid("enrich-record", "the event must be a JSON object (received [1])"));
  });
});

describe("calculate-totals, assess-risk, combine-results (parallel)", () => {
  const items = [
    { sku: "A", quantity: 3, unitPrice: 0.1 },
    { sku: "B", quantity: 1, unitPrice: 10 },
  ];

  test("totals: subtotal, tax at the default rate, total in cents", async () => {
    expect(await calculateTotals({ items })).toEqual({ itemCount: 4, subtotal: 10.3, taxRate: DEFAULT_TAX_RATE, tax: 2.06, total: 12.36 });
    expect(await calculateTotals({ items, taxRate: 0.075 })).toMatchObject({ subtotal: 10.3, tax: 0.77, total: 11.07 });
  });

  test.each<[string, unknown, string]>([
    ["no items", { items: [] }, "items must contain at least one element (received [])"],
    ["bad quantity", { items: [{ quantity: 0, unitPrice: 1 }] }, "items[0].quantity must be an integer > 0 (received 0)"],
    ["tax rate as percent", { items, taxRate: 20 }, "taxRate must be a fraction between 0 and 1, e.g. 0.2 for 20% (received 20)"],
  ])("totals: %s -> InvalidInput", async (_l, event, problem) => {
    await expect(calculateTotals(event)).rejects.toMatchObject(invalid("calculate-totals", problem));
  });

  test.each<[string, Record<string, unknown>, number, string]>([
    ["small domestic order", { items, shippingAddress: { country: "DE" }, billingAddress: { country: "de" } }, 0, "LOW"],
    ["no shipping country", { total: 10 }, 15, "LOW"],
    ["1000+, new customer", { total: 1500, shippingAddress: { country: "FR" }, customer: { isNew: true } }, 35, "MEDIUM"],
    [
      "5000+, countries differ, new customer, 25 units",
      { items: [{ quantity: 25, unitPrice: 250 }], shippingAddress: { country: "US" }, billingAddress: { country: "GB" }, customer: { isNew: true } },
      90,
      "HIGH",
    ],
  ])("risk: %s -> score %i, %s", async (_l, order, score, level) => {
    expect(await assessRisk(order)).toMatchObject({ score, level });
  });

  test("risk: each rule that added points is listed", async () => {
    const risk = await assessRisk({ total: 6000, shippingAddress: { country: "US" }, billingAddress: { country: "GB" } });
    expect(risk.factors).toEqual(["amount >= 5000 (+40)", "shipping country US differs from billing country GB (+25)"]);
    expect(risk.amount).toBe(6000);
  });

  test("risk: neither total nor items -> InvalidInput", async () => {
    await expect(assessRisk({})).rejects.toMatchObject(invalid("assess-risk", "items must be an array (received nothing)"));
    await expect(assessRisk({ total: -5 })).rejects.toMatchObject(invalid("assess-risk", "total must be a number >= 0 (received -5)"));
  });

  test.each([
    ["LOW", "APPROVE"],
    ["MEDIUM", "MANUAL_REVIEW"],
    ["HIGH", "REJECT"],
  ])("combine: risk %s -> %s", async (level, decision) => {
    const out = await combineResults({ orderId: "o-1", analysis: { totals: { total: 12.36 }, risk: { score: 10, level, factors: ["f (+10)"] } } });
    expect(out).toMatchObject({ orderId: "o-1", decision, total: 12.36, riskScore: 10, riskLevel: level, reasons: ["f (+10)"] });
  });

  test("combine: end to end from the two branches' real outputs", async () => {
    const input = { orderId: "o-2", items, shippingAddress: { country: "DE" } };
    const out = await combineResults({ ...input, analysis: { totals: await calculateTotals(input), risk: await assessRisk(input) } });
    expect(out).toMatchObject({ decision: "APPROVE", total: 12.36, riskScore: 0 });
  });

  test.each<[string, unknown, string]>([
    ["no analysis", { orderId: "o" }, "analysis must be an object (received nothing)"],
    ["unknown level", { analysis: { totals: { total: 1 }, risk: { score: 1, level: "EXTREME" } } }, 'analysis.risk.level must be one of LOW, MEDIUM, HIGH (received "EXTREME")'],
    ["no totals", { analysis: { risk: { score: 1, level: "LOW" } } }, "analysis.totals must be an object (received nothing)"],
  ])("combine: %s -> InvalidInput", async (_l, event, problem) => {
    await expect(combineResults(event)).rejects.toMatchObject(invalid("combine-results", problem));
  });
});

describe("process-item (map)", () => {
  test("an object item gets its index, status and line total", async () => {
    expect(await processItem({ item: { sku: "A", quantity: 3, unitPrice: 0.1 }, index: 2 })).toEqual({
      sku: "A",
      quantity: 3,
      unitPrice: 0.1,
      index: 2,
      status: "PROCESSED",
      lineTotal: 0.3,
    });
  });

  test("a scalar item is wrapped", async () => {
    expect(await processItem({ item: "x", index: 0 })).toEqual({ index: 0, value: "x", status: "PROCESSED" });
  });

  test.each<[string, unknown, string]>([
    ["no item", { index: 0 }, "item is missing (the Map state's ItemSelector passes {item, index})"],
    ["negative index", { item: 1, index: -1 }, "index must be an integer >= 0 (received -1)"],
  ])("%s -> InvalidInput", async (_l, event, problem) => {
    await expect(processItem(event)).rejects.toMatchObject(invalid("process-item", problem));
  });
});

describe("premium-processing / standard-processing (choice)", () => {
  test("premium ships express within 4 hours, standard by ground within 48", async () => {
    jest.useFakeTimers({ now: new Date("2025-06-01T12:00:00.000Z") });
    const premium = await premiumProcessing({ orderId: "p", orderType: "premium" });
    const standard = await standardProcessing({ orderId: "s", orderType: "basic" });
    expect(premium).toMatchObject({ orderId: "p", fulfilment: { tier: "premium", shippingMethod: "EXPRESS", priority: "HIGH", slaHours: 4, shipBy: "2025-06-01T16:00:00.000Z" } });
    expect(standard).toMatchObject({ orderId: "s", fulfilment: { tier: "standard", shippingMethod: "GROUND", priority: "NORMAL", slaHours: 48, shipBy: "2025-06-03T12:00:00.000Z" } });
  });

  test("a non-object event -> InvalidInput", async () => {
    await expect(premiumProcessing("x")).rejects.toMatchObject(invalid("premium-processing", 'the event must be a JSON object (received "x")'));
    await expect(standardProcessing(null)).rejects.toMatchObject(invalid("standard-processing", "the event must be a JSON object (received null)"));
  });
});

describe("check-status, execute-scheduled-task (wait)", () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date("2025-06-01T12:00:00.000Z") }));

  test.each<[string, Record<string, unknown>, string]>([
    ["no timing -> PENDING", {}, "PENDING"],
    ["still within its expected duration -> RUNNING", { submittedAt: "2025-06-01T11:59:00Z", expectedDurationSeconds: 120 }, "RUNNING"],
    ["past its expected duration -> SUCCEEDED", { submittedAt: "2025-06-01T11:00:00Z", expectedDurationSeconds: 60 }, "SUCCEEDED"],
    ["terminal status kept", { status: "FAILED", submittedAt: "2025-06-01T11:00:00Z", expectedDurationSeconds: 60 }, "FAILED"],
  ])("status: %s", async (_l, extra, status) => {
    const out = await checkStatus({ jobId: "job-1", scheduledTime: "2025-06-02T00:00:00Z", ...extra });
    expect(out).toMatchObject({ jobId: "job-1", status, checkedAt: "2025-06-01T12:00:00.000Z", scheduledTime: "2025-06-02T00:00:00Z" });
  });

  test.each<[string, unknown, string]>([
    ["no jobId", {}, "jobId must be a non-empty string (received nothing)"],
    ["unknown status", { jobId: "j", status: "DONE" }, 'status must be one of PENDING, RUNNING, SUCCEEDED, FAILED when present (received "DONE")'],
    ["bad scheduledTime", { jobId: "j", scheduledTime: "soon" }, 'scheduledTime must be an ISO 8601 timestamp when present (received "soon")'],
  ])("check-status: %s -> InvalidInput", async (_l, event, problem) => {
    await expect(checkStatus(event)).rejects.toMatchObject(invalid("check-status", problem));
  });

  test("runs the scheduled task and records how late it ran", async () => {
    const out = await executeScheduledTask({ jobId: "job-1", scheduledTime: "2025-06-01T11:59:30Z", task: { type: "sum", payload: { values: [1, 2, 3.5] } } });
    expect(out).toMatchObject({ jobId: "job-1", type: "sum", status: "EXECUTED", result: 6.5, delaySeconds: 30, executedAt: "2025-06-01T12:00:00.000Z" });
    expect(out.taskId).toMatch(/^task_[0-9a-f]{16}$/);
    const again = await executeScheduledTask({ jobId: "job-1", scheduledTime: "2025-06-01T11:59:30Z", task: { type: "sum", payload: { values: [0] } } });
    expect(again.taskId).toBe(out.taskId);
  });

  test("defaults to a noop task; echo returns its payload", async () => {
    expect(await executeScheduledTask({ scheduledTime: "2025-06-01T12:00:00Z" })).toMatchObject({ type: "noop", result: null, delaySeconds: 0 });
    expect(await executeScheduledTask({ scheduledTime: "2025-06-01T12:00:00Z", task: { type: "echo", payload: { a: 1 } } })).toMatchObject({ result: { a: 1 } });
  });

  test("an unknown task type -> Task.UnknownType; bad input -> InvalidInput", async () => {
    await expect(executeScheduledTask({ scheduledTime: "2025-06-01T12:00:00Z", task: { type: "rm-rf" } })).rejects.toMatchObject({
      name: "Task.UnknownType",
      message: 'Unknown scheduled task type "rm-rf". Known types: noop, echo, sum.',
    });
    await expect(executeScheduledTask({ scheduledTime: "2025-06-01T12:00:00Z", task: { type: "toString" } })).rejects.toMatchObject({ name: "Task.UnknownType" });
    await expect(executeScheduledTask({ task: { type: "noop" } })).rejects.toMatchObject(invalid("execute-scheduled-task", "scheduledTime must be a non-empty string (received nothing)"));
    await expect(executeScheduledTask({ scheduledTime: "2025-06-01T12:00:00Z", task: { type: "sum", payload: { values: [1, "2"] } } })).rejects.toMatchObject(
      invalid("execute-scheduled-task", 'task.payload.values[1] must be a number (received "2")'),
    );
  });
});

describe("process-data (data-transform)", () => {
  const data = [
    { id: 1, e_mail: "a@x.io", kind: "user", extra: true },
    { id: 2, e_mail: "b@x.io", kind: "bot" },
    { id: 3, kind: "user" },
  ];

  test("applies defaults, renames, filters and picks, in that order", async () => {
    const out = await processData({
      input: data,
      config: { defaults: { e_mail: "none" }, fieldMap: { e_mail: "email" }, filter: { field: "kind", equals: "user" }, include: ["id", "email"] },
    });
    expect(out).toEqual({ records: [{ id: 1, email: "a@x.io" }, { id: 3, email: "none" }], count: 2, dropped: 1 });
  });

  test("filter by in/exists; a single object input; an empty config passes records through", async () => {
    expect((await processData({ input: data, config: { filter: { field: "id", in: [2, 3] } } })).count).toBe(2);
    expect((await processData({ input: data, config: { filter: { field: "e_mail", exists: false } } })).records).toEqual([{ id: 3, kind: "user" }]);
    expect(await processData({ input: { a: 1 }, config: {} })).toEqual({ records: [{ a: 1 }], count: 1, dropped: 0 });
    expect(await processData({ input: [] })).toEqual({ records: [], count: 0, dropped: 0 });
  });

  test.each<[string, unknown, string]>([
    ["input not a list", { input: "abc", config: {} }, 'input must be an array (received "abc")'],
    ["record not an object", { input: [1], config: {} }, "input[0] must be an object (received 1)"],
    ["unknown option", { input: [], config: { sort: "id" } }, "config.sort is not a known option (known: defaults, fieldMap, filter, include)"],
    ["two filter tests", { input: [], config: { filter: { field: "a", equals: 1, exists: true } } }, 'config.filter needs exactly one of equals, in, exists (received {"field":"a","equals":1,"exists":true})'],
    ["rename to a non-string", { input: [], config: { fieldMap: { a: 1 } } }, "config.fieldMap.a must be a non-empty string (received 1)"],
  ])("%s -> InvalidInput", async (_l, event, problem) => {
    await expect(processData(event)).rejects.toMatchObject(invalid("process-data", problem));
  });
});
