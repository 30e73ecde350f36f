/**
 * The `http:invoke` row (src/asl/integrations.ts) and its lint (SFN180/SFN181):
 * the connection may be named in Authentication.ConnectionArn or in
 * InvocationConfig.ConnectionArn, in JSONPath Parameters or JSONata
 * Arguments; either gets the connection's credentials, its secret and (with a
 * customer-managed key) kms:Decrypt, and a Task naming no connection is a lint error.
 */
import { derivePermissions, permissionFindings, toPolicyStatements, type DeriveOptions } from "../../src/asl/iam";
import { lintDefinition } from "../../src/asl/lint";

const opts: DeriveOptions = { workflow: "shop", file: "workflows/shop.asl.json.hbs", arn: { partition: "aws", region: "us-east-1", accountId: "123456789012", stateMachineName: "shop-dev-main" } };
const CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/payments/0f3c";
const OTHER = "arn:aws:events:us-east-1:123456789012:connection/carrier/9a1b";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const statements = (definition: Record<string, unknown>, options: Partial<DeriveOptions> = {}) =>
  toPolicyStatements(derivePermissions(definition, { ...opts, ...options })).map(({ sid: _sid, ...rest }) => rest);
const warnings = (definition: Record<string, unknown>) => permissionFindings(derivePermissions(definition, opts), opts.file).map((w) => w.message);
const http = (parameters: Record<string, unknown>) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: parameters, End: true } } });
const httpJsonata = (args: unknown) => ({ QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Arguments: args, End: true } } });
const lintCodes = (definition: unknown) => lintDefinition(definition, { file: "t.json", rules: {} }).filter((f) => /^SFN18[01]$/.test(f.code));

const invoke = (method: string, endpoint: string) => ({
  actions: ["states:InvokeHTTPEndpoint"],
  resources: ["arn:aws:states:us-east-1:123456789012:stateMachine:shop-dev-main"],
  conditions: [
    { test: "StringEquals", variable: "states:HTTPMethod", values: [method] },
    { test: "StringLike", variable: "states:HTTPEndpoint", values: [endpoint] },
  ],
});
const credentials = (connection: string, name: string) => [
  { actions: ["events:RetrieveConnectionCredentials"], resources: [connection] },
  { actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], resources: [`arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/${name}/*`] },
];

describe("http:invoke: Authentication.ConnectionArn", () => {
  test("pass: InvokeHTTPEndpoint pinned to method and endpoint, the connection's credentials and its secret", () => {
    const def = http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", Authentication: { ConnectionArn: CONNECTION } });
    expect(statements(def)).toEqual([...credentials(CONNECTION, "payments"), invoke("POST", "https://api.example.com/orders")]);
    expect(warnings(def)).toEqual([]);
    expect(lintCodes(def)).toEqual([]);
  });
  test("fail: a dynamic endpoint drops its condition and warns; a dynamic connection is granted on every connection", () => {
    const def = http({ "ApiEndpoint.$": "$.url", Method: "GET", Authentication: { "ConnectionArn.$": "$.conn" } });
    const s = statements(def);
    expect(s.find((x) => x.actions.includes("states:InvokeHTTPEndpoint"))?.conditions).toEqual([{ test: "StringEquals", variable: "states:HTTPMethod", values: ["GET"] }]);
    expect(s).toContainEqual({ actions: ["events:RetrieveConnectionCredentials"], resources: ["arn:aws:events:us-east-1:123456789012:connection/*"] });
    expect(warnings(def)).toEqual([
      expect.stringContaining("ApiEndpoint computed at run time"),
      expect.stringContaining("Authentication.ConnectionArn is computed at run time"),
      expect.stringContaining("Authentication.ConnectionArn is computed at run time"),
    ]);
  });
});

