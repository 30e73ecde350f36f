import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFinding, lintDefinition, lintText, loadLintConfig, parseLintConfig, RULES, type Finding } from '../../src/asl/lint';
import { LintConfigError } from '../../src/asl/lint-config';

const FIXTURES = join(__dirname, 'fixtures');
const load = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8'));

// Each fixture is linted once per type, from its text (duplicate keys need the text), with the
// catalogue's severities (rules: {}) so the project's sfn-lint.json does not change what is asserted.
const cache = new Map<string, Finding[]>();
function lint(name: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Finding[] {
  const key = `${name}:${type}`;
  if (!cache.has(key)) cache.set(key, lintText(readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8'), { file: `${name}.asl.json`, type, rules: {} }));
  return cache.get(key) as Finding[];
}

/** [code, fixture stem (…fail / …pass), workflow type, path of the finding, exact message]. */
const CASES: Array<[keyof typeof RULES, string, 'STANDARD' | 'EXPRESS', string, string]> = [
  ['SFN000', 'sfn000-not-object', 'STANDARD', "", "the definition must be a JSON object with StartAt and States; received an array (fix: render or write a JSON object such as {\"StartAt\": \"First\", \"States\": {...}})"],
  ['SFN001', 'sfn001-schema', 'STANDARD', "States.A.ResultPath", "schema: States.A.ResultPath must be a string or null; received 42 (fix: compare the field with the Amazon States Language reference for this state type (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html))"],
  ['SFN002', 'sfn002-duplicate-names', 'STANDARD', "States.Done", "State name \"Done\" is used twice: at States.P.Branches[0].States.Done and at States.Done; AWS requires state names unique across the whole definition, including branches and processors (fix: rename one of them (and the Next/Default/StartAt that names it))"],
  ['SFN003', 'sfn003-no-terminal', 'STANDARD', "States", "the state machine has no terminal state: every state has a Next, so no execution can finish (fix: end one state with \"End\": true, or add a Succeed or Fail state and transition to it)"],
  ['SFN004', 'sfn004-end-and-next', 'STANDARD', "States.A", "State \"A\" MUST contain exactly one of \"End\", \"Next\" (fix: give the state either \"Next\" or \"End\": true, not both and not neither)"],
  ['SFN005', 'sfn005-duplicate-field', 'STANDARD', "States.A.Parameters.id.$", "\"id\" and \"id.$\" both produce the field \"id\"; AWS rejects the duplicate (fix: keep \"id.$\" for a value from the input or \"id\" for a literal, not both)"],
  ['SFN006', 'sfn006-exclusive-fields', 'STANDARD', "States.A", "State \"A\" MUST contain at most one of \"TimeoutSeconds\", \"TimeoutSecondsPath\" (fix: keep only one of the listed fields)"],
  ['SFN100', 'sfn100-start-at', 'STANDARD', "StartAt", "StartAt \"Begin\" names no state of the state machine; states here: A (fix: point StartAt at a state declared in the same States object)"],
  ['SFN101', 'sfn101-island-cycle', 'STANDARD', "States.B", "State \"B\" is not reachable from StartAt \"A\" of the state machine; AWS rejects unreachable states (fix: delete the state, or name it in the Next, Default, Choices[].Next or Catch[].Next of a reachable state in the same scope)"],
  ['SFN101', 'sfn101-processor', 'STANDARD', "States.M.ItemProcessor.States.Orphan", "State \"Orphan\" is not reachable from StartAt \"First\" of Map processor States.M.ItemProcessor; AWS rejects unreachable states (fix: delete the state, or name it in the Next, Default, Choices[].Next or Catch[].Next of a reachable state in the same scope)"],
  ['SFN102', 'sfn102-missing-target', 'STANDARD', "States.A.Next", "Next \"Nowhere\" names no state; states in this scope: A (fix: declare a state \"Nowhere\" in the same States object or fix the name)"],
  ['SFN103', 'sfn103-leaves-branch', 'STANDARD', "States.P.Branches[0].States.InBranch.Next", "Next \"After\" leaves the Parallel branch States.P.Branches[0]: \"After\" is declared in the top-level States (fix: end the branch with \"End\": true and put the transition on the \"P\" state's Next or Catch)"],
  ['SFN104', 'sfn104-choice-without-choices', 'STANDARD', "States.C.Choices", "Choice state \"C\" has no Choices (received []) (fix: add at least one rule to \"Choices\", or replace the Choice with a Pass whose Next is the Default)"],
  ['SFN105', 'sfn105-unknown-field', 'STANDARD', "States.Charge.Nxt", "State \"Charge\" (Pass) has the field \"Nxt\", which Pass states do not have (fix: rename it to \"Next\")"],
  ['SFN105', 'sfn105-unknown-field', 'STANDARD', "States.Charge.Resource", "State \"Charge\" (Pass) has the field \"Resource\", which Pass states do not have; it belongs to Task states (fix: remove it, or make the state a Task state)"],
  ['SFN110', 'sfn110-pass-result-dollar', 'STANDARD', "States.TransformData.Result.processedAt.$", "Pass state \"TransformData\" has \"processedAt.$\": \"$$.State.EnteredTime\" inside Result, which is static: the output keeps the literal key \"processedAt.$\" and the path is never evaluated (fix: move the key into \"Parameters\" (JSONPath) or compute it in \"Output\" (JSONata), e.g. \"Parameters\": {\"processedAt.$\": \"$$.State.EnteredTime\"})"],
  ['SFN111', 'sfn111-dollar-value', 'STANDARD', "States.A.Parameters.id.$", "\"id.$\": \"order.id\" is not a valid JSONPath (\"$.x\"), context path (\"$$.Execution.Id\"), variable (\"$name\") or intrinsic function call (\"States.Format(...)\") (fix: fix the expression, or drop the \".$\" suffix from the key if \"order.id\" is meant literally)"],
  ['SFN112', 'sfn112-intrinsic-escape', 'STANDARD', "States.A.Parameters.parsed.$", "\"parsed.$\": intrinsic function string contains the escape \\\", which AWS rejects; only \\' \\{ \\} and \\\\ are allowed inside intrinsic strings (fix: write the character without a backslash (a double quote needs no escape inside single quotes), e.g. 'He said \"hi\"')"],
  ['SFN120', 'sfn120-jsonata-arguments', 'STANDARD', "States.A.Arguments", "Task \"A\" calls arn:aws:states:::lambda:invoke without Arguments.FunctionName; AWS rejects the definition (fix: add \"Arguments\": {\"FunctionName\": \"<function ARN>\", \"Payload\": \"{% $states.input %}\"})"],
  ['SFN120', 'sfn120-lambda-function-name', 'STANDARD', "States.UpdateInventory.Parameters", "Task \"UpdateInventory\" calls arn:aws:states:::lambda:invoke without Parameters.FunctionName; AWS rejects the definition (fix: add \"Parameters\": {\"FunctionName\": \"<function ARN>\", \"Payload.$\": \"$\"} (in a template: the lambda helper))"],
  ['SFN121', 'sfn121-lambda-retry', 'STANDARD', "States.ProcessPayment.Retry", "Lambda Task \"ProcessPayment\" does not retry Lambda.SdkClientException, Lambda.TooManyRequestsException: a transient Lambda error fails the execution (fix: add a first retrier {\"ErrorEquals\": [\"Lambda.ServiceException\",\"Lambda.AWSLambdaException\",\"Lambda.SdkClientException\",\"Lambda.TooManyRequestsException\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2, \"JitterStrategy\": \"FULL\"})"],
  ['SFN122', 'sfn122-task-timeout', 'STANDARD', "States.A", "Task \"A\" has no TimeoutSeconds: in a Standard workflow a stuck call holds the execution until its one-year limit (fix: set \"TimeoutSeconds\" a little above the task's worst normal duration (for Lambda: the function timeout plus a few seconds))"],
  ['SFN123', 'sfn123-credentials', 'STANDARD', "States.A.Credentials", "State \"A\" has Credentials {} without RoleArn; AWS rejects the definition (fix: set \"Credentials\": {\"RoleArn\": \"<role ARN to assume>\"} or remove Credentials to use the state machine's role)"],
  ['SFN124', 'sfn124-heartbeat', 'STANDARD', "States.A.HeartbeatSeconds", "Task \"A\" has HeartbeatSeconds 30 not below TimeoutSeconds 30 (fix: make HeartbeatSeconds smaller than TimeoutSeconds, or drop it)"],
  ['SFN125', 'sfn125-dynamic-target', 'STANDARD', "States.A.Parameters.FunctionName.$", "Task \"A\" takes its FunctionName from \"$.fn\" at run time, so the derived IAM policy grants lambda:InvokeFunction on \"*\" (fix: name the FunctionName in the definition (a template variable or helper) so the policy can name it; keep it dynamic only when the set of targets is open)"],
  ['SFN130', 'sfn130-retry-states-all', 'STANDARD', "States.A.Retry[1].ErrorEquals", "States.ALL must appear alone in ErrorEquals; received [\"States.ALL\",\"Custom.Error\"] (fix: move [\"Custom.Error\"] into an earlier retrier and keep [\"States.ALL\"] on its own)"],
  ['SFN131', 'sfn131-catch-states-all', 'STANDARD', "States.A.Catch[0].ErrorEquals", "the Catch entry with States.ALL is number 1 of 2; it must be the last, since it matches everything after it (fix: move this catcher to the end of Catch)"],
['SFN132', 'sfn132-interval', 'STANDARD', "States.A.Retry[0].IntervalSeconds", "State \"A\" Retry[0] IntervalSeconds must be an integer from 1 to 99999999; received 0 (out of range) (fix: set IntervalSeconds to a whole number of seconds from 1 to 99999999 (the default is 1))"],
  ['SFN133', 'sfn133-backoff', 'STANDARD', "States.A.Retry[0].BackoffRate", "State \"A\" Retry[0] BackoffRate must be a number of at least 1; received 0.5 (out of range) (fix: set BackoffRate to 1.0 (constant interval) or more (the default is 2.0))"],
  ['SFN134', 'sfn134-max-attempts', 'STANDARD', "States.A.Retry[0].MaxAttempts", "State \"A\" Retry[0] MaxAttempts must be an integer from 0 to 99999999; received -1 (out of range) (fix: set MaxAttempts to 0 (never retry) or a whole count up to 99999999 (the default is 3))"],
  ['SFN140', 'sfn140-wait-fields', 'STANDARD', "States.W", "Wait state \"W\" must have exactly one of Seconds, Timestamp, SecondsPath or TimestampPath; it has Seconds, TimestampPath (fix: keep one of Seconds, TimestampPath and delete the others)"],
  ['SFN141', 'sfn141-wait-timestamp', 'STANDARD', "States.W.Timestamp", "Wait state \"W\" Timestamp \"2024-02-30T10:00:00Z\" is not an RFC 3339 date-time with a zone and a valid calendar date (fix: write it like \"2026-03-14T01:59:00Z\" (uppercase T, Z or +hh:mm), or use TimestampPath for a value from the input)"],
  ['SFN150', 'sfn150-iterator', 'STANDARD', "States.ProcessItems.Iterator", "Map state \"ProcessItems\" uses the deprecated \"Iterator\"; AWS still accepts it but has replaced it with \"ItemProcessor\" (fix: rename \"Iterator\" to \"ItemProcessor\", add \"ProcessorConfig\": {\"Mode\": \"INLINE\"} inside it, and rename the Map's \"Parameters\" to \"ItemSelector\")"],
  ['SFN151', 'sfn151-max-concurrency', 'STANDARD', "States.M.MaxConcurrency", "Map state \"M\" MaxConcurrency must be an integer of at least 0; received -1 (out of range) (fix: set MaxConcurrency to 0 (no limit) or a whole positive limit)"],
  ['SFN152', 'sfn152-tolerated-percentage', 'STANDARD', "States.M.ToleratedFailurePercentage", "Map state \"M\" ToleratedFailurePercentage must be a number from 0 to 100; received 150 (out of range) (fix: use a percentage from 0 to 100)"],
  ['SFN160', 'sfn160-express-sync', 'EXPRESS', "States.Run.Resource", "Task \"Run\" uses arn:aws:states:::states:startExecution.sync:2; Express workflows do not support \".sync\" integrations and AWS rejects the definition (fix: call the plain (request-response) integration and poll, or make the workflow STANDARD)"],
  ['SFN161', 'sfn161-express-callback', 'EXPRESS', "States.Ask.Resource", "Task \"Ask\" uses arn:aws:states:::sqs:sendMessage.waitForTaskToken; Express workflows do not support \".waitForTaskToken\" callbacks and AWS rejects the definition (fix: make the workflow STANDARD, or drop the callback and use the request-response integration)"],
  ['SFN162', 'sfn162-express-long-wait', 'EXPRESS', "States.W.Seconds", "Wait state \"W\" waits 600 s, but an Express execution ends after 300 s (fix: wait 300 seconds or less, or make the workflow STANDARD)"],
  ['SFN163', 'sfn163-express-timeout', 'EXPRESS', "TimeoutSeconds", "Express workflow TimeoutSeconds is 900, above the 300-second Express maximum (fix: set TimeoutSeconds to 300 or less, or make the workflow STANDARD in workflows/catalogue.ts)"],
  ['SFN164', 'sfn164-express-activity', 'EXPRESS', "States.Work.Resource", "Task \"Work\" uses the activity arn:aws:states:us-east-1:123456789012:activity:manual-review; Express workflows do not support activities (fix: replace the activity with a Lambda or service integration, or make the workflow STANDARD)"],
  ['SFN170', 'sfn170-jsonpath-field-in-jsonata', 'STANDARD', "States.A.Parameters", "State \"A\" is JSONata but has \"Parameters\", which only JSONPath states accept (fix: use \"Arguments\" (Task), \"Output\" (Pass) or \"ItemSelector\" (Map), or set \"QueryLanguage\": \"JSONPath\" on the state)"],
  ['SFN171', 'sfn171-jsonata-field-in-jsonpath', 'STANDARD', "States.A.Output", "State \"A\" is JSONPath but has \"Output\", which only JSONata states accept (fix: use \"ResultSelector\"/\"ResultPath\"/\"OutputPath\" (or Parameters in a Pass), or set \"QueryLanguage\": \"JSONata\" on the state)"],
  ['SFN172', 'sfn172-query-language-downgrade', 'STANDARD', "States.A.QueryLanguage", "State \"A\" sets QueryLanguage \"JSONPath\" but the state machine is JSONata; AWS only allows JSONPath states under a JSONPath machine (fix: rewrite the state in JSONata and drop its QueryLanguage, or make the machine JSONPath and opt single states into JSONata)"],
  ['SFN173', 'sfn173-jsonata-syntax', 'STANDARD', "States.A.Output.total", "JSONata expression \"{% $sum($states.input.items.price %}\" does not parse: Expected \")\" before end of expression (fix: fix the expression (try it at https://try.jsonata.org with version 2.0.6))"],
['SFN009', 'sfn009-duplicate-key', 'STANDARD', "States.A", "state \"A\" is declared twice in States: at line 4 column 5 and at line 12 column 5; JSON parsers keep only the last one, so the first is silently lost (fix: rename one of the two states)"],
  ['SFN100', 'sfn100-fragment', 'STANDARD', "", "the definition has no StartAt, so AWS rejects it as a state machine; linted as a fragment of 1 state(s) (GetOrder) state by state, without checking reachability or transitions to states outside it (fix: wrap the states as {\"StartAt\": \"GetOrder\", \"States\": {...}} to lint a whole state machine)"],
  ['SFN125', 'sfn125-dynamic-bus-rule', 'STANDARD', "States.A.Parameters.EventBusName.$", "Task \"A\" takes its EventBusName from \"$.bus\" at run time, so the derived IAM policy grants events:DescribeRule on \"arn:<partition>:events:<region>:<account>:rule/order-placed\" and \"arn:<partition>:events:<region>:<account>:rule/*/order-placed\" (fix: name the EventBusName in the definition (a template variable or helper) so the policy can name it; keep it dynamic only when the set of targets is open)"],
  ['SFN126', 'sfn126-timeout-bounds', 'STANDARD', "States.A.TimeoutSeconds", "Task \"A\" TimeoutSeconds must be an integer from 1 to 99999999; received 100000000 (out of range) (fix: set a whole number of seconds from 1 to 99999999, or use TimeoutSecondsPath for a value from the input)"],
  ['SFN132', 'sfn132-interval-max', 'STANDARD', "States.A.Retry[0].IntervalSeconds", "State \"A\" Retry[0] IntervalSeconds must be an integer from 1 to 99999999; received 100000000 (out of range) (fix: set IntervalSeconds to a whole number of seconds from 1 to 99999999 (the default is 1))"],
  ['SFN134', 'sfn134-max-attempts-integer', 'STANDARD', "States.A.Retry[0].MaxAttempts", "State \"A\" Retry[0] MaxAttempts must be an integer from 0 to 99999999; received 2.5 (not an integer) (fix: set MaxAttempts to 0 (never retry) or a whole count up to 99999999 (the default is 3))"],
  ['SFN135', 'sfn135-max-delay', 'STANDARD', "States.A.Retry[0].MaxDelaySeconds", "State \"A\" Retry[0] MaxDelaySeconds must be an integer from 1 to 31622401; received 0 (out of range) (fix: set MaxDelaySeconds to a whole number of seconds from 1 to 31622401, or remove it)"],
  ['SFN136', 'sfn136-empty-error-equals', 'STANDARD', "States.A.Catch[0].ErrorEquals", "State \"A\" Catch[0] has an empty ErrorEquals; AWS rejects a catcher that names no error (fix: name at least one error, e.g. \"ErrorEquals\": [\"States.ALL\"], or delete the catcher)"],
  ['SFN137', 'sfn137-jitter', 'STANDARD', "States.A.Retry[0].JitterStrategy", "State \"A\" Retry[0] JitterStrategy must be \"FULL\" or \"NONE\"; received \"RANDOM\" (fix: set \"JitterStrategy\": \"FULL\" (randomised intervals) or \"NONE\" (the default), or remove it)"],
  ['SFN142', 'sfn142-wait-seconds', 'STANDARD', "States.W.Seconds", "Wait state \"W\" Seconds must be an integer from 0 to 99999999; received 1.5 (not an integer) (fix: wait a whole number of seconds from 0 to 99999999, or use SecondsPath/TimestampPath for a value from the input)"],
  ['SFN151', 'sfn151-max-concurrency-integer', 'STANDARD', "States.M.MaxConcurrency", "Map state \"M\" MaxConcurrency must be an integer of at least 0; received 2.5 (not an integer) (fix: set MaxConcurrency to 0 (no limit) or a whole positive limit)"],
  ['SFN152', 'sfn152-fractional-percentage', 'STANDARD', "States.M.ToleratedFailurePercentage", "Map state \"M\" ToleratedFailurePercentage must be a number from 0 to 100; received 100.5 (out of range) (fix: use a percentage from 0 to 100)"],
  ['SFN153', 'sfn153-tolerated-count', 'STANDARD', "States.M.ToleratedFailureCount", "Map state \"M\" ToleratedFailureCount must be an integer of at least 0; received -1 (out of range) (fix: use a whole number of failed items, 0 or more)"],
  ['SFN154', 'sfn154-distributed-without-execution-type', 'STANDARD', "States.M.ItemProcessor.ProcessorConfig.ExecutionType", "Map state \"M\" has \"Mode\": \"DISTRIBUTED\" without \"ExecutionType\"; a distributed Map must say whether its child executions are STANDARD or EXPRESS (fix: add \"ExecutionType\": \"STANDARD\" (up to a year, exactly once) or \"EXPRESS\" (up to five minutes, at least once) beside \"Mode\")"],
  ['SFN180', 'sfn180-unknown-parameter', 'STANDARD', "States.GetOrder.Parameters.Tablename", "Task \"GetOrder\" passes \"Tablename\" to dynamodb:getItem, which has no parameter \"Tablename\"; AWS rejects the definition, and a misspelled target is never granted (fix: rename \"Tablename\" to \"TableName\")"],
  ['SFN180', 'sfn180-jsonata-arguments', 'STANDARD', "States.Send.Arguments.DelaySecond", "Task \"Send\" passes \"DelaySecond\" to sqs:sendMessage, which has no parameter \"DelaySecond\"; AWS rejects the definition, and a misspelled target is never granted (fix: rename \"DelaySecond\" to \"DelaySeconds\")"],
  ['SFN181', 'sfn181-sns-without-target', 'STANDARD', "States.Notify.Parameters", "Task \"Notify\" calls sns:publish without one of \"TopicArn\", \"TargetArn\", \"PhoneNumber\" in Parameters; the call cannot succeed and no permission can be derived for it (fix: add \"TopicArn\": \"<value>\" (or \"TopicArn.$\": \"$.path\") to Parameters (see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html))"],
  ['SFN182', 'sfn182-lambda-sync', 'STANDARD', "States.Run.Resource", "Task \"Run\" uses arn:aws:states:::lambda:invoke.sync, but lambda:invoke has no \".sync\" form; it supports request-response (no suffix), .waitForTaskToken, and AWS rejects the resource (fix: use arn:aws:states:::lambda:invoke or arn:aws:states:::lambda:invoke.waitForTaskToken (see https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html))"],
  ['SFN183', 'sfn183-task-token', 'STANDARD', "States.Ask.Parameters", "Task \"Ask\" waits for a task token (arn:aws:states:::sqs:sendMessage.waitForTaskToken) but its Parameters never pass $$.Task.Token; nobody can call SendTaskSuccess, so it waits until its timeout. Received {\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/123456789012/approvals\",\"Mes... (fix: put the token in the payload, e.g. \"TaskToken.$\": \"$$.Task.Token\" inside the message or payload)"],
  ['SFN184', 'sfn184-substitution-placeholder', 'STANDARD', "States.ValidateOrder.Parameters.FunctionName", "State \"ValidateOrder\" FunctionName \"${ValidateOrderFunction}\" is a CloudFormation-style substitution (DefinitionSubstitutions); nothing substitutes it here: synthesis escapes it for Terraform and AWS would receive the literal text (fix: for a handler of this project write {{lambda \"validate-order\"}} (it creates the function and passes its ARN); otherwise write the FunctionName itself, e.g. from a template variable)"],
];

describe('each rule: the failing fixture reports it, the passing fixture does not', () => {
  test.each(CASES)('%s %s', (code, stem, type, path, message) => {
    const failing = lint(`${stem}.fail`, type);
    expect(failing).toContainEqual({ code, severity: RULES[code].severity, file: `${stem}.fail.asl.json`, path, message });
    const passing = lint(`${stem}.pass`, type);
    expect(passing.filter((f) => f.code === code)).toEqual([]);
    expect(passing.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('every rule code in the catalogue has a fixture case', () => {
    // SFN007 (over 1 MB) and SFN008 (too deep) are generated in 'limits of the input' below, not committed.
    const covered = new Set<string>([...CASES.map(([code]) => code), 'SFN007', 'SFN008']);
    expect(Object.keys(RULES).filter((code) => !covered.has(code as keyof typeof RULES))).toEqual([]);
  });

  test('every fixture file belongs to a case or to the seed', () => {
    const stems = new Set(CASES.map(([, stem]) => stem));
    const strays = readdirSync(FIXTURES).filter((f) => {
      const m = /^(.+)\.(fail|pass)\.asl\.json$/.exec(f);
      return m ? !stems.has(m[1]) : !/^(seed-|syntax-)/.test(f);
    });
    expect(strays).toEqual([]);
  });

  test('src/asl/README.md documents every rule code', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'src', 'asl', 'README.md'), 'utf8');
    expect(Object.keys(RULES).filter((code) => !readme.includes(`| ${code} |`))).toEqual([]);
  });
});

describe("the seed's defects (the rules marked 'seed:' in src/asl/README.md)", () => {
  const codesAt = (name: string): string[] => lint(name).map((f) => `${f.code} ${f.path}`);

  test('TransformData: a ".$" key in a Pass Result is SFN110', () => {
    expect(codesAt('seed-transform-data')).toEqual(['SFN110 States.TransformData.Result.processedAt.$']);
  });

  test('UpdateInventory and HandleError: lambda:invoke without FunctionName is SFN120, and no Task has a timeout (SFN122)', () => {
    const found = codesAt('seed-order-processing');
    expect(found.filter((f) => f.startsWith('SFN120'))).toEqual(['SFN120 States.HandleError.Parameters', 'SFN120 States.UpdateInventory.Parameters']);
    expect(found.filter((f) => f.startsWith('SFN122'))).toHaveLength(4);
  });

  test('the Map example: Iterator is SFN150 (a warning), its Task without FunctionName SFN120', () => {
    const found = lint('seed-map-iterator');
    expect(found.find((f) => f.code === 'SFN150')).toMatchObject({ severity: 'warning', path: 'States.ProcessItems.Iterator' });
    expect(found.find((f) => f.code === 'SFN120')?.path).toBe('States.ProcessItems.Iterator.States.ProcessItem.Parameters');
  });

  test('the order flow without its Catch leaves HandleError unreachable: SFN101', () => {
    expect(codesAt('seed-unreachable')).toContain('SFN101 States.HandleError');
  });

  test('the Parallel example transitions to a CombineResults that does not exist: SFN102, without a second SFN003 for the same cause', () => {
    const found = codesAt('seed-parallel');
    expect(found).toContain('SFN102 States.ParallelProcessing.Next');
    expect(found.filter((f) => f.startsWith('SFN003'))).toEqual([]);
  });

  test('the seed retry snippet misses two of the four Lambda transient errors: SFN121 names them', () => {
    expect(lint('sfn121-lambda-retry.fail').find((f) => f.code === 'SFN121')?.message).toMatch(/^Lambda Task "ProcessPayment" does not retry Lambda.SdkClientException, Lambda.TooManyRequestsException:/);
  });
});

describe('lintDefinition', () => {
  test('does not mutate the definition (asl-validator writes QueryLanguage into what it validates)', () => {
    const definition = load('seed-order-processing');
    const before = JSON.stringify(definition);
    lintDefinition(definition, { file: 'x.asl.json' });
    expect(JSON.stringify(definition)).toBe(before);
  });

  test('sorts errors before warnings', () => {
    const severities = lint('seed-order-processing').map((f) => f.severity);
    expect(severities).toEqual([...severities].sort());
  });

  test('Task timeouts are only a Standard concern', () => {
    expect(lint('sfn122-task-timeout.fail', 'EXPRESS').filter((f) => f.code === 'SFN122')).toEqual([]);
  });

  test('Express-only rules stay quiet for Standard workflows', () => {
    expect(lint('sfn160-express-sync.fail', 'STANDARD').filter((f) => f.code === 'SFN160')).toEqual([]);
  });
});

describe('formatFinding', () => {
  test('prints one line: severity, code, file, path, message', () => {
    const line = formatFinding({ code: 'SFN102', severity: 'error', file: 'workflows/map.asl.json.hbs', path: 'States.X.Next', message: 'Next "Y" names no state (fix: declare it)' });
    expect(line).toBe('error SFN102 workflows/map.asl.json.hbs States.X.Next: Next "Y" names no state (fix: declare it)');
  });

  test('names the root "(root)"', () => {
    expect(formatFinding({ code: 'SFN000', severity: 'error', file: 'a.json', path: '', message: 'm' })).toBe('error SFN000 a.json (root): m');
  });
});

describe('limits of the input: never a stack trace', () => {
  const deep = (n: number): string => `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":${'{"a":'.repeat(n)}1${'}'.repeat(n)},"End":true}}}`;

  test('10,000 levels of nesting is one SFN008 finding, from text and from a parsed value', () => {
    const fromText = lintText(deep(10_000), { file: 'deep.json', rules: {} });
    expect(fromText.map((f) => f.code)).toEqual(['SFN008']);
    expect(fromText[0].message).toMatch(/^the definition is nested more than 1000 levels deep; the lint checks at most 1000 levels/);
    expect(lintDefinition(JSON.parse(deep(10_000)), { file: 'deep.json', rules: {} }).map((f) => f.code)).toEqual(['SFN008']);
  });

  test('990 levels are linted normally', () => {
    expect(lintText(deep(990), { file: 'deep.json', rules: {} }).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a definition over 1 MB is SFN007 with its size; 1 MB less a little passes', () => {
    const withData = (size: number): unknown => ({ StartAt: 'A', States: { A: { Type: 'Pass', Result: { blob: 'x'.repeat(size) }, End: true } } });
    const over = lintDefinition(withData(1_048_576), { file: 'big.json', rules: {} });
    expect(over).toEqual([expect.objectContaining({ code: 'SFN007', severity: 'error', path: '' })]);
    expect(over[0].message).toMatch(/^the definition is 1048\d{3} bytes as compact JSON, above the 1048576-byte \(1 MB\) limit/);
    expect(lintDefinition(withData(1_048_000), { file: 'big.json', rules: {} }).filter((f) => f.code === 'SFN007')).toEqual([]);
  });

  test('multi-byte characters count as bytes, as the request limit does', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Result: { blob: 'é'.repeat(600_000) }, End: true } } };
    expect(lintDefinition(def, { file: 'big.json', rules: {} }).map((f) => f.code)).toEqual(['SFN007']);
  });

  test('a duplicate key anywhere (not only States) names both lines', () => {
    const text = '{\n "StartAt": "A",\n "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",\n  "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:a", "Message": "m",\n  "TopicArn": "arn:aws:sns:us-east-1:123456789012:b"}, "TimeoutSeconds": 5, "End": true}}\n}';
    const dup = lintText(text, { file: 'd.json', rules: {} }).filter((f) => f.code === 'SFN009');
    expect(dup).toEqual([expect.objectContaining({ path: 'States.A.Parameters.TopicArn' })]);
    expect(dup[0].message).toMatch(/^key "TopicArn" appears twice in States.A.Parameters: at line 4 column \d+ and at line 5 column \d+;/);
  });

  test('keys with escapes and strings with brackets do not confuse the duplicate scan', () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a\\"b":"{[","a\\u0022c":"]}","x":["{","}"]},"End":true}}}';
    expect(lintText(text, { file: 'e.json', rules: {} }).filter((f) => f.code === 'SFN009')).toEqual([]);
  });
});

