import { runDefinition } from "../../src/executor/index";

const prefix = (state: string, id = 2) => `An error occurred while executing the state '${state}' (entered at the event id #${id}). `;
const mapDef = (extra: object) => ({
  StartAt: "MapState",
  States: { MapState: { Type: "Map", ItemsPath: "$.Items", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true, ...extra } },
});

describe("AWS's wording beyond the published cases", () => {
  test("an unknown function: the ARN qualified with $LATEST, in the SDK's exception wording", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:ghost", End: true } } };
    const r = await runDefinition(def, {});
    expect(r.error).toBe("Lambda.ResourceNotFoundException");
    expect(r.cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
  });

  test("an unknown alias keeps its qualifier", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "ghost:prod" }, End: true } } };
    const r = await runDefinition(def, {});
    expect(r.cause).toContain("Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:prod (");
  });

  test("States.MathRandom rounds non-integer bounds, as States.MathAdd does", async () => {
    const def = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "r.$": "States.MathRandom($.a, $.b)" }, End: true } } };
    const r = await runDefinition(def, { a: 1.4, b: 1.6 });
    expect(r.output).toEqual({ r: 1 });
  });

  test("a JSONata Items expression that returns a function", async () => {
    const def = { QueryLanguage: "JSONata", ...mapDef({ Items: "{% $count %}" }) };
    delete (def.States.MapState as Record<string, unknown>).ItemsPath;
    const r = await runDefinition(def, {});
    expect(r.error).toBe("States.QueryEvaluationError");
    expect(r.cause).toBe(`${prefix("MapState")}The JSONata expression '$count' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'function' for value: function`);
  });

  test.each([
    [{ ToleratedFailureCountPath: "$.v" }, "abc", 'The ToleratedFailureCountPath field refers to value "abc" which is not a valid integer: $.v'],
    [{ ToleratedFailureCountPath: "$.v" }, 1.5, 'The ToleratedFailureCountPath field refers to value "1.5" which is not a valid integer: $.v'],
    [{ ToleratedFailurePercentagePath: "$.v" }, "x", 'The ToleratedFailurePercentagePath field refers to value "x" which is not a valid float: $.v'],
    [{ ToleratedFailurePercentagePath: "$.v" }, [1], 'The ToleratedFailurePercentagePath field refers to value "[1]" which is not a valid float: $.v'],
    [{ MaxConcurrencyPath: "$.v" }, "many", 'The MaxConcurrencyPath field refers to value "many" which is not a valid integer: $.v'],
    [{ MaxConcurrencyPath: "$.v" }, -1, "Expected non-negative integer for MaxConcurrency, got '-1' instead."],
  ])("Map %j with %j", async (fields, value, cause) => {
    const r = await runDefinition(mapDef(fields), { Items: [0], v: value });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: `${prefix("MapState")}${cause}` });
  });

  test("numeric strings read through a Map path are numbers", async () => {
    const r = await runDefinition(mapDef({ MaxConcurrencyPath: "$.v", ToleratedFailureCountPath: "$.c" }), { Items: [0], v: "2", c: "1" });
    expect(r.status).toBe("SUCCEEDED");
  });

  test("a Wait timestamp with more than nine fraction digits is not a timestamp AWS accepts", async () => {
    const def = { StartAt: "W", States: { W: { Type: "Wait", TimestampPath: "$.t", End: true } } };
    const r = await runDefinition(def, { t: "2016-03-05T21:29:29.2431672521Z" });
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toBe(`${prefix("W")}The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2016-03-05T21:29:29.2431672521Z`);
  });
});

describe("lambda:invoke whose state reads only $.Payload", () => {
  const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", Payload: { a: 1 } }, OutputPath: "$.Payload", End: true } } };

  test("the history still shows the SDK response, with the exact Content-Length", async () => {
    const r = await runDefinition(def, {}, { lambdas: { f: async () => ({ s: "é" }) } });
    expect(r.output).toEqual({ s: "é" });
    const succeeded = r.history.find((e) => e.type === "TaskSucceeded") as unknown as { taskSucceededEventDetails: { output: string } };
    const response = JSON.parse(succeeded.taskSucceededEventDetails.output);
    expect(response.Payload).toEqual({ s: "é" });
    expect(response.StatusCode).toBe(200);
    expect(response.SdkHttpMetadata.HttpHeaders["Content-Length"]).toBe(String(Buffer.byteLength('{"s":"é"}')));
  });

  test("a result over 256 KiB is still States.DataLimitExceeded", async () => {
    const r = await runDefinition(def, {}, { lambdas: { f: async () => ({ big: "x".repeat(300 * 1024) }) } });
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});
