import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StateMachineDoesNotExist } from "@aws-sdk/client-sfn";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { executionNameFor, MAX_INPUT_BYTES, processMessage } from "../../handlers/sqs";
import { captureLogs } from "./capture-logs";

const ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:proj-dev-order-processing";
const sfn = mockClient(SFNClient);

const record = (messageId: string, body: string, attributes: Partial<SQSRecord["attributes"]> = {}): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "x", ApproximateFirstReceiveTimestamp: "0", ...attributes },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
  awsRegion: "us-east-1",
});
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  sfn.reset();
  process.env.STATE_MACHINE_ARN = ARN;
  logs = captureLogs();
});
afterEach(() => logs.restore());
afterAll(() => delete process.env.STATE_MACHINE_ARN);

describe("executionNameFor", () => {
  const ALLOWED = /^[A-Za-z0-9_-]{1,80}$/;

  test("an SQS message id (UUID) is used as it is, after msg-", () => {
    expect(executionNameFor("059f36b4-87a3-44ab-83d2-661975830a7d")).toBe("msg-059f36b4-87a3-44ab-83d2-661975830a7d");
  });

  test.each(["has spaces and / slashes", "x".repeat(77), "ünïcödé", "", "a:b"])("%j is hashed into the allowed set, deterministically", (id) => {
    const name = executionNameFor(id);
    expect(name).toMatch(ALLOWED);
    expect(name).toMatch(/^msgh-[0-9a-f]{64}$/);
    expect(executionNameFor(id)).toBe(name);
  });

  test("the longest raw id fits exactly; distinct ids give distinct names", () => {
    expect(executionNameFor("y".repeat(76))).toHaveLength(80);
    expect(executionNameFor("a b")).not.toBe(executionNameFor("a_b"));
    // A raw id that looks like a hash cannot collide with a hashed one: the prefixes differ.
    const hashed = executionNameFor("a b");
    expect(executionNameFor(hashed.slice(5))).not.toBe(hashed);
  });
});

describe("processMessage", () => {
  test("starts one execution per record with the raw body and a name from the message id", async () => {
    sfn.on(StartExecutionCommand).callsFake(async (input) => ({ executionArn: `${ARN}:${input.name}`, startDate: new Date() }));
    const body = '{ "orderId": "o-1",  "items": [] }';
    const out = await processMessage(batch(record("m-1", body), record("m-2", "{}")), { awsRequestId: "req-1" });
    expect(out).toEqual({ batchItemFailures: [] });
    const calls = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { stateMachineArn: ARN, name: "msg-m-1", input: body },
      { stateMachineArn: ARN, name: "msg-m-2", input: "{}" },
    ]);
    expect(logs.lines().find((l) => l.message === "execution started")).toMatchObject({ function_request_id: "req-1", messageId: "m-1" });
  });

  test("ExecutionAlreadyExists (a redelivered message) counts as success", async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: "Execution Already Exists: 'msg-m-1'", $metadata: {} }));
    expect(await processMessage(batch(record("m-1", "{}")))).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  test("a message delivered twice in one batch is started once", async () => {
    sfn.on(StartExecutionCommand).callsFake(async (input) => ({ executionArn: `${ARN}:${input.name}`, startDate: new Date() }));
    expect(await processMessage(batch(record("m-1", "{}"), record("m-1", "{}"), record("m-2", "{}")))).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(["msg-m-1", "msg-m-2"]);
  });

  test("throttling fails that record only", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn", startDate: new Date() });
    sfn.on(StartExecutionCommand, { name: "msg-m-2" }).rejects(throttled());
    const out = await processMessage(batch(record("m-1", "{}"), record("m-2", "{}"), record("m-3", "{}")));
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }] });
    expect(logs.lines().find((l) => l.level === "ERROR")).toMatchObject({ messageId: "m-2", errorName: "ThrottlingException", httpStatusCode: 400 });
  });

  test("a service error (state machine missing) fails the record", async () => {
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: "nope", $metadata: { httpStatusCode: 400 } }));
    expect(await processMessage(batch(record("m-1", "{}")))).toEqual({ batchItemFailures: [{ itemIdentifier: "m-1" }] });
  });

  test("a body that is not JSON fails with its message id logged, without calling Step Functions", async () => {
    const out = await processMessage(batch(record("bad-1", "{not json")));
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "bad-1" }] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(logs.lines().find((l) => l.level === "ERROR")).toMatchObject({ messageId: "bad-1", bodyPreview: "{not json" });
  });

  test("a body over the Step Functions input limit fails without a call", async () => {
    const big = JSON.stringify({ pad: "x".repeat(MAX_INPUT_BYTES) });
    expect(await processMessage(batch(record("big", big)))).toEqual({ batchItemFailures: [{ itemIdentifier: "big" }] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test("mixed batch: success, duplicate, throttled, invalid -> only the last two fail", async () => {
    sfn.on(StartExecutionCommand, { name: "msg-ok" }).resolves({ executionArn: "arn:ok", startDate: new Date() });
    sfn.on(StartExecutionCommand, { name: "msg-dup" }).rejects(new ExecutionAlreadyExists({ message: "exists", $metadata: {} }));
    sfn.on(StartExecutionCommand, { name: "msg-slow" }).rejects(throttled());
    const out = await processMessage(batch(record("ok", "{}"), record("dup", "[1]"), record("slow", '"s"'), record("bad", "")));
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["bad", "slow"]);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name).sort()).toEqual(["msg-dup", "msg-ok", "msg-slow"]);
  });

  test("FIFO batch: the first failure fails it and every later record, which are not started", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn", startDate: new Date() });
    sfn.on(StartExecutionCommand, { name: "msg-f2" }).rejects(throttled());
    const fifo = { MessageGroupId: "g1" };
    const out = await processMessage(batch(record("f1", "{}", fifo), record("f2", "{}", fifo), record("f3", "{}", fifo)));
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "f2" }, { itemIdentifier: "f3" }] });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(["msg-f1", "msg-f2"]);
  });

  test("an empty batch does nothing", async () => {
    expect(await processMessage({ Records: [] })).toEqual({ batchItemFailures: [] });
  });

  test("without STATE_MACHINE_ARN the whole invocation fails with a fix", async () => {
    delete process.env.STATE_MACHINE_ARN;
    await expect(processMessage(batch(record("m", "{}")))).rejects.toThrow(
      "sqs bridge: environment variable STATE_MACHINE_ARN is not set; set it to the ARN of the state machine to start.",
    );
  });

  test("at most 10 StartExecution calls are in flight at once", async () => {
    let inFlight = 0;
    let peak = 0;
    sfn.on(StartExecutionCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { executionArn: "arn", startDate: new Date() };
    });
    const records = Array.from({ length: 25 }, (_, i) => record(`m${i}`, "{}"));
    expect(await processMessage(batch(...records))).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(25);
    expect(peak).toBe(10);
  });
});
