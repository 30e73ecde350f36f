/**
 * `aws-sdk:eventbridge` rule and target calls (src/asl/eventbridge.ts): IAM
 * authorizes them on the rule's ARN (`rule/<rule>` on the default bus,
 * `rule/<bus>/<rule>` on another), not on the bus; ListRules and
 * ListRuleNamesByTarget on no resource. The bus's customer-managed key still
 * gets kms:Decrypt, and a role handed to EventBridge gets iam:PassRole.
 */
import { derivePermissions, permissionFindings, toPolicyStatements, type DeriveOptions } from "../../src/asl/iam";
import { EVENTBRIDGE_IAM_DOC, PASS_ROLE_DOC } from "../../src/asl/eventbridge";

const opts: DeriveOptions = { workflow: "shop", file: "workflows/shop.asl.json.hbs", arn: { partition: "aws", region: "us-east-1", accountId: "123456789012", stateMachineName: "shop-dev-main" } };
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUS = "arn:aws:events:us-east-1:123456789012:event-bus/shop-dev-partners";
const RULES = "arn:aws:events:us-east-1:123456789012:rule";
const sdk = (action: string, parameters: unknown) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: `arn:aws:states:::aws-sdk:eventbridge:${action}`, Parameters: parameters, End: true } } });
const sdkJsonata = (action: string, args: unknown) => ({ QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: `arn:aws:states:::aws-sdk:eventbridge:${action}`, Arguments: args, End: true } } });
const statements = (definition: Record<string, unknown>, options: Partial<DeriveOptions> = {}) =>
  toPolicyStatements(derivePermissions(definition, { ...opts, ...options })).map(({ sid: _sid, ...rest }) => rest);
const warnings = (definition: Record<string, unknown>, options: Partial<DeriveOptions> = {}) =>
  permissionFindings(derivePermissions(definition, { ...opts, ...options }), opts.file).map((w) => w.message);
const kms = (definition: Record<string, unknown>, keys: Record<string, string>) =>
  statements(definition, { encryptionKeys: keys }).filter((s) => s.actions.some((a) => a.startsWith("kms:")));

// Every SDK action IAM authorizes on rule-on-default-event-bus / rule-on-custom-event-bus, with the parameter naming the rule.
const RULE_CALLS: Array<[string, string, "Name" | "Rule"]> = [
  ["putRule", "events:PutRule", "Name"],
  ["describeRule", "events:DescribeRule", "Name"],
  ["deleteRule", "events:DeleteRule", "Name"],
  ["enableRule", "events:EnableRule", "Name"],
  ["disableRule", "events:DisableRule", "Name"],
  ["putTargets", "events:PutTargets", "Rule"],
  ["removeTargets", "events:RemoveTargets", "Rule"],
  ["listTargetsByRule", "events:ListTargetsByRule", "Rule"],
];

describe.each(RULE_CALLS)("aws-sdk:eventbridge:%s", (action, iamAction, field) => {
  test("pass: on a custom bus -> the rule `rule/<bus>/<rule>`, citing the Service Authorization Reference", () => {
    const def = sdk(action, { [field]: "order-placed", EventBusName: "shop-dev-partners" });
    expect(statements(def)).toEqual([{ actions: [iamAction], resources: [`${RULES}/shop-dev-partners/order-placed`] }]);
    expect(derivePermissions(def, opts)[0].doc).toBe(EVENTBRIDGE_IAM_DOC);
    expect(warnings(def)).toEqual([]);
  });
  test("pass: on the default bus (EventBusName absent or \"default\") -> `rule/<rule>`", () => {
    expect(statements(sdk(action, { [field]: "order-placed" }))).toEqual([{ actions: [iamAction], resources: [`${RULES}/order-placed`] }]);
    expect(statements(sdk(action, { [field]: "order-placed", EventBusName: "default" }))).toEqual([{ actions: [iamAction], resources: [`${RULES}/order-placed`] }]);
  });
  test("fail: never on the bus, which IAM does not authorize rule actions on", () => {
    const resources = statements(sdk(action, { [field]: "order-placed", EventBusName: "shop-dev-partners" })).flatMap((s) => s.resources);
    expect(resources).not.toContain(BUS);
    expect(resources.filter((r) => r.includes(":event-bus/"))).toEqual([]);
  });
});

