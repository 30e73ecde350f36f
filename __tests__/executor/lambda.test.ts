import { runDefinition, RawLambdaResponse } from "../../src/executor/index";
import { pythonJsonDumps } from "../../src/executor/lambda";

const invoke = (params: object) => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: params, End: true } },
});

describe("arn:aws:states:::lambda:invoke", () => {
  test("wraps the result as the SDK response AWS returns", async () => {
    const r = await runDefinition(invoke({ FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:fn", "Payload.$": "$" }), { a: "é" }, { lambdas: { fn: (e) => e } });
    const out = r.output as Record<string, any>;
    expect(out).toMatchObject({
      ExecutedVersion: "$LATEST",
      Payload: { a: "é" },
      StatusCode: 200,
      SdkHttpMetadata: {
        HttpStatusCode: 200,
        AllHttpHeaders: { "Content-Length": ["10"], "Content-Type": ["application/json"], "X-Amz-Executed-Version": ["$LATEST"] },
        HttpHeaders: { "Content-Length": "10", Connection: "keep-alive" },
      },
      SdkResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(out.SdkHttpMetadata.HttpHeaders["x-amzn-RequestId"]).toBe(out.SdkResponseMetadata.RequestId);
  });

  test("Content-Length follows the runtime's serialiser (Python: spaced, ASCII-escaped)", async () => {
    const r = await runDefinition(invoke({ FunctionName: "fn", Payload: {} }), {}, { lambdas: { fn: () => ({ a: "é", b: [1, 2] }) }, lambdaRuntime: "python" });
    const len = (r.output as any).SdkHttpMetadata.HttpHeaders["Content-Length"];
    expect(len).toBe(String(pythonJsonDumps({ a: "é", b: [1, 2] }).length));
    expect(pythonJsonDumps({ a: "é", b: [1, 2] })).toBe('{"a": "\\u00e9", "b": [1, 2]}');
  });

  test("an absent or null Payload reaches the function as {}; a string Payload is the raw JSON body", async () => {
    const seen: unknown[] = [];
    const fn = (e: unknown) => (seen.push(e), null);
    await runDefinition(invoke({ FunctionName: "fn" }), {}, { lambdas: { fn } });
    await runDefinition(invoke({ FunctionName: "fn", Payload: null }), {}, { lambdas: { fn } });
    await runDefinition(invoke({ FunctionName: "fn", Payload: '{"x":1}' }), {}, { lambdas: { fn } });
    expect(seen).toEqual([{}, {}, { x: 1 }]);
  });

  test("the handler gets a Lambda-like context", async () => {
    let ctx: any;
    await runDefinition(invoke({ FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:my-fn:live" }), {}, {
      lambdas: { "my-fn": (_e, c) => ((ctx = c), 1) },
    });
    expect(ctx).toMatchObject({ functionName: "my-fn", invokedFunctionArn: "arn:aws:lambda:eu-west-1:111122223333:function:my-fn:live", functionVersion: "$LATEST" });
    expect(ctx.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  test("an unknown function fails with Lambda.ResourceNotFoundException", async () => {
    const r = await runDefinition(invoke({ FunctionName: "ghost" }), {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Lambda.ResourceNotFoundException");
    expect(r.cause).toContain("Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost");
  });

  test("a result over 256 KiB is States.DataLimitExceeded", async () => {
    const r = await runDefinition(invoke({ FunctionName: "big" }), {}, { lambdas: { big: () => new RawLambdaResponse("a".repeat(257 * 1024)) } });
    expect(r).toMatchObject({
      status: "FAILED",
      error: "States.DataLimitExceeded",
      cause: "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
  });

  test("resolveHandler serves functions not in `lambdas`", async () => {
    const asked: string[] = [];
    const r = await runDefinition(invoke({ FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:app-dev-x" }), {}, {
      resolveHandler: (name) => (asked.push(name), () => "from resolver"),
    });
    expect(asked).toEqual(["app-dev-x"]);
    expect((r.output as any).Payload).toBe("from resolver");
  });
});

describe("function ARN as Resource", () => {
  test("returns the bare result; a function error gives errorType and a Python-spaced cause", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", End: true } } };
    expect((await runDefinition(def, { n: 1 }, { lambdas: { f: (e) => e } })).output).toEqual({ n: 1 });
    class CustomError extends Error {
      name = "Custom.Error";
    }
    const r = await runDefinition(def, {}, {
      lambdas: {
        f: () => {
          throw new CustomError("nope");
        },
      },
    });
    expect(r.error).toBe("Custom.Error");
    expect(r.cause).toMatch(/^\{"errorMessage": "nope", "errorType": "Custom.Error", "requestId": "[0-9a-f-]{36}", "stackTrace": \[/);
  });
});

describe("cloneJson measures in the same pass", () => {
  const { cloneJson } = require("../../src/executor/lambda") as typeof import("../../src/executor/lambda");
  test.each([
    [{ a: 1, b: [1, 2, { c: "x" }], d: null, e: true, f: false }],
    [["", "quote\"back\\slash", "tab\tnew\nline\u0001", "é", "€", "\u{10348}", "\ud800 lone", 1.5e300, -0, 12345678901234567890]],
    [{ empty: {}, arr: [], u: undefined, fn: () => 1, nested: { deeper: { deepest: [[], {}] } }, date: new Date(0) }],
    [JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}')],
    ["just a string"],
    [[undefined, () => 0, NaN, Infinity]],
  ])("%j", (value) => {
    const measure = { bytes: 0 };
    const copy = cloneJson(value, measure);
    const text = JSON.stringify(value);
    expect(JSON.stringify(copy)).toBe(text);
    expect(measure.bytes).toBe(Buffer.byteLength(text, "utf8"));
  });
});
