import { aslValidatorErrors, type AslError } from './asl-validator-cached';
import type { DefinitionGraph, JsonObject } from '../graph';
import { joinPath } from '../graph';
import type { RuleCode } from './catalogue';

export interface ValidatorFinding {
  code: RuleCode;
  path: string;
  what: string;
  fix: string;
}

/** asl-validator codes our own rules report better (scoped walk, real reachability): dropped to avoid doubles. */
const COVERED_BY_OUR_RULES = new Set([
  'MISSING_TRANSITION_TARGET',
  'BRANCH_OUTBOUND_TRANSITION_TARGET',
  'MAP_OUTBOUND_TRANSITION_TARGET',
  'WAIT_DURATION',
  // Its versions name scopes by an internal id ("fsm1") and print a mangled key ("id.$.$").
  'MISSING_TERMINAL_STATE',
  'DUPLICATE_FIELD_NAME',
  // Ours (SFN002) names both places; asl-validator names only the second.
  'DUPLICATE_STATE_NAMES',
]);

const CODE_MAP: Record<string, RuleCode> = {
  SCHEMA_VALIDATION_FAILED: 'SFN001',
  DUPLICATE_STATE_NAMES: 'SFN002',
  MISSING_TERMINAL_STATE: 'SFN003',
  TERMINAL_STATE_WITH_NEXT: 'SFN004',
  DUPLICATE_FIELD_NAME: 'SFN005',
};

const SPEC_FIX = 'compare the field with the Amazon States Language reference for this state type (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html)';

/** `/States/P/Branches/0/States/A` -> `States.P.Branches[0].States.A`. */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(segment) ? joinPath(path, Number(segment)) : joinPath(path, segment);
  }
  return path;
}

const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Runs asl-validator's checks once, on a deep copy (it writes QueryLanguage into
 * every state), and turns its errors into findings with a state path.
 */
export function runAslValidator(definition: JsonObject, graph: DefinitionGraph): ValidatorFinding[] {
  let errors: AslError[];
  try {
    errors = aslValidatorErrors(definition);
  } catch (error) {
    return [{ code: 'SFN001', path: '', what: `asl-validator could not process the definition: ${(error as Error).message}`, fix: 'make the definition a JSON object with StartAt and States' }];
  }
  const pathOfState = (name: string): string => graph.states.find((s) => s.name === name)?.path ?? '';
  const out: ValidatorFinding[] = [];
  // asl-validator tries the state's value against every state type's schema (a oneOf), so an
  // enum error comes once per branch: "Type must be one of "Wait"" for a Pass state. Merge the
  // branches' allowed values per field, and drop a Type error whose value is a real state type.
  const allowedAt = new Map<string, Set<unknown>>();
  for (const error of errors) {
    const values = (error.schemaError as { params?: { allowedValues?: unknown[] } } | undefined)?.params?.allowedValues;
    const pointer = error.schemaError?.instancePath ?? '';
    if (Array.isArray(values)) allowedAt.set(pointer, new Set([...(allowedAt.get(pointer) ?? []), ...values]));
  }
  const enumDone = new Set<string>();
  for (const error of errors) {
    const kind = error['Error code'];
    if (COVERED_BY_OUR_RULES.has(kind)) continue;
    const code = CODE_MAP[kind] ?? 'SFN006';
    if (kind === 'SCHEMA_VALIDATION_FAILED') {
      const pointer = error.schemaError?.instancePath ?? '';
      const path = pointerToPath(pointer);
      // asl-validator's message starts with the pointer; the finding carries the path instead.
      let detail = error.Message.startsWith(`${pointer} is invalid. `) ? error.Message.slice(pointer.length + 13) : error.Message;
      const params = (error.schemaError as { params?: { allowedValues?: unknown[]; type?: string | string[] } } | undefined)?.params;
      if (params?.type !== undefined && /^must be [a-z,]+$/.test(detail)) {
        // Ajv: "must be string,null"; say it in words, with what was received.
        const types = (Array.isArray(params.type) ? params.type : String(params.type).split(',')).map((t) => (t === 'null' ? 'null' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`));
        detail = `must be ${types.join(' or ')}; received ${JSON.stringify(valueAt(definition, pointer)) ?? 'nothing'}`;
      }
      if (Array.isArray(params?.allowedValues)) {
        const received = valueAt(definition, pointer);
        if (enumDone.has(pointer)) continue;
        enumDone.add(pointer);
        if (pointer.endsWith('/Type') && typeof received === 'string' && STATE_TYPES.includes(received)) continue;
        // Ajv says only "must be equal to one of the allowed values": name them and what was given.
        const allowed = [...(allowedAt.get(pointer) ?? params.allowedValues)];
        detail = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; received ${JSON.stringify(received) ?? 'nothing'}`;
      }
      // A oneOf failure on a whole state means no state shape fits: usually an unknown or misspelled field.
      const fix = /oneOf/.test(detail) ? `look for an unknown or misspelled field, a value of the wrong type, or a field of the other query language; ${SPEC_FIX}` : SPEC_FIX;
      out.push({ code, path, what: `schema: ${path || 'the definition'} ${detail}`, fix });
      continue;
    }
    const named = /State "([^"]+)"/.exec(error.Message) ?? /already exists: (.+)$/.exec(error.Message);
    const path = named?.[1] !== undefined ? pathOfState(named[1]) : '';
    const fix =
      code === 'SFN002' ? 'give every state a name unique across the whole definition, including branches and processors'
      : code === 'SFN003' ? 'end one state of that scope with "End": true, or with a Succeed or Fail state'
      : code === 'SFN004' ? 'give the state either "Next" or "End": true, not both and not neither'
      : code === 'SFN005' ? 'keep only one of "name" and "name.$" in the same object'
      : 'keep only one of the listed fields';
    out.push({ code, path, what: error.Message, fix });
  }
  return out;
}