describe("where the rule is", () => {
  test("a bus given by ARN: the rule is in the bus's account and region", () => {
    const def = sdk("describeRule", { Name: "r", EventBusName: "arn:aws:events:eu-west-1:444455556666:event-bus/central" });
    expect(statements(def)).toEqual([{ actions: ["events:DescribeRule"], resources: ["arn:aws:events:eu-west-1:444455556666:rule/central/r"] }]);
    expect(statements(sdk("describeRule", { Name: "r", EventBusName: "arn:aws:events:eu-west-1:444455556666:event-bus/default" }))[0].resources).toEqual(["arn:aws:events:eu-west-1:444455556666:rule/r"]);
  });
  test("a declared bus rendered as Terraform references: by its name reference, or by its ARN reference (whose name reference is found)", () => {
    const name = "${aws_cloudwatch_event_bus.partners.name}";
    const arn = "${aws_cloudwatch_event_bus.partners.arn}";
    const references = { [name]: arn, [arn]: arn };
    for (const bus of [name, arn]) {
      const rows = derivePermissions(sdk("putRule", { Name: "r", EventBusName: bus, EventPattern: "{}" }), { ...opts, references });
      expect(rows.map((r) => [r.resources, r.touches])).toEqual([[[`${RULES}/${name}/r`], [arn]]]);
    }
  });
  test("fail: an ARN reference whose name is not known -> the rule on any custom bus, with a warning", () => {
    const arn = "${data.aws_cloudwatch_event_bus.x.arn}";
    const def = sdk("describeRule", { Name: "r", EventBusName: arn });
    expect(statements(def, { references: { [arn]: arn } })[0].resources).toEqual([`${RULES}/*/r`]);
    expect(warnings(def, { references: { [arn]: arn } })).toEqual([expect.stringContaining("Fix: give the bus's name.")]);
  });
  test("fail: a rule name computed at run time -> the narrowest wildcard on its bus (the literal start of States.Format), with IAM001", () => {
    const def = sdk("putRule", { "Name.$": "States.Format('order-{}', $.id)", EventBusName: "shop-dev-partners", EventPattern: "{}" });
    expect(statements(def)).toEqual([{ actions: ["events:PutRule"], resources: [`${RULES}/shop-dev-partners/order-*`] }]);
    expect(warnings(def)).toEqual([expect.stringContaining("Name is computed at run time")]);
    const jsonata = sdkJsonata("deleteRule", { Name: "{% $states.input.rule %}" });
    expect(statements(jsonata)).toEqual([{ actions: ["events:DeleteRule"], resources: [`${RULES}/*`] }]);
  });
  test("fail: a bus computed at run time -> the rule on the default bus or any other; SFN125 reports the field, so no second warning", () => {
    const def = sdk("describeRule", { Name: "r", "EventBusName.$": "$.bus" });
    expect(statements(def)).toEqual([{ actions: ["events:DescribeRule"], resources: [`${RULES}/*/r`, `${RULES}/r`] }]);
    expect(derivePermissions(def, opts)[0].warning).toContain("EventBusName is computed at run time");
    expect(warnings(def)).toEqual([]);
    expect(statements(sdk("describeRule", { "Name.$": "$.r", "EventBusName.$": "$.bus" }))[0].resources).toEqual([`${RULES}/*`]);
  });
  test("listRules and listRuleNamesByTarget: AWS defines no resource -> \"*\" without a warning", () => {
    for (const [action, iam] of [["listRules", "events:ListRules"], ["listRuleNamesByTarget", "events:ListRuleNamesByTarget"]]) {
      const def = sdk(action, { EventBusName: "shop-dev-partners", TargetArn: "arn:aws:sqs:us-east-1:123456789012:q" });
      expect(statements(def)).toEqual([{ actions: [iam], resources: ["*"] }]);
      expect(warnings(def)).toEqual([]);
    }
  });
  test("putPermission, removePermission, listEventBuses: AWS defines no resource -> \"*\" without a warning; a grant on the bus would not match", () => {
    for (const [action, iam] of [["putPermission", "events:PutPermission"], ["removePermission", "events:RemovePermission"], ["listEventBuses", "events:ListEventBuses"]]) {
      const def = sdk(action, { EventBusName: "shop-dev-partners", StatementId: "s", Principal: "444455556666", Action: "events:PutEvents" });
      expect(statements(def)).toEqual([{ actions: [iam], resources: ["*"] }]);
      expect(warnings(def)).toEqual([]);
    }
  });
  test("tagging: the rule or bus in ResourceARN", () => {
    const rule = `${RULES}/shop-dev-partners/r`;
    expect(statements(sdk("tagResource", { ResourceARN: rule, Tags: [] }))).toEqual([{ actions: ["events:TagResource"], resources: [rule] }]);
  });
});

