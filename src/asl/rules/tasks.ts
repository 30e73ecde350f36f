import { isObject, type StateRef } from '../graph';
import { derivePermissionsOfState, LINTED_DYNAMIC_TARGETS, type PermissionRow } from '../iam';
import { show, type Rule } from './context';

const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:[^:]*:function:/;

/** The errors AWS documents as transient for Lambda and recommends retrying. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

function resourceOf(ref: StateRef): string | undefined {
  return ref.state.Type === 'Task' && typeof ref.state.Resource === 'string' ? ref.state.Resource : undefined;
}

export function isLambdaTask(ref: StateRef): boolean {
  const resource = resourceOf(ref);
  return resource !== undefined && (LAMBDA_INVOKE.test(resource) || LAMBDA_FUNCTION_ARN.test(resource));
}

/** SFN120: AWS rejects lambda:invoke without a FunctionName (seed: UpdateInventory, HandleError). */
export const lambdaFunctionNameRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    const resource = resourceOf(ref);
    if (resource === undefined || !LAMBDA_INVOKE.test(resource)) continue;
    if (ref.queryLanguage === 'JSONata') {
      const args = ref.state.Arguments;
      // An expression string can only be judged at run time.
      if (typeof args === 'string') continue;
      if (isObject(args) && 'FunctionName' in args) continue;
      ctx.report('SFN120', `${ref.path}.Arguments`, `Task "${ref.name}" calls ${resource} without Arguments.FunctionName; AWS rejects the definition`, `add "Arguments": {"FunctionName": "<function ARN>", "Payload": "{% $states.input %}"}`);
    } else {
      const params = ref.state.Parameters;
      if (isObject(params) && ('FunctionName' in params || 'FunctionName.$' in params)) continue;
      ctx.report('SFN120', `${ref.path}.Parameters`, `Task "${ref.name}" calls ${resource} without Parameters.FunctionName; AWS rejects the definition`, `add "Parameters": {"FunctionName": "<function ARN>", "Payload.$": "$"} (in a template: the lambda helper)`);
    }
  }
};

function retriedErrors(state: Record<string, unknown>): Set<string> {
  const covered = new Set<string>();
  if (!Array.isArray(state.Retry)) return covered;
  for (const retrier of state.Retry) {
    if (!isObject(retrier) || retrier.MaxAttempts === 0 || !Array.isArray(retrier.ErrorEquals)) continue;
    for (const e of retrier.ErrorEquals) if (typeof e === 'string') covered.add(e);
  }
  return covered;
}

/** SFN121: Lambda throttles and service hiccups are routine; without a retrier one of them fails the execution. */
export const lambdaRetryRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (!isLambdaTask(ref)) continue;
    const covered = retriedErrors(ref.state);
    // States.TaskFailed matches every task error except States.Timeout, so it covers these too.
    if (covered.has('States.ALL') || covered.has('States.TaskFailed')) continue;
    const missing = LAMBDA_TRANSIENT_ERRORS.filter((e) => !covered.has(e));
    if (missing.length === 0) continue;
    ctx.report(
      'SFN121',
      `${ref.path}.Retry`,
      `Lambda Task "${ref.name}" does not retry ${missing.join(', ')}: a transient Lambda error fails the execution`,
      `add a first retrier {"ErrorEquals": ${JSON.stringify(LAMBDA_TRANSIENT_ERRORS)}, "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"}`,
    );
  }
};

/** SFN122: a Standard workflow waits on a stuck task until the execution's one-year limit. */
export const taskTimeoutRule: Rule = (ctx) => {
  if (ctx.type !== 'STANDARD') return;
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Task') continue;
    if ('TimeoutSeconds' in ref.state || 'TimeoutSecondsPath' in ref.state) continue;
    ctx.report(
      'SFN122',
      ref.path,
      `Task "${ref.name}" has no TimeoutSeconds: in a Standard workflow a stuck call holds the execution until its one-year limit`,
      `set "TimeoutSeconds" a little above the task's worst normal duration (for Lambda: the function timeout plus a few seconds)`,
    );
  }
};

