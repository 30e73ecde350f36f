/**
 * asl-validator 4 builds a new Ajv and compiles all fifteen of its schemas on
 * every call (100-900 ms measured here), and the renderer lints on every render.
 * This runs the same checks with the schemas compiled once: the same schema
 * files, formats, error selection and state checks as its validator.js,
 * loaded from asl-validator's own folder so the versions always match.
 * If its internal layout ever changes, `loadCached` fails and we fall back to the
 * public function (slow but correct); a test asserts both give the same errors.
 */
import type aslValidatorFn from 'asl-validator';
import { createRequire } from 'node:module';

export interface AslError {
  'Error code': string;
  Message: string;
  schemaError?: { instancePath: string; schemaPath: string };
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}
type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
type Check = { filter: (entry: unknown) => boolean; checker: (entry: unknown) => AslError | null };

const SCHEMAS = ['common', 'paths', 'jsonata', 'choice', 'fail', 'parallel', 'pass', 'base-state-machine', 'state-machine', 'state', 'succeed', 'task', 'wait', 'map', 'errors'];

interface Cached {
  validate: ValidateFn;
  jsonPath: (options: { path: string; json: unknown }) => unknown[];
  duplicateStateNames: (definition: unknown) => AslError[];
  stateChecks: (definition: unknown, options: unknown, checks: Check[]) => AslError[];
  checks: Check[];
}

let cached: Cached | null | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
function loadCached(): Cached | null {
  try {
    const req = createRequire(require.resolve('asl-validator'));
    const Ajv = req('ajv').default;
    const addFormats = req('ajv-formats').default;
    const jsonata = req('jsonata');
    const { registerAll } = req('asl-path-validator');
    const { isArnFormatValid } = req('./checks/formats');
    const { JSONPath } = req('jsonpath-plus');
    const { duplicateStateNames } = req('./checks/duplicate-state-names-errors');
    const sc = req('./checks/state-checks');
    const codes = req('./types').StateMachineErrorCode;

    const ajv = new Ajv({ schemas: SCHEMAS.map((n) => req(`./schemas/${n}.json`)), allowUnionTypes: true });
    addFormats(ajv);
    const validJsonata = (value: string): boolean => {
      let expr = value.trim();
      expr = expr.startsWith('{%') ? expr.slice(2) : expr;
      expr = expr.endsWith('%}') ? expr.slice(0, -2) : expr;
      try {
        jsonata(expr);
        return true;
      } catch {
        return false;
      }
    };
    ajv.addFormat('jsonata_string', validJsonata);
    ajv.addFormat('maybe_jsonata_string', (v: string) => (v.trim().startsWith('{%') || v.trim().endsWith('%}') ? validJsonata(v.trim()) : true));
    registerAll(ajv);
    ajv.addFormat('asl_arn', isArnFormatValid);
    const validate: ValidateFn = ajv.getSchema('http://asl-validator.cloud/state-machine.json#');

    // The same list as asl-validator's validator.js, minus WAIT_DURATION (our SFN140 reports it).
    const map = (props: string[], errorCode: string, path?: string): Check => ({ filter: sc.IsMap, checker: sc.AtMostOne({ props, errorCode, path }) });
    const checks: Check[] = [
      { filter: sc.IsTask, checker: sc.AtMostOne({ props: ['TimeoutSeconds', 'TimeoutSecondsPath'], errorCode: codes.TaskTimeoutError }) },
      { filter: sc.IsTask, checker: sc.AtMostOne({ props: ['HeartbeatSeconds', 'HeartbeatSecondsPath'], errorCode: codes.TaskHeartbeatError }) },
      { filter: sc.IsMap, checker: sc.ExactlyOne({ props: ['ItemProcessor', 'Iterator'], errorCode: codes.MapItemProcessorError }) },
      map(['ItemSelector', 'Parameters'], codes.MapItemSelectorError),
      {
        filter: (e) => !(sc.IsSucceed(e) || sc.IsFail(e) || sc.IsChoice(e)),
        checker: sc.ExactlyOne({ props: ['End', 'Next'], errorCode: codes.TerminalStateWithNextError }),
      },
      map(['ToleratedFailureCount', 'ToleratedFailureCountPath'], codes.MapToleratedFailureError),
      map(['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'], codes.MapToleratedFailureError),
      map(['MaxConcurrency', 'MaxConcurrencyPath'], codes.MapMaxConcurrencyError),
      map(['Items', 'ItemsPath'], codes.MapItemsError),
      map(['MaxItems', 'MaxItemsPath'], codes.MapItemReaderMaxItemsError, '$.ItemReader.ReaderConfig'),
      map(['MaxItemsPerBatch', 'MaxItemsPerBatchPath'], codes.MapItemBatcherError, '$.ItemBatcher'),
      map(['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'], codes.MapItemBatcherError, '$.ItemBatcher'),
      { filter: sc.IsFail, checker: sc.AtMostOne({ props: ['Cause', 'CausePath'], errorCode: codes.FailCauseProperty }) },
      { filter: sc.IsFail, checker: sc.AtMostOne({ props: ['Error', 'ErrorPath'], errorCode: codes.FailErrorProperty }) },
    ];
    if (typeof validate !== 'function' || typeof duplicateStateNames !== 'function' || typeof sc.stateChecks !== 'function') return null;
    return { validate, jsonPath: JSONPath, duplicateStateNames, stateChecks: sc.stateChecks, checks };
  } catch {
    return null;
  }
}

