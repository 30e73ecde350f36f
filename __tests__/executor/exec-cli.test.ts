import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, parseArgs, UsageError } from "../../src/cli/exec";

async function exec(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    const code = await main(argv, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), "exec-cli-"));
const orderFile = join(dir, "order.json");
writeFileSync(orderFile, JSON.stringify({ orderId: "o-1", customerId: "c-1", items: [{ sku: "A", quantity: 1, unitPrice: 3 }], payment: { method: "card", token: "tok_unavailable_1" } }));

describe("npm run exec", () => {
  test("human output: status, output and the states table with virtual durations", async () => {
    const r = await exec("order-processing", "--input", orderFile);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Status: SUCCEEDED");
    expect(r.out).toMatch(/ProcessPayment\s+Task\s+2 s\s+retried \(1 retry\)/);
  });

  test("a caught failure and the Fail state that ends the run show in the table", async () => {
    const r = await exec("order-processing", "--input", '{"orderId":"x"}');
    expect(r.code).toBe(1);
    expect(r.out).toContain("Error:  CustomError.ValidationFailed");
    expect(r.out).toMatch(/ValidateOrder\s+Task\s+0 ms\s+caught/);
    expect(r.out).toMatch(/OrderFailed\s+Fail\s+-\s+failed/);
  });

  test("--json prints only the result JSON; a failed execution exits 1", async () => {
    const r = await exec("order-processing", "--input", '{"orderId":"x"}', "--json");
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.out);
    expect(parsed).toMatchObject({ status: "FAILED", error: "CustomError.ValidationFailed" });
    expect(Array.isArray(parsed.history)).toBe(true);
  });

  test("--definition runs a definition file; --mock-config/--test-case mock its tasks", async () => {
    const def = join(dir, "def.json");
    writeFileSync(def, JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } }));
    const mocks = join(dir, "mocks.json");
    writeFileSync(mocks, JSON.stringify({ StateMachines: { queueing: { TestCases: { Ok: { Q: "Sent" } } } }, MockedResponses: { Sent: { "0": { Return: { MessageId: "m" } } } } }));
    const r = await exec("queueing", "--definition", def, "--mock-config", mocks, "--test-case", "Ok", "--input", "{}", "--json");
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toMatchObject({ status: "SUCCEEDED", output: { MessageId: "m" } });
  });

  test.each([
    [["nope", "--input", "{}"], /^Unknown workflow "nope"\. Known workflows: .*order-processing/],
    [["map", "--input", "{bad"], /^--input is not valid JSON: .*Quote it for the shell/],
    [["map", "--input", "/no/such.json"], /^--input \/no\/such\.json: cannot read the file \(ENOENT\)\. Pass an existing JSON file or inline JSON\.$/],
    [["map"], /^--input is required/],
    [["map", "--input", "{}", "--mock-config", "x.json"], /^--mock-config and --test-case go together/],
    [["map", "--input", "{}", "--frobnicate"], /^Unknown option "--frobnicate"/],
  ])("%j -> one line, exit 2", async (argv, message) => {
    const r = await exec(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split("\n")).toHaveLength(1);
  });

  test("parseArgs reads a JSON file for --input", () => {
    expect(parseArgs(["map", "--input", orderFile]).input).toMatchObject({ orderId: "o-1" });
    expect(() => parseArgs(["--input", "{}"])).toThrow(UsageError);
  });

  test("--s3-dir gives the folder standing for S3 to a distributed Map", () => {
    expect(parseArgs(["batch-import", "--input", "{}", "--s3-dir", "/tmp/s3"]).s3Dir).toBe("/tmp/s3");
    expect(() => parseArgs(["batch-import", "--input", "{}", "--s3-dir"])).toThrow(/--s3-dir needs a value/);
  });
});