describe('optimized integrations', () => {
  const task = (resource: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, Parameters: params, TimeoutSeconds: 30, End: true, ...extra } } });
  const codes = (definition: unknown): string[] => lintDefinition(definition, { file: 't.json', rules: {} }).map((f) => `${f.code} ${f.path}`);

  test('a ".$" suffix is the same parameter name', () => {
    expect(codes(task('arn:aws:states:::dynamodb:putItem', { 'TableName.$': '$.table', 'Item.$': '$.item' })).filter((c) => /SFN18[01]/.test(c))).toEqual([]);
  });

  test('a misspelled dynamic parameter keeps its ".$" in the fix', () => {
    const f = lintDefinition(task('arn:aws:states:::dynamodb:putItem', { 'Tablename.$': '$.table', Item: {} }), { file: 't.json', rules: {} }).find((x) => x.code === 'SFN180');
    expect(f?.message).toMatch(/\(fix: rename "Tablename\.\$" to "TableName\.\$"\)$/);
  });

  test('SQS needs both QueueUrl and MessageBody; a missing one is named', () => {
    const f = lintDefinition(task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }), { file: 't.json', rules: {} }).filter((x) => x.code === 'SFN181');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^Task "T" calls sqs:sendMessage without "MessageBody" in Parameters;/)]);
  });

  test('an unknown action of a fully listed service is SFN182 with the closest one', () => {
    const f = lintDefinition(task('arn:aws:states:::lambda:invok', { FunctionName: 'f' }), { file: 't.json', rules: {} }).find((x) => x.code === 'SFN182');
    expect(f?.message).toMatch(/did you mean arn:aws:states:::lambda:invoke\?/);
  });

  test('AWS SDK integrations have no .sync; their callbacks are fine', () => {
    expect(codes(task('arn:aws:states:::aws-sdk:s3:getObject.sync', { Bucket: 'b', Key: 'k' }))).toContain('SFN182 States.T.Resource');
    expect(codes(task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' })).filter((c) => c.startsWith('SFN18'))).toEqual([]);
  });

  test('startExecution has .sync, .sync:2 and callbacks; an unknown parameter there is reported', () => {
    for (const suffix of ['', '.sync', '.sync:2']) expect(codes(task(`arn:aws:states:::states:startExecution${suffix}`, { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: {} })).filter((c) => c.startsWith('SFN18'))).toEqual([]);
    expect(codes(task('arn:aws:states:::states:startExecution', { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Inputs: {} }))).toContain('SFN180 States.T.Parameters.Inputs');
  });

  test('the task token: "$$" (the whole context) and an intrinsic over $$.Task.Token pass; a literal string does not', () => {
    const sqs = (body: unknown): unknown => task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q', MessageBody: body });
    expect(codes(sqs({ 'ctx.$': '$$' }))).not.toContain('SFN183 States.T.Parameters');
    expect(codes(sqs({ 'msg.$': "States.Format('token={}', $$.Task.Token)" }))).not.toContain('SFN183 States.T.Parameters');
    expect(codes(sqs({ token: '$$.Task.Token' }))).toContain('SFN183 States.T.Parameters');
    expect(codes(sqs({ 'id.$': '$$.Execution.Id' }))).toContain('SFN183 States.T.Parameters');
  });

  test('the task token in JSONata: $states.context passes', () => {
    const def = (args: unknown): unknown => ({ QueryLanguage: 'JSONata', StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Arguments: args, TimeoutSeconds: 30, End: true } } });
    expect(codes(def({ FunctionName: 'f', Payload: { token: '{% $states.context.Task.Token %}' } }))).not.toContain('SFN183 States.T.Arguments');
    expect(codes(def({ FunctionName: 'f', Payload: '{% $states.input %}' }))).toContain('SFN183 States.T.Arguments');
  });
});