describe("http:invoke: InvocationConfig.ConnectionArn", () => {
  test("pass (JSONPath): the same grants as through Authentication, and the same conditions", () => {
    const def = http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", InvocationConfig: { ConnectionArn: CONNECTION } });
    expect(statements(def)).toEqual([...credentials(CONNECTION, "payments"), invoke("POST", "https://api.example.com/orders")]);
    expect(derivePermissions(def, opts).find((r) => r.actions.includes("events:RetrieveConnectionCredentials"))?.reason).toContain("InvocationConfig.ConnectionArn");
    expect(warnings(def)).toEqual([]);
    expect(lintCodes(def)).toEqual([]);
  });
  test("pass (JSONata Arguments): the same grants", () => {
    const def = httpJsonata({ ApiEndpoint: "https://internal.example.com/stock", Method: "GET", InvocationConfig: { ConnectionArn: CONNECTION } });
    expect(statements(def)).toEqual([...credentials(CONNECTION, "payments"), invoke("GET", "https://internal.example.com/stock")]);
    expect(lintCodes(def)).toEqual([]);
  });
  test("fail: computed at run time (`ConnectionArn.$`, `{% %}`, the whole InvocationConfig) -> every connection and its secret, with a warning naming the field", () => {
    const forms = [
      http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", InvocationConfig: { "ConnectionArn.$": "$.conn" } }),
      http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", "InvocationConfig.$": "$.invocation" }),
      httpJsonata({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", InvocationConfig: { ConnectionArn: "{% $states.input.conn %}" } }),
    ];
    for (const def of forms) {
      const s = statements(def);
      expect(s).toContainEqual({ actions: ["events:RetrieveConnectionCredentials"], resources: ["arn:aws:events:us-east-1:123456789012:connection/*"] });
      expect(s).toContainEqual({ actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/*"] });
      expect(warnings(def)).toEqual([expect.stringContaining("InvocationConfig.ConnectionArn is computed at run time"), expect.stringContaining("InvocationConfig.ConnectionArn is computed at run time")]);
    }
  });
  test("fail: JSONata Arguments computed as a whole -> one pair of wildcard grants naming both fields", () => {
    const rows = derivePermissions(httpJsonata("{% $states.input.request %}"), opts).filter((r) => r.dynamicField);
    expect(rows.map((r) => [r.actions[0], r.resources])).toEqual([
      ["events:RetrieveConnectionCredentials", ["arn:aws:events:us-east-1:123456789012:connection/*"]],
      ["secretsmanager:DescribeSecret", ["arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/*"]],
    ]);
    expect(rows[0].dynamicField).toBe("InvocationConfig.ConnectionArn or Authentication.ConnectionArn");
  });
  test("both fields naming different connections: both are granted (the role works whichever AWS reads)", () => {
    const s = statements(http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", InvocationConfig: { ConnectionArn: CONNECTION }, Authentication: { ConnectionArn: OTHER } }));
    expect(s.find((x) => x.actions[0] === "events:RetrieveConnectionCredentials")?.resources).toEqual([OTHER, CONNECTION].sort());
  });
  test("a customer-managed key on the connection -> kms:Decrypt on it, through either field", () => {
    for (const field of ["InvocationConfig", "Authentication"]) {
      const def = http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", [field]: { ConnectionArn: CONNECTION } });
      const kms = statements(def, { encryptionKeys: { [CONNECTION]: KEY } }).filter((x) => x.actions.some((a) => a.startsWith("kms:")));
      expect(kms).toEqual([{ actions: ["kms:Decrypt"], resources: [KEY] }]);
    }
  });
});

describe("http:invoke lint: a connection is required", () => {
  test("fail: neither Authentication nor InvocationConfig -> SFN181, and no connection is granted", () => {
    const def = http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST" });
    expect(lintCodes(def).map((f) => [f.code, f.path, f.message])).toEqual([
      [
        "SFN181",
        "States.T.Parameters",
        'Task "T" calls http:invoke without one of "InvocationConfig", "Authentication" in Parameters; the call cannot succeed and no permission can be derived for it ' +
          '(fix: add "InvocationConfig": { "ConnectionArn": "<connection ARN>" } to Parameters (see https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html))',
      ],
    ]);
    expect(statements(def).map((x) => x.actions[0])).toEqual(["states:InvokeHTTPEndpoint"]);
  });
  test("fail: the same in JSONata Arguments", () => {
    expect(lintCodes(httpJsonata({ ApiEndpoint: "https://api.example.com/orders", Method: "POST" })).map((f) => `${f.code} ${f.path}`)).toEqual(["SFN181 States.T.Arguments"]);
  });
  test("fail: InvocationConfig without ConnectionArn -> SFN181 on it; a misspelled ConnectionArn is named", () => {
    const empty = lintCodes(http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", InvocationConfig: {} }));
    expect(empty.map((f) => `${f.code} ${f.path}`)).toEqual(["SFN181 States.T.Parameters.InvocationConfig"]);
    expect(empty[0].message).toMatch(/^Task "T" calls http:invoke with InvocationConfig but no "ConnectionArn" in it \(received \{\}\); .*\(fix: add "ConnectionArn": "<value>" to InvocationConfig/);
    const typo = lintCodes(http({ ApiEndpoint: "https://api.example.com/orders", Method: "POST", Authentication: { ConnectionARN: CONNECTION } }));
    expect(typo.map((f) => `${f.code} ${f.path}`)).toEqual(["SFN181 States.T.Parameters.Authentication"]);
    expect(typo[0].message).toMatch(/\(fix: rename "ConnectionARN" to "ConnectionArn"\)$/);
  });
  test("pass: a connection computed at run time is given (`ConnectionArn.$`, `InvocationConfig.$`)", () => {
    expect(lintCodes(http({ ApiEndpoint: "https://a.example.com", Method: "GET", InvocationConfig: { "ConnectionArn.$": "$.c" } }))).toEqual([]);
    expect(lintCodes(http({ ApiEndpoint: "https://a.example.com", Method: "GET", "InvocationConfig.$": "$.i" }))).toEqual([]);
  });
});
