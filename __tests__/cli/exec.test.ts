import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, cli, tempDir } from "./helpers";

const dir = tempDir("exec-cli-");
const orderFile = join(dir, "order.json");
writeFileSync(orderFile, JSON.stringify({ orderId: "o-1", customerId: "c-1", items: [{ sku: "A", quantity: 1, unitPrice: 3 }], payment: { method: "card", token: "tok_unavailable_1" } }));

async function exec(...argv: string[]) {
  // Handlers log to process.stdout (sent to stderr while they run); keep the test output quiet.
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return await cli(["exec", ...argv], { cwd: dir });
  } finally {
    spy.mockRestore();
  }
}

test("human output: status, output and the states table with virtual durations", async () => {
  const r = await exec("order-processing", "--input", orderFile);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Status: SUCCEEDED");
  expect(r.stdout).toMatch(/ProcessPayment\s+Task\s+2 s\s+retried \(1 retry\)/);
});

test("a caught failure and the Fail state that ends the run show in the table; exit 1", async () => {
  const r = await exec("order-processing", "--input", '{"orderId":"x"}');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("Error:  CustomError.ValidationFailed");
  expect(r.stdout).toMatch(/ValidateOrder\s+Task\s+0 ms\s+caught/);
  expect(r.stdout).toMatch(/OrderFailed\s+Fail\s+-\s+failed/);
});

test("--json prints only the result JSON", async () => {
  const r = await exec("order-processing", "--input", '{"orderId":"x"}', "--json");
  expect(r.code).toBe(1);
  const parsed = JSON.parse(r.stdout);
  expect(parsed).toMatchObject({ status: "FAILED", error: "CustomError.ValidationFailed" });
  expect(Array.isArray(parsed.history)).toBe(true);
});

test("--definition runs a definition file; --mock-config/--test-case mock its tasks", async () => {
  const def = join(dir, "def.json");
  writeFileSync(def, JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } }));
  const mocks = join(dir, "mocks.json");
  writeFileSync(mocks, JSON.stringify({ StateMachines: { queueing: { TestCases: { Ok: { Q: "Sent" } } } }, MockedResponses: { Sent: { "0": { Return: { MessageId: "m" } } } } }));
  const r = await exec("queueing", "--definition", def, "--mock-config", mocks, "--test-case", "Ok", "--input", "{}", "--json");
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED", output: { MessageId: "m" } });
});

test("the installed command runs a workflow end to end, handler logs on stderr and the result alone on stdout", () => {
  const r = bin(["exec", "order-processing", "--input", orderFile, "--json"]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).status).toBe("SUCCEEDED");
});