describe('SFN125 says what the derived policy grants (src/asl/iam.ts), not a fixed "*"', () => {
  const task = (resource: string, fields: Record<string, unknown>, jsonata = false) => ({
    ...(jsonata ? { QueryLanguage: 'JSONata' } : {}),
    StartAt: 'A',
    States: { A: { Type: 'Task', Resource: resource, ...fields, TimeoutSeconds: 30, End: true } },
  });
  const sfn125 = (definition: Record<string, unknown>) => lintDefinition(definition, { file: 'x.asl.json', rules: {} }).filter((f) => f.code === 'SFN125').map((f) => f.message.replace(/ \(fix: .*$/, ''));

  test('a bus computed at run time on a rule call: the rule on the default bus and on any bus (JSONata too); both computed: every rule', () => {
    const rules = 'arn:<partition>:events:<region>:<account>:rule';
    expect(sfn125(task('arn:aws:states:::aws-sdk:eventbridge:putTargets', { Arguments: { Rule: 'r', EventBusName: '{% $states.input.bus %}', Targets: [] } }, true))).toEqual([
      `Task "A" takes its EventBusName from "{% $states.input.bus %}" at run time, so the derived IAM policy grants events:PutTargets on "${rules}/r" and "${rules}/*/r"`,
    ]);
    expect(sfn125(task('arn:aws:states:::aws-sdk:eventbridge:describeRule', { Parameters: { 'Name.$': '$.rule', 'EventBusName.$': '$.bus' } }))).toEqual([
      `Task "A" takes its EventBusName from "$.bus" at run time, so the derived IAM policy grants events:DescribeRule on "${rules}/*"`,
    ]);
  });

  test('the grants one computed target makes, merged when on the same resources', () => {
    expect(sfn125(task('arn:aws:states:::states:startExecution.sync:2', { Parameters: { 'StateMachineArn.$': '$.machine', Input: {} } }))).toEqual([
      'Task "A" takes its StateMachineArn from "$.machine" at run time, so the derived IAM policy grants states:StartExecution, states:DescribeExecution, states:StopExecution on "*"',
    ]);
  });

  test('fail: a field the integration does not target, or an integration the table does not know, claims no grant', () => {
    expect(sfn125(task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f', 'TableName.$': '$.t' } }))).toEqual([
      'Task "A" takes its TableName from "$.t" at run time, so an IAM policy cannot name it in advance',
    ]);
    expect(sfn125(task('arn:aws:states:::aws-sdk:apigateway:getRestApi', { Parameters: { 'FunctionName.$': '$.f' } }))).toEqual([
      'Task "A" takes its FunctionName from "$.f" at run time, so an IAM policy cannot name it in advance',
    ]);
  });
});

describe('fragments and schema messages', () => {
  test('"States" without StartAt: one SFN100, then every state is linted, nested scopes fully', () => {
    const fragment = { States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.sync', Parameters: { FunctionName: 'f' }, Next: 'Elsewhere' }, P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Next: 'Gone' } } }], End: true } } };
    const found = lintDefinition(fragment, { file: 'f.json', rules: {} }).filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}`);
    expect(found).toEqual(['SFN100 StartAt', 'SFN182 States.A.Resource', 'SFN102 States.P.Branches[0].States.X.Next']);
  });

  test('an enum violation names every allowed value and what was received, once, without the other state types\' noise', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPathX', End: true } } };
    expect(lintDefinition(def, { file: 'j.json', rules: {} }).map((f) => `${f.code} ${f.path}: ${f.message.replace(/ \(fix: .*$/, '')}`)).toEqual([
      'SFN001 States.A.QueryLanguage: schema: States.A.QueryLanguage must be one of "JSONPath", "JSONata"; received "JSONPathX"',
    ]);
  });
});

describe('project configuration (sfn-lint.json)', () => {
  const fixture = (): unknown => load('sfn110-pass-result-dollar.fail');

  test('the catalogue makes SFN110 a warning; the project file turns it up to an error', () => {
    expect(RULES.SFN110.severity).toBe('warning');
    expect(lintDefinition(fixture(), { file: 'x.json', rules: {} }).find((f) => f.code === 'SFN110')?.severity).toBe('warning');
    expect(loadLintConfig().SFN110).toBe('error');
    expect(lintDefinition(fixture(), { file: 'x.json' }).find((f) => f.code === 'SFN110')?.severity).toBe('error');
  });

  test('"off" drops a rule, "warning" turns an error down', () => {
    expect(lintDefinition(fixture(), { file: 'x.json', rules: { SFN110: 'off' } }).filter((f) => f.code === 'SFN110')).toEqual([]);
    const bad = load('sfn102-missing-target.fail');
    expect(lintDefinition(bad, { file: 'x.json', rules: { SFN102: 'warning' } }).find((f) => f.code === 'SFN102')?.severity).toBe('warning');
  });

  test('settings may carry a reason: ["error", "why"]', () => {
    expect(parseLintConfig('{"rules": {"SFN122": ["off", "Express-like tasks"], "SFN110": "error"}}', 'sfn-lint.json')).toEqual({ SFN122: 'off', SFN110: 'error' });
  });

  test.each([
    ['{"rules": {"SFN999": "error"}}', 'sfn-lint.json: rules."SFN999" is not a rule code. Codes are listed in src/asl/README.md (SFN000-SFN183).'],
    ['{"rules": {"sfn110": "error"}}', 'sfn-lint.json: rules."sfn110" is not a rule code; did you mean "SFN110"? Codes are listed in src/asl/README.md (SFN000-SFN183).'],
    ['{"rules": {"SFN110": "fatal"}}', 'sfn-lint.json: rules."SFN110" must be "error", "warning" or "off"; received "fatal".'],
    ['{"rule": {}}', 'sfn-lint.json: unknown key "rule". The file holds "rules" (and optionally "comment"), e.g. {"rules": {"SFN110": "error"}}.'],
    ['[]', 'sfn-lint.json: must be a JSON object such as {"rules": {"SFN110": "error"}}; received an array.'],
  ])('%s is a one-line project error', (text, message) => {
    expect(() => parseLintConfig(text, 'sfn-lint.json')).toThrow(new LintConfigError(message));
  });

  test('a file that is not JSON names the file', () => {
    expect(() => parseLintConfig('{rules:', 'sfn-lint.json')).toThrow(/^sfn-lint\.json: not valid JSON: /);
  });

  test('a directory without the file gets the catalogue defaults; a file there is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-lint-'));
    expect(loadLintConfig(dir)).toEqual({});
    const other = mkdtempSync(join(tmpdir(), 'sfn-lint-'));
    writeFileSync(join(other, 'sfn-lint.json'), '{"rules": {"SFN122": "off"}}');
    expect(loadLintConfig(other)).toEqual({ SFN122: 'off' });
  });
});
