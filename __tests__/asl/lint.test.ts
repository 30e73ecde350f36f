import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatFinding, lintDefinition, RULES, type Finding } from '../../src/asl/lint';

const FIXTURES = join(__dirname, 'fixtures');
const load = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8'));

// asl-validator costs ~100 ms a call; each fixture is linted once per type.
const cache = new Map<string, Finding[]>();
function lint(name: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Finding[] {
  const key = `${name}:${type}`;
  if (!cache.has(key)) cache.set(key, lintDefinition(load(name), { file: `${name}.asl.json`, type }));
  return cache.get(key) as Finding[];
}

/** [code, fixture stem (…fail / …pass), workflow type, path of the finding, exact message]. */
const CASES: Array<[keyof typeof RULES, string, 'STANDARD' | 'EXPRESS', string, string]> = [
  ['SFN000', 'sfn000-not-object', 'STANDARD', "", "the definition must be a JSON object with StartAt and States; received an array (fix: render or write a JSON object such as {\"StartAt\": \"First\", \"States\": {...}})"],
  ['SFN001', 'sfn001-schema', 'STANDARD', "States.A", "schema: States.A must match exactly one schema in oneOf (fix: look for an unknown or misspelled field, a value of the wrong type, or a field of the other query language; compare the field with the Amazon States Language reference for this state type (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html))"],
  ['SFN002', 'sfn002-duplicate-names', 'STANDARD', "States.P.Branches[0].States.Done", "A state with this name already exists: Done (fix: give every state a name unique across the whole definition, including branches and processors)"],
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
  ['SFN110', 'sfn110-pass-result-dollar', 'STANDARD', "States.TransformData.Result.processedAt.$", "Pass state \"TransformData\" has \"processedAt.$\": \"$$.State.EnteredTime\" inside Result, which is static: the output keeps the literal key \"processedAt.$\" and the path is never evaluated (fix: move the key into \"Parameters\" (JSONPath) or compute it in \"Output\" (JSONata), e.g. \"Parameters\": {\"processedAt.$\": \"$$.State.EnteredTime\"})"],
  ['SFN111', 'sfn111-dollar-value', 'STANDARD', "States.A.Parameters.id.$", "\"id.$\": \"order.id\" is not a valid JSONPath (\"$.x\"), context path (\"$$.Execution.Id\"), variable (\"$name\") or intrinsic function call (\"States.Format(...)\") (fix: fix the expression, or drop the \".$\" suffix from the key if \"order.id\" is meant literally)"],
  ['SFN112', 'sfn112-intrinsic-escape', 'STANDARD', "States.A.Parameters.parsed.$", "\"parsed.$\": intrinsic function string contains the escape \\\", which AWS rejects; only \\' \\{ \\} and \\\\ are allowed inside intrinsic strings (fix: write the character without a backslash (a double quote needs no escape inside single quotes), e.g. 'He said \"hi\"')"],
  ['SFN120', 'sfn120-jsonata-arguments', 'STANDARD', "States.A.Arguments", "Task \"A\" calls arn:aws:states:::lambda:invoke without Arguments.FunctionName; AWS rejects the definition (fix: add \"Arguments\": {\"FunctionName\": \"<function ARN>\", \"Payload\": \"{% $states.input %}\"})"],
  ['SFN120', 'sfn120-lambda-function-name', 'STANDARD', "States.UpdateInventory.Parameters", "Task \"UpdateInventory\" calls arn:aws:states:::lambda:invoke without Parameters.FunctionName; AWS rejects the definition (fix: add \"Parameters\": {\"FunctionName\": \"<function ARN>\", \"Payload.$\": \"$\"} (in a template: the lambda helper))"],
  ['SFN121', 'sfn121-lambda-retry', 'STANDARD', "States.ProcessPayment.Retry", "Lambda Task \"ProcessPayment\" does not retry Lambda.SdkClientException, Lambda.TooManyRequestsException: a transient Lambda error fails the execution (fix: add a first retrier {\"ErrorEquals\": [\"Lambda.ServiceException\",\"Lambda.AWSLambdaException\",\"Lambda.SdkClientException\",\"Lambda.TooManyRequestsException\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2, \"JitterStrategy\": \"FULL\"})"],
  ['SFN122', 'sfn122-task-timeout', 'STANDARD', "States.A", "Task \"A\" has no TimeoutSeconds: in a Standard workflow a stuck call holds the execution until its one-year limit (fix: set \"TimeoutSeconds\" a little above the task's worst normal duration (for Lambda: the function timeout plus a few seconds))"],
  ['SFN123', 'sfn123-credentials', 'STANDARD', "States.A.Credentials", "State \"A\" has Credentials {} without RoleArn; AWS rejects the definition (fix: set \"Credentials\": {\"RoleArn\": \"<role ARN to assume>\"} or remove Credentials to use the state machine's role)"],
  ['SFN124', 'sfn124-heartbeat', 'STANDARD', "States.A.HeartbeatSeconds", "Task \"A\" has HeartbeatSeconds 30 not below TimeoutSeconds 30 (fix: make HeartbeatSeconds smaller than TimeoutSeconds, or drop it)"],
  ['SFN125', 'sfn125-dynamic-target', 'STANDARD', "States.A.Parameters.FunctionName.$", "Task \"A\" takes its FunctionName from \"$.fn\" at run time, so the derived IAM policy must allow the action on \"*\" (fix: name the FunctionName in the definition (a template variable or helper) so the policy can name it; keep it dynamic only when the set of targets is open)"],
  ['SFN130', 'sfn130-retry-states-all', 'STANDARD', "States.A.Retry[1].ErrorEquals", "States.ALL must appear alone in ErrorEquals; received [\"States.ALL\",\"Custom.Error\"] (fix: move [\"Custom.Error\"] into an earlier retrier and keep [\"States.ALL\"] on its own)"],
  ['SFN131', 'sfn131-catch-states-all', 'STANDARD', "States.A.Catch[0].ErrorEquals", "the Catch entry with States.ALL is number 1 of 2; it must be the last, since it matches everything after it (fix: move this catcher to the end of Catch)"],
  ['SFN132', 'sfn132-interval', 'STANDARD', "States.A.Retry[0].IntervalSeconds", "Retry IntervalSeconds must be an integer of at least 1; received 0 (fix: set IntervalSeconds to 1 or more (the default is 1))"],
  ['SFN133', 'sfn133-backoff', 'STANDARD', "States.A.Retry[0].BackoffRate", "Retry BackoffRate must be at least 1.0; received 0.5 (fix: set BackoffRate to 1.0 (constant interval) or more (the default is 2.0))"],
  ['SFN134', 'sfn134-max-attempts', 'STANDARD', "States.A.Retry[0].MaxAttempts", "Retry MaxAttempts must be 0 or more; received -1 (fix: set MaxAttempts to 0 (never retry) or a positive count (the default is 3))"],
  ['SFN140', 'sfn140-wait-fields', 'STANDARD', "States.W", "Wait state \"W\" must have exactly one of Seconds, Timestamp, SecondsPath or TimestampPath; it has Seconds, TimestampPath (fix: keep one of Seconds, TimestampPath and delete the others)"],
  ['SFN141', 'sfn141-wait-timestamp', 'STANDARD', "States.W.Timestamp", "Wait state \"W\" Timestamp \"2024-02-30T10:00:00Z\" is not an RFC 3339 date-time with a zone and a valid calendar date (fix: write it like \"2026-03-14T01:59:00Z\" (uppercase T, Z or +hh:mm), or use TimestampPath for a value from the input)"],
  ['SFN150', 'sfn150-iterator', 'STANDARD', "States.ProcessItems.Iterator", "Map state \"ProcessItems\" uses the deprecated \"Iterator\"; AWS still accepts it but has replaced it with \"ItemProcessor\" (fix: rename \"Iterator\" to \"ItemProcessor\", add \"ProcessorConfig\": {\"Mode\": \"INLINE\"} inside it, and rename the Map's \"Parameters\" to \"ItemSelector\")"],
  ['SFN151', 'sfn151-max-concurrency', 'STANDARD', "States.M.MaxConcurrency", "Map state \"M\" MaxConcurrency must be >= 0; received -1 (fix: set MaxConcurrency to 0 (no limit) or a positive limit)"],
  ['SFN152', 'sfn152-tolerated-percentage', 'STANDARD', "States.M.ToleratedFailurePercentage", "Map state \"M\" ToleratedFailurePercentage must be between 0 and 100; received 150 (fix: use a percentage from 0 to 100)"],
  ['SFN160', 'sfn160-express-sync', 'EXPRESS', "States.Run.Resource", "Task \"Run\" uses arn:aws:states:::states:startExecution.sync:2; Express workflows do not support \".sync\" integrations and AWS rejects the definition (fix: call the plain (request-response) integration and poll, or make the workflow STANDARD)"],
  ['SFN161', 'sfn161-express-callback', 'EXPRESS', "States.Ask.Resource", "Task \"Ask\" uses arn:aws:states:::sqs:sendMessage.waitForTaskToken; Express workflows do not support \".waitForTaskToken\" callbacks and AWS rejects the definition (fix: make the workflow STANDARD, or drop the callback and use the request-response integration)"],
  ['SFN162', 'sfn162-express-long-wait', 'EXPRESS', "States.W.Seconds", "Wait state \"W\" waits 600 s, but an Express execution ends after 300 s (fix: wait 300 seconds or less, or make the workflow STANDARD)"],
  ['SFN163', 'sfn163-express-timeout', 'EXPRESS', "TimeoutSeconds", "Express workflow TimeoutSeconds is 900, above the 300-second Express maximum (fix: set TimeoutSeconds to 300 or less, or make the workflow STANDARD in workflows/catalogue.ts)"],
  ['SFN164', 'sfn164-express-activity', 'EXPRESS', "States.Work.Resource", "Task \"Work\" uses the activity arn:aws:states:us-east-1:123456789012:activity:manual-review; Express workflows do not support activities (fix: replace the activity with a Lambda or service integration, or make the workflow STANDARD)"],
  ['SFN170', 'sfn170-jsonpath-field-in-jsonata', 'STANDARD', "States.A.Parameters", "State \"A\" is JSONata but has \"Parameters\", which only JSONPath states accept (fix: use \"Arguments\" (Task), \"Output\" (Pass) or \"ItemSelector\" (Map), or set \"QueryLanguage\": \"JSONPath\" on the state)"],
  ['SFN171', 'sfn171-jsonata-field-in-jsonpath', 'STANDARD', "States.A.Output", "State \"A\" is JSONPath but has \"Output\", which only JSONata states accept (fix: use \"ResultSelector\"/\"ResultPath\"/\"OutputPath\" (or Parameters in a Pass), or set \"QueryLanguage\": \"JSONata\" on the state)"],
  ['SFN172', 'sfn172-query-language-downgrade', 'STANDARD', "States.A.QueryLanguage", "State \"A\" sets QueryLanguage \"JSONPath\" but the state machine is JSONata; AWS only allows JSONPath states under a JSONPath machine (fix: rewrite the state in JSONata and drop its QueryLanguage, or make the machine JSONPath and opt single states into JSONata)"],
  ['SFN173', 'sfn173-jsonata-syntax', 'STANDARD', "States.A.Output.total", "JSONata expression \"{% $sum($states.input.items.price %}\" does not parse: Expected \")\" before end of expression (fix: fix the expression (try it at https://try.jsonata.org with version 2.0.6))"],
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
    const covered = new Set(CASES.map(([code]) => code));
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