/** asl-validator's choice among Ajv's errors: the deepest ones, oneOf preferred, no duplicates. */
function selectSchemaErrors(errors: AjvError[]): AslError[] {
  let selected: AjvError[] = [];
  let deepest = 0;
  for (const error of errors) {
    const depth = error.instancePath.split('/').length;
    if (depth === deepest) selected.push(error);
    else if (depth > deepest) selected = [error];
    deepest = Math.max(deepest, depth);
  }
  const oneOfPaths = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const out: AslError[] = selected
    .filter((e) => e.keyword === 'oneOf' || !oneOfPaths.has(e.instancePath))
    .map((e) => {
      const schemaError = { instancePath: e.instancePath, schemaPath: decodeURIComponent(e.schemaPath) };
      // Ajv's params (the allowed values of an enum, ...) let validator.ts write a better message;
      // non-enumerable so the errors still compare equal to the public validator's.
      Object.defineProperty(schemaError, 'params', { value: e.params, enumerable: false });
      return { 'Error code': 'SCHEMA_VALIDATION_FAILED', Message: `${e.instancePath} is invalid. ${e.message ?? ''}`, schemaError };
    });
  return out.filter((v, i) => out.findIndex((w) => w.schemaError?.schemaPath === v.schemaError?.schemaPath && w.schemaError?.instancePath === v.schemaError?.instancePath) === i);
}

/** The errors asl-validator reports for `definition`, without mutating it. */
export function aslValidatorErrors(definition: Record<string, unknown>): AslError[] {
  if (cached === undefined) cached = loadCached();
  const copy = structuredClone(definition);
  if (cached === null) {
    // Loaded here, not at the top: a synthesis whose lint results are all cached never needs it.
    const aslValidator = require('asl-validator') as typeof aslValidatorFn; // module.exports is the function
    return aslValidator(copy).errors;
  }
  const language = copy.QueryLanguage ?? 'JSONPath';
  for (const states of cached.jsonPath({ path: '$..States', json: copy })) {
    if (typeof states !== 'object' || states === null) continue;
    for (const state of Object.values(states as Record<string, Record<string, unknown>>)) {
      if (state && typeof state === 'object' && !state.QueryLanguage) state.QueryLanguage = language;
    }
  }
  if (!cached.validate(copy)) return selectSchemaErrors(cached.validate.errors ?? []);
  return [...cached.duplicateStateNames(copy), ...cached.stateChecks(copy, { checkPaths: true, checkArn: true }, cached.checks)];
}

/** For the equivalence test only: true when the compiled-once path is in use. */
export function usesCachedValidator(): boolean {
  if (cached === undefined) cached = loadCached();
  return cached !== null;
}