/** SFN123: AWS rejects Credentials without a role to assume (SCHEMA_VALIDATION_FAILED on RoleArn). */
export const credentialsRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (!('Credentials' in ref.state)) continue;
    const creds = ref.state.Credentials;
    if (isObject(creds) && ('RoleArn' in creds || 'RoleArn.$' in creds)) continue;
    ctx.report('SFN123', `${ref.path}.Credentials`, `State "${ref.name}" has Credentials ${show(creds)} without RoleArn; AWS rejects the definition`, `set "Credentials": {"RoleArn": "<role ARN to assume>"} or remove Credentials to use the state machine's role`);
  }
};

/** SFN124: a heartbeat at or beyond the timeout can never fire, and AWS rejects it. */
export const heartbeatRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    const { HeartbeatSeconds: hb, TimeoutSeconds: to } = ref.state;
    if (typeof hb === 'number' && typeof to === 'number' && hb >= to) {
      ctx.report('SFN124', `${ref.path}.HeartbeatSeconds`, `Task "${ref.name}" has HeartbeatSeconds ${hb} not below TimeoutSeconds ${to}`, 'make HeartbeatSeconds smaller than TimeoutSeconds, or drop it');
    }
  }
};

/** Where the lint, which knows no stage, builds ARNs: placeholders that read as what the stage fills in. */
const STAGE_UNKNOWN = { partition: '<partition>', region: '<region>', accountId: '<account>' };

/**
 * What the derived policy grants because `key` is computed at run time, said
 * from the derivation itself (src/asl/iam.ts): `*` for most targets, the rule
 * on any bus for an EventBusName on a rule call. When the derivation names no
 * such grant (the integration does not target `key`, or is unknown), it says less.
 */
function grantedFor(ref: StateRef, key: string): string {
  let rows: PermissionRow[] = [];
  try {
    rows = derivePermissionsOfState(ref.state, ref.queryLanguage, { workflow: ref.name, file: ref.path, arn: STAGE_UNKNOWN });
  } catch {
    // An integration the table does not know: its grant is the escape hatch's.
  }
  const broad = rows.filter((r) => r.dynamicField?.split(/ and | or /).includes(key));
  if (broad.length === 0) return 'so an IAM policy cannot name it in advance';
  const byResources = new Map<string, string[]>();
  for (const row of broad) {
    const on = row.resources.map((r) => `"${r}"`).join(' and ');
    byResources.set(on, [...new Set([...(byResources.get(on) ?? []), ...row.actions])]);
  }
  return `so the derived IAM policy grants ${[...byResources].map(([on, actions]) => `${actions.join(', ')} on ${on}`).join('; ')}`;
}

/** SFN125: when the target comes from the input, least-privilege IAM cannot name it; the message says what is granted instead. */
export const dynamicTargetRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (resourceOf(ref) === undefined) continue;
    const jsonata = ref.queryLanguage === 'JSONata';
    const args = jsonata ? ref.state.Arguments : ref.state.Parameters;
    if (!isObject(args)) continue;
    for (const key of LINTED_DYNAMIC_TARGETS) {
      const dynamic = jsonata ? typeof args[key] === 'string' && (args[key] as string).trim().startsWith('{%') : `${key}.$` in args;
      if (!dynamic) continue;
      const field = jsonata ? key : `${key}.$`;
      ctx.report(
        'SFN125',
        `${ref.path}.${jsonata ? 'Arguments' : 'Parameters'}.${field}`,
        `Task "${ref.name}" takes its ${key} from ${show(args[field])} at run time, ${grantedFor(ref, key)}`,
        `name the ${key} in the definition (a template variable or helper) so the policy can name it; keep it dynamic only when the set of targets is open`,
      );
    }
  }
};
