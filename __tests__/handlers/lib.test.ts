import { createLogger, parseLogLevel } from "../../handlers/lib/logger";
import { HandlerError, OutOfStockError, PaymentDeclinedError, PaymentTransientFailureError, ValidationFailedError, InvalidInputError } from "../../handlers/lib/errors";
import { Problems, received, requireEventRecord } from "../../handlers/lib/validate";

describe("logger", () => {
  const collect = (level?: string) => {
    const lines: string[] = [];
    const logger = createLogger("svc", { level, sink: (l) => lines.push(l) });
    return { logger, records: () => lines.map((l) => JSON.parse(l)) };
  };

  test.each([
    ["DEBUG", ["DEBUG", "INFO", "WARN", "ERROR"]],
    ["info", ["INFO", "WARN", "ERROR"]],
    ["WARN", ["WARN", "ERROR"]],
    ["ERROR", ["ERROR"]],
  ])("LOG_LEVEL %s emits %j", (level, expected) => {
    const { logger, records } = collect(level);
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(records().map((r) => r.level)).toEqual(expected);
  });

  test("reads LOG_LEVEL from the environment when no level is given", () => {
    const before = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "ERROR";
    try {
      expect(createLogger("x", { sink: () => undefined }).level).toBe("ERROR");
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });

  test("an unknown LOG_LEVEL falls back to INFO and says so once", () => {
    expect(parseLogLevel("verbose")).toEqual({ level: "INFO", warning: 'LOG_LEVEL "verbose" is not one of DEBUG, INFO, WARN, ERROR; using INFO.' });
    const { logger, records } = collect("verbose");
    expect(logger.level).toBe("INFO");
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ level: "WARN" });
  });

  test("one JSON line per record with service, request id, fields; errors and cycles serialise", () => {
    const { logger, records } = collect("INFO");
    logger.setContext({ awsRequestId: "req-1" });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    logger.info("hello", { error: new PaymentDeclinedError("no"), cyclic, big: BigInt(5) });
    logger.setContext(undefined);
    logger.info("after");
    const [first, second] = records();
    expect(first).toMatchObject({ level: "INFO", service: "svc", message: "hello", requestId: "req-1", big: "5", cyclic: { a: 1, self: "[Circular]" } });
    expect(first.error).toMatchObject({ name: "Payment.Declined", message: "no" });
    expect(second).not.toHaveProperty("requestId");
    expect(Number.isNaN(Date.parse(first.timestamp))).toBe(false);
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

describe("validation helpers", () => {
  test("received() shortens long values and names undefined", () => {
    expect(received(undefined)).toBe("nothing");
    expect(received("x".repeat(100))).toHaveLength(60);
  });

  test("Problems collects every failure and throws InvalidInput naming the handler", () => {
    const p = new Problems();
    expect(p.string("ok", "a")).toBe("ok");
    expect(p.number(3, "n", { integer: true, positive: true })).toBe(3);
    expect(p.number(Number.NaN, "nan")).toBeUndefined();
    expect(p.record([], "r")).toBeUndefined();
    expect(p.array(undefined, "opt", { optional: true })).toBeUndefined();
    expect(p.string(undefined, "optional", true)).toBeUndefined();
    expect(p.list).toEqual(["nan must be a number (received NaN)", "r must be an object (received [])"]);
    expect(() => p.throwInvalidInput("h")).toThrow(new InvalidInputError("h", p.list));
  });

  test("requireEventRecord rejects arrays and null", () => {
    expect(() => requireEventRecord("h", [])).toThrow("h: invalid event: the event must be a JSON object (received [])");
    expect(() => requireEventRecord("h", null)).toThrow("h: invalid event: the event must be a JSON object (received null)");
    expect(requireEventRecord("h", { a: 1 })).toEqual({ a: 1 });
  });
});