describe("a bus with a customer-managed key", () => {
  test("pass: a rule call on it, and listing its rules, get kms:Decrypt on its key", () => {
    for (const def of [sdk("putTargets", { Rule: "r", EventBusName: "shop-dev-partners", Targets: [] }), sdk("listRules", { EventBusName: "shop-dev-partners" })]) {
      expect(kms(def, { [BUS]: KEY })).toEqual([{ actions: ["kms:Decrypt"], resources: [KEY] }]);
    }
  });
  test("fail: a rule on another bus, or on a bus computed at run time, gets none", () => {
    expect(kms(sdk("describeRule", { Name: "r", EventBusName: "other" }), { [BUS]: KEY })).toEqual([]);
    expect(kms(sdk("describeRule", { Name: "r" }), { [BUS]: KEY })).toEqual([]);
    expect(kms(sdk("describeRule", { Name: "r", "EventBusName.$": "$.bus" }), { [BUS]: KEY })).toEqual([]);
  });
});

describe("iam:PassRole for the role EventBridge assumes", () => {
  const ROLE = "arn:aws:iam::123456789012:role/shop-dev-events-to-ecs";
  const passedToEvents = [{ test: "StringEquals", variable: "iam:PassedToService", values: ["events.amazonaws.com"] }];
  test("pass: a target's literal RoleArn -> iam:PassRole on it, passed to EventBridge only", () => {
    const def = sdk("putTargets", { Rule: "r", EventBusName: "shop-dev-partners", Targets: [{ Id: "1", Arn: "arn:aws:ecs:us-east-1:123456789012:cluster/c", RoleArn: ROLE }, { Id: "2", Arn: "arn:aws:sqs:us-east-1:123456789012:q" }] });
    expect(statements(def)).toContainEqual({ actions: ["iam:PassRole"], resources: [ROLE], conditions: passedToEvents });
    expect(derivePermissions(def, opts).find((r) => r.actions.includes("iam:PassRole"))?.doc).toBe(PASS_ROLE_DOC);
    expect(warnings(def)).toEqual([]);
  });
  test("pass: PutRule's RoleArn too", () => {
    expect(statements(sdk("putRule", { Name: "r", EventPattern: "{}", RoleArn: ROLE }))).toContainEqual({ actions: ["iam:PassRole"], resources: [ROLE], conditions: passedToEvents });
  });
  test("fail: targets without a role pass none", () => {
    const def = sdk("putTargets", { Rule: "r", Targets: [{ Id: "1", Arn: "arn:aws:sqs:us-east-1:123456789012:q" }] });
    expect(statements(def).filter((s) => s.actions.includes("iam:PassRole"))).toEqual([]);
  });
  test("fail: a role or targets computed at run time -> the account's roles, passed to EventBridge only, with IAM001", () => {
    const forms = [
      sdk("putTargets", { Rule: "r", Targets: [{ Id: "1", Arn: "arn:aws:sqs:us-east-1:123456789012:q", "RoleArn.$": "$.role" }] }),
      sdk("putTargets", { Rule: "r", "Targets.$": "$.targets" }),
      sdkJsonata("putTargets", { Rule: "r", Targets: [{ Id: "1", Arn: "a", RoleArn: "{% $states.input.role %}" }] }),
    ];
    for (const def of forms) {
      expect(statements(def)).toContainEqual({ actions: ["iam:PassRole"], resources: ["arn:aws:iam::123456789012:role/*"], conditions: passedToEvents });
      expect(warnings(def)).toEqual([expect.stringMatching(/^iam:PassRole Targets(\[\]\.RoleArn)? is computed at run time/)]);
    }
  });
});

