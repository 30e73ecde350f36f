/**
 * The SQS bridge against a real Step Functions API (moto's server on
 * loopback): executions that exist afterwards, duplicates, invalid records.
 * Skips when moto is missing, unless REQUIRE_MOTO=1 (CI), where that fails.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from "@aws-sdk/client-sfn";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { bundleHandlerSync } from "../../src/build/bundle";
import { motoAvailability, startMoto, type MotoServer } from "./moto-server";

type Bridge = (event: SQSEvent) => Promise<SQSBatchResponse>;

const availability = motoAvailability();
const required = process.env.REQUIRE_MOTO === "1";

if (!availability.available) {
  if (required) {
    test("moto is required (REQUIRE_MOTO=1)", () => {
      throw new Error(`REQUIRE_MOTO=1 but ${availability.reason}`);
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`Skipping bridge integration tests: ${availability.reason}`);
    test.skip(`bridge against moto (skipped: ${availability.reason})`, () => undefined);
  }
} else {
  const ENV_KEYS = ["AWS_ENDPOINT_URL_SFN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_EC2_METADATA_DISABLED", "STATE_MACHINE_ARN", "LOG_LEVEL"];
  const saved: Record<string, string | undefined> = {};
  let moto: MotoServer;
  let client: SFNClient;
  let stdout: jest.SpyInstance;
  let logLines: string[] = [];

  const record = (messageId: string, body: string): SQSRecord => ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "x", ApproximateFirstReceiveTimestamp: "0" },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
    awsRegion: "us-east-1",
  });

  const createStateMachine = async (name: string) =>
    (
      await client.send(
        new CreateStateMachineCommand({
          name,
          roleArn: "arn:aws:iam::123456789012:role/test",
          definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }),
        }),
      )
    ).stateMachineArn!;

  const executions = async (stateMachineArn: string) =>
    ((await client.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).map((e) => ({ name: e.name, arn: e.executionArn! })).sort((a, b) => a.name!.localeCompare(b.name!));

  beforeAll(async () => {
    moto = await startMoto();
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: moto.endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      LOG_LEVEL: "INFO",
    });
    delete process.env.AWS_SESSION_TOKEN;
    client = new SFNClient({});
  });

  beforeEach(() => {
    logLines = [];
    stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(...String(chunk).split("\n").filter((l) => l.startsWith("{")));
      return true;
    });
  });
  afterEach(() => stdout.mockRestore());

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test("a batch with a duplicate and an invalid record starts each message once; a redelivery after completion is not restarted", async () => {
    const arn = await createStateMachine("bridge-source");
    process.env.STATE_MACHINE_ARN = arn;
    let bridge!: Bridge;
    // The bridge's client is created at module load: load it after the endpoint is in the environment.
    jest.isolateModules(() => {
      bridge = require("../../handlers/sqs").processMessage;
    });

    const first = await bridge({
      Records: [
        record("m-1", '{"orderId":"o-1"}'),
        record("m-2", '{"orderId":"o-2"}'),
        record("m-1", '{"orderId":"o-1"}'),
        record("bad", "{oops"),
      ],
    });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: "bad" }]);
    let found = await executions(arn);
    expect(found.map((e) => e.name)).toEqual(["msg-m-1", "msg-m-2"]);

    // Finished executions make StartExecution answer ExecutionAlreadyExists: still a success for the bridge.
    await client.send(new StopExecutionCommand({ executionArn: found[0]!.arn }));
    logLines = [];
    const redelivered = await bridge({ Records: [record("m-1", '{"orderId":"o-1"}')] });
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(logLines.map((l) => JSON.parse(l).message)).toContain("execution already started for this message (redelivery); treated as success");
    found = await executions(arn);
    expect(found.map((e) => e.name)).toEqual(["msg-m-1", "msg-m-2"]);
  });

  test("a missing state machine fails every record of the batch, individually", async () => {
    process.env.STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist";
    let bridge!: Bridge;
    jest.isolateModules(() => {
      bridge = require("../../handlers/sqs").processMessage;
    });
    const out = await bridge({ Records: [record("x-1", "{}"), record("x-2", "{}")] });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["x-1", "x-2"]);
  });

  test("the bundled bridge (SDK inside the bundle) starts executions the same way", async () => {
    const arn = await createStateMachine("bridge-bundled");
    process.env.STATE_MACHINE_ARN = arn;
    const dir = mkdtempSync(join(tmpdir(), "bridge-bundle-"));
    try {
      const bundle = bundleHandlerSync("sqs", { outDir: dir });
      expect(bundle.lambdaHandler).toBe("index.processMessage");
      let bridge!: Bridge;
      jest.isolateModules(() => {
        bridge = require(bundle.file).processMessage;
      });
      const out = await bridge({ Records: [record("b-1", '{"n":1}'), record("b-1", '{"n":1}'), record("b-bad", "nope")] });
      expect(out.batchItemFailures).toEqual([{ itemIdentifier: "b-bad" }]);
      expect((await executions(arn)).map((e) => e.name)).toEqual(["msg-b-1"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
