import { createLogger, MASK, maskSensitive, maskText, parseLogLevel, setContext } from "../../handlers/lib/logger";
import { HandlerError, OutOfStockError, PaymentDeclinedError, PaymentTransientFailureError, ValidationFailedError, InvalidInputError } from "../../handlers/lib/errors";
import * as z from "zod/mini";
import { event, formatPath, list, nonEmptyString, number, parseBusinessInput, parseEvent, record, timestamp } from "../../handlers/lib/schema";
import { received, withFields } from "../../handlers/lib/validate";
import { $ZodObjectJIT } from "zod/v4/core";
import { captureLogs } from "./capture-logs";

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

/** Sets environment variables for one call, restoring them after. */
function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("logger (Powertools Logger)", () => {
  test.each([
    ["DEBUG", ["DEBUG", "INFO", "WARN", "ERROR"]],
    ["info", ["INFO", "WARN", "ERROR"]],
    ["WARN", ["WARN", "ERROR"]],
    ["ERROR", ["ERROR"]],
  ])("LOG_LEVEL %s emits %j", (level, expected) => {
    const logger = createLogger("svc", { level });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(logs.lines().map((r) => r.level)).toEqual(expected);
  });

  test("DEBUG and INFO follow the level in effect, also when it changes after creation or by sampling", () => {
    const logger = createLogger("svc", { level: "WARN" });
    logger.info("dropped");
    logger.setLogLevel("DEBUG");
    logger.debug("d");
    logger.info("i");
    const sampled = withEnv({ POWERTOOLS_LOGGER_SAMPLE_RATE: "1" }, () => createLogger("sampled", { level: "ERROR" }));
    sampled.debug("sampled d");
    expect(logs.lines().map((r) => r.message)).toEqual(["d", "i", "Setting log level to DEBUG due to sampling rate", "sampled d"]);
  });

  test("reads LOG_LEVEL from the environment when no level is given", () => {
    const logger = withEnv({ LOG_LEVEL: "ERROR" }, () => createLogger("x"));
    logger.warn("hidden");
    logger.error("shown");
    expect(logs.lines().map((r) => r.message)).toEqual(["shown"]);
  });

  test("an unknown LOG_LEVEL falls back to INFO and says so once", () => {
    expect(parseLogLevel("verbose")).toEqual({ level: "INFO", warning: 'LOG_LEVEL "verbose" is not one of DEBUG, INFO, WARN, ERROR; using INFO.' });
    const logger = createLogger("svc", { level: "verbose" });
    logger.debug("hidden");
    expect(logs.lines()).toEqual([expect.objectContaining({ level: "WARN", message: 'LOG_LEVEL "verbose" is not one of DEBUG, INFO, WARN, ERROR; using INFO.' })]);
  });

  test("one JSON line per record: service, request id, cold start, X-Ray trace id, project and stage, fields", () => {
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    // Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE; cold_start is true on the first invocation of an on-demand container.
    const logger = withEnv({ PROJECT_NAME: "shop", STAGE: "prod", AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" }, () => createLogger("svc", { level: "INFO" }));
    withEnv({ _X_AMZN_TRACE_ID: trace }, () => {
      setContext(logger, { awsRequestId: "req-1", functionName: "shop-prod-svc" });
      logger.info("first", { orderId: "o-1" });
      setContext(logger, { awsRequestId: "req-2", functionName: "shop-prod-svc" });
      logger.info("second");
    });
    const [first, second] = logs.lines();
    expect(first).toMatchObject({
      level: "INFO",
      message: "first",
      service: "svc",
      function_request_id: "req-1",
      function_name: "shop-prod-svc",
      cold_start: true,
      xray_trace_id: "1-5759e988-bd862e3fe1be46a994272793",
      project: "shop",
      stage: "prod",
      orderId: "o-1",
    });
    expect(second).toMatchObject({ function_request_id: "req-2", cold_start: false });
    expect(Number.isNaN(Date.parse(String(first!.timestamp)))).toBe(false);
  });

  test("errors, cycles and BigInt serialise; a log line never throws", () => {
    const logger = createLogger("svc", { level: "INFO" });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    logger.info("hello", { error: new PaymentDeclinedError("no"), cyclic, big: BigInt(5) });
    const [line] = logs.lines();
    expect(line).toMatchObject({ big: "5", cyclic: { a: 1 } });
    expect(line!.error).toMatchObject({ name: "Payment.Declined", message: "no" });
  });

  test("token, secret, password and the like are masked at any depth", () => {
    const logger = createLogger("svc", { level: "DEBUG" });
    logger.info("charging", {
      order: { payment: { method: "card", token: "tok_visa_4242" } },
      list: [{ apiKey: "key-123" }, { client_secret: "cs_456" }],
      password: "hunter2",
      Authorization: "Bearer abc.def",
      cardNumber: 4242424242424242,
      refreshToken: { value: "rt_789" },
      tokenAbsent: null,
    });
    const raw = logs.raw();
    for (const secret of ["tok_visa_4242", "key-123", "cs_456", "hunter2", "abc.def", "4242424242424242", "rt_789"]) expect(raw).not.toContain(secret);
    const [line] = logs.lines();
    expect(line).toMatchObject({
      order: { payment: { method: "card", token: MASK } },
      list: [{ apiKey: MASK }, { client_secret: MASK }],
      password: MASK,
      Authorization: MASK,
      cardNumber: MASK,
      refreshToken: MASK,
    });
    expect(maskSensitive("orderId", "o-1")).toBe("o-1");
  });

  test("raw text (a preview of an invalid body) is masked too", () => {
    expect(maskText('{"orderId":"o-1","payment":{"token":"tok_visa_4242","method":"card"}')).toBe('{"orderId":"o-1","payment":{"token":"****","method":"card"}');
    expect(maskText("password=hunter2&user=ann")).toBe('password="****"&user=ann');
    expect(maskText('{"token":"tok_cut_off_by_the_prev')).toBe('{"token":"****"');
  });
});

describe("errors carry the names the workflows match", () => {
  test.each<[HandlerError, string]>([
    [new ValidationFailedError(["a", "b"], "order"), "CustomError.ValidationFailed"],
    [new InvalidInputError("h", ["a"]), "InvalidInput"],
    [new PaymentDeclinedError("x"), "Payment.Declined"],
    [new PaymentTransientFailureError("x"), "Payment.TransientFailure"],
    [new OutOfStockError("x"), "Inventory.OutOfStock"],
  ])("%p", (error, name) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
  });

  test("messages list the problems", () => {
    expect(new ValidationFailedError(["a", "b"], "order").message).toBe("Invalid order: a; b");
    expect(new InvalidInputError("h", ["a", "b"]).message).toBe("h: invalid event: a; b");
  });
});

describe("zod schemas -> the workflows' error names, in the project's wording", () => {
  const Event = event({
    id: nonEmptyString(),
    count: number({ integer: true, positive: true }),
    price: z.optional(number({ min: 0 })),
    when: z.optional(timestamp()),
    lines: list(record({ sku: nonEmptyString() }), { nonEmpty: true }),
    payment: record({ token: nonEmptyString() }),
  });

  test("a valid event is returned as it came (same object, key order kept)", () => {
    const input = { extra: true, payment: { token: "t" }, lines: [{ sku: "a" }], count: 1, id: "x" };
    expect(parseEvent("h", Event, input)).toBe(input);
  });

  test("every problem at once, as InvalidInput naming the handler", () => {
    const run = () => parseEvent("h", Event, { id: " ", count: 1.5, price: -1, when: "soon", lines: [{}, 3], payment: { token: 4242424242424242 } });
    expect(run).toThrow(InvalidInputError);
    expect(run).toThrow(
      "h: invalid event: " +
        [
          'id must be a non-empty string (received " ")',
          "count must be an integer > 0 (received 1.5)",
          "price must be a number >= 0 (received -1)",
          'when must be an ISO 8601 timestamp (received "soon")',
          "lines[0].sku must be a non-empty string (received nothing)",
          "lines[1] must be an object (received 3)",
          "payment.token must be a non-empty string (received a number (value masked))",
        ].join("; "),
    );
  });

  test("the event itself, empty lists, NaN and Infinity", () => {
    expect(() => parseEvent("h", Event, [])).toThrow("h: invalid event: the event must be a JSON object (received [])");
    expect(() => parseEvent("h", Event, null)).toThrow("h: invalid event: the event must be a JSON object (received null)");
    expect(() => parseEvent("h", Event, { id: "x", count: Number.NaN, lines: [], payment: {} })).toThrow(
      "h: invalid event: count must be an integer > 0 (received NaN); lines must contain at least one element (received []); payment.token must be a non-empty string (received nothing)",
    );
    expect(() => parseEvent("h", number(), Infinity)).toThrow("h: invalid event: the event must be a number (received Infinity)");
  });

  test("objects use zod's compiled parser, with the same issues as zod/mini's loose object", () => {
    expect(Event).toBeInstanceOf($ZodObjectJIT);
    expect(record({ a: number() })).toBeInstanceOf($ZodObjectJIT);
    const shape = { id: nonEmptyString(), lines: list(nonEmptyString(), { nonEmpty: true }), n: z.optional(number({ integer: true })) };
    const compiled = event(shape);
    const mini = z.looseObject(shape, { error: "must be a JSON object" });
    for (const input of [{ id: "x", lines: ["a"], extra: { deep: 1 } }, { id: "", lines: [], n: 1.5 }, { lines: [3] }, [], "x", { id: "x", lines: ["a"], n: "1" }]) {
      const [a, b] = [compiled.safeParse(input, { reportInput: true }), mini.safeParse(input, { reportInput: true })];
      expect(a.success).toBe(b.success);
      expect(a.error?.issues.map((i) => [i.path, i.message, i.input])).toEqual(b.error?.issues.map((i) => [i.path, i.message, i.input]));
      // Nobody reads the parsed object of a schema without checks (parseEvent returns the input): it holds the declared fields only.
      if (a.success && b.success) expect(b.data).toMatchObject(a.data as object);
    }
    expect(parseEvent("h", compiled, { id: "x", lines: ["a"], extra: 1 })).toEqual({ id: "x", lines: ["a"], extra: 1 });
  });

  test("an object's own checks see the fields its shape does not declare", () => {
    const seen: unknown[] = [];
    const checked = event({ id: nonEmptyString() }).check(z.refine((parsed) => (seen.push(parsed), true)));
    expect(parseEvent("h", checked, { id: "x", extra: { deep: 1 } })).toEqual({ id: "x", extra: { deep: 1 } });
    expect(seen[0]).toEqual({ id: "x", extra: { deep: 1 } });
  });

  test("a business input is CustomError.ValidationFailed, with the subject named", () => {
    const run = () => parseBusinessInput("order", Event, "an order");
    expect(run).toThrow(ValidationFailedError);
    expect(run).toThrow('Invalid order: the order must be a JSON object (received "an order")');
  });

  test("a part of the event is reported at its place", () => {
    expect(() => parseEvent("h", record({ values: list(number()) }), { values: [1, "2"] }, ["task", "payload"])).toThrow(
      'h: invalid event: task.payload.values[1] must be a number (received "2")',
    );
  });

  test("withFields is { ...base, ...fields }: order kept, replaced fields in place, __proto__ a field, base untouched", () => {
    const base = JSON.parse('{"b":1,"__proto__":{"polluted":true},"a":{"deep":1},"status":"NEW"}');
    const out = withFields(base, { status: "DONE", added: 2 });
    expect(Object.keys(out)).toEqual(["b", "__proto__", "a", "status", "added"]);
    expect(out).toEqual({ ...base, ...{ status: "DONE", added: 2 } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"b":1,"__proto__":{"polluted":true},"a":{"deep":1},"status":"DONE","added":2}');
    expect(base.status).toBe("NEW");
    expect(out.a).toBe(base.a);
  });

  test("paths and received values", () => {
    expect(formatPath(["items", 0, "sku"])).toBe("items[0].sku");
    expect(formatPath([])).toBe("");
    expect(received(undefined)).toBe("nothing");
    expect(received("x".repeat(100))).toHaveLength(60);
    expect(received({ payment: { token: "tok_visa" } })).toBe('{"payment":{"token":"****"}}');
    expect(received("tok_visa", ["payment", "token"])).toBe("a string (value masked)");
  });
});

test("every error name a workflow catches or retries (other than States.* and Lambda.*) is one a handler throws", () => {
  const { readdirSync, readFileSync } = jest.requireActual("node:fs") as typeof import("node:fs");
  const { join } = jest.requireActual("node:path") as typeof import("node:path");
  const dir = join(__dirname, "..", "..", "workflows");
  const files = [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(join(dir, "partials")).map((f) => join(dir, "partials", f))].filter((f) => f.endsWith(".hbs"));
  const caught = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, "utf8").matchAll(/"ErrorEquals"\s*:\s*\[([^\]]*)\]/g)) {
      for (const name of match[1]!.matchAll(/"([^"]+)"/g)) caught.add(name[1]!);
    }
  }
  // StepFunctions.* are errors of the startExecution integration itself (order-fulfilment retries a failed start), not of a handler.
  const custom = [...caught].filter((n) => !n.startsWith("States.") && !n.startsWith("Lambda.") && !n.startsWith("StepFunctions.")).sort();
  const thrown = [ValidationFailedError, InvalidInputError, PaymentDeclinedError, PaymentTransientFailureError, OutOfStockError].map((c) => c.errorName);
  expect(custom).toEqual(["CustomError.ValidationFailed", "Payment.TransientFailure"]);
  for (const name of custom) expect(thrown).toContain(name);
});