describe("aws-sdk:eventbridge:putEvents derives as the optimized events:putEvents (the same PascalCase Entries[].EventBusName)", () => {
  const optimized = (parameters: unknown) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::events:putEvents", Parameters: parameters, End: true } } });
  const BUSES = "arn:aws:events:us-east-1:123456789012:event-bus";
  test("pass: each entry's bus (by name, by ARN, the default when absent), as the optimized integration grants it", () => {
    const parameters = { Entries: [{ EventBusName: "shop-dev-partners", Source: "s", DetailType: "d", Detail: "{}" }, { EventBusName: "arn:aws:events:eu-west-1:444455556666:event-bus/central" }, { Source: "s" }] };
    const expected = [{ actions: ["events:PutEvents"], resources: ["arn:aws:events:eu-west-1:444455556666:event-bus/central", `${BUSES}/default`, BUS] }];
    expect(statements(sdk("putEvents", parameters))).toEqual(expected);
    expect(statements(optimized(parameters))).toEqual(expected);
    expect(statements(sdk("putEvents", { Entries: [{ Source: "s" }] }))).toEqual([{ actions: ["events:PutEvents"], resources: [`${BUSES}/default`] }]);
    expect(warnings(sdk("putEvents", parameters))).toEqual([]);
    expect(derivePermissions(sdk("putEvents", parameters), opts)[0].doc).toBe(EVENTBRIDGE_IAM_DOC);
  });
  test("pass: the older cloudwatchevents service name and JSONata Arguments derive the same", () => {
    const cwe = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:cloudwatchevents:putEvents", Parameters: { Entries: [{ EventBusName: "shop-dev-partners" }] }, End: true } } };
    expect(statements(cwe)).toEqual([{ actions: ["events:PutEvents"], resources: [BUS] }]);
    expect(statements(sdkJsonata("putEvents", { Entries: [{ EventBusName: "shop-dev-partners", Detail: "{% $string($states.input) %}" }] }))).toEqual([{ actions: ["events:PutEvents"], resources: [BUS] }]);
  });
  test("pass: a declared bus rendered as a Terraform reference -> its ARN reference", () => {
    const name = "${aws_cloudwatch_event_bus.partners.name}";
    const arn = "${aws_cloudwatch_event_bus.partners.arn}";
    expect(statements(sdk("putEvents", { Entries: [{ EventBusName: name }] }), { references: { [name]: arn } })).toEqual([{ actions: ["events:PutEvents"], resources: [arn] }]);
  });
  test("fail: an entry's bus, or the entries, computed at run time -> \"*\" with IAM001 naming the field, as the optimized integration", () => {
    const forms: Array<[Record<string, unknown>, string]> = [
      [sdk("putEvents", { Entries: [{ EventBusName: "shop-dev-partners" }, { "EventBusName.$": "$.bus" }] }), "Entries[].EventBusName"],
      [sdkJsonata("putEvents", { Entries: [{ EventBusName: "{% $states.input.bus %}" }] }), "Entries[].EventBusName"],
      [sdk("putEvents", { "Entries.$": "$.entries" }), "Entries"],
    ];
    for (const [def, field] of forms) {
      expect(statements(def)).toEqual([{ actions: ["events:PutEvents"], resources: ["*"] }]);
      expect(warnings(def)).toEqual([`events:PutEvents ${field} is computed at run time, so the target cannot be known at synthesis: granted on "*". Fix: name ${field} literally.`]);
    }
    const dynamic = { Entries: [{ "EventBusName.$": "$.bus" }] };
    expect(warnings(sdk("putEvents", dynamic))).toEqual(warnings(optimized(dynamic)));
  });
});

describe("event-bus calls that name their bus in Name: the event-bus resource", () => {
  const CALLS: Array<[string, string]> = [
    ["describeEventBus", "events:DescribeEventBus"],
    ["deleteEventBus", "events:DeleteEventBus"],
    ["updateEventBus", "events:UpdateEventBus"],
  ];
  test.each(CALLS)("pass: %s on the bus in Name (a name or an ARN), without a warning", (action, iam) => {
    expect(statements(sdk(action, { Name: "shop-dev-partners" }))).toEqual([{ actions: [iam], resources: [BUS] }]);
    const central = "arn:aws:events:eu-west-1:444455556666:event-bus/central";
    expect(statements(sdk(action, { Name: central }))).toEqual([{ actions: [iam], resources: [central] }]);
    expect(warnings(sdk(action, { Name: "shop-dev-partners" }))).toEqual([]);
    expect(derivePermissions(sdk(action, { Name: "shop-dev-partners" }), opts)[0].doc).toBe(EVENTBRIDGE_IAM_DOC);
  });
  test.each(CALLS)("fail: %s with Name computed at run time -> \"*\" with IAM001", (action, iam) => {
    expect(statements(sdk(action, { "Name.$": "$.bus" }))).toEqual([{ actions: [iam], resources: ["*"] }]);
    expect(warnings(sdkJsonata(action, { Name: "{% $states.input.bus %}" }))).toEqual([`${iam} Name is computed at run time, so the target cannot be known at synthesis: granted on "*". Fix: name Name literally.`]);
  });
  test("describeEventBus without Name describes the default bus; deleteEventBus without Name names no bus -> \"*\" with IAM001", () => {
    expect(statements(sdk("describeEventBus", {}))).toEqual([{ actions: ["events:DescribeEventBus"], resources: ["arn:aws:events:us-east-1:123456789012:event-bus/default"] }]);
    expect(warnings(sdk("describeEventBus", {}))).toEqual([]);
    expect(statements(sdk("deleteEventBus", {}))).toEqual([{ actions: ["events:DeleteEventBus"], resources: ["*"] }]);
    expect(warnings(sdk("deleteEventBus", {}))).toEqual([expect.stringContaining("the parameter that names its target is absent")]);
  });
});
