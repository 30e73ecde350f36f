import { validatePath } from 'asl-path-validator';
import { AslPathContext } from 'asl-path-validator/dist/types';
import { isObject, joinPath } from '../graph';
import { show, type Rule, type RuleContext } from './context';

/** Fields of a JSONPath state whose `.$` keys Step Functions evaluates. */
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials', 'Assign', 'ItemReader', 'ItemBatcher', 'ResultWriter'];

type Visit = (key: string, value: unknown, path: string) => void;

function walkKeys(value: unknown, path: string, visit: Visit): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkKeys(item, joinPath(path, i), visit));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = joinPath(path, key);
      visit(key, child, childPath);
      walkKeys(child, childPath, visit);
    }
  }
}

/** SFN110: Result is copied verbatim, so a `.$` key there is a bug the seed shipped (TransformData). */
export const passResultDollarRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Pass' || ref.state.Result === undefined) continue;
    walkKeys(ref.state.Result, `${ref.path}.Result`, (key, value, path) => {
      if (!key.endsWith('.$')) return;
      ctx.report(
        'SFN110',
        path,
        `Pass state "${ref.name}" has "${key}": ${show(value)} inside Result, which is static: the output keeps the literal key "${key}" and the path is never evaluated`,
        `move the key into "Parameters" (JSONPath) or compute it in "Output" (JSONata), e.g. "Parameters": {"${key}": ${show(value)}}`,
      );
    });
  }
};

/** SFN005: "id" and "id.$" both become "id" after evaluation; AWS rejects the pair. */
function duplicateFields(ctx: RuleContext, object: Record<string, unknown>, path: string): void {
  for (const key of Object.keys(object)) {
    if (key.endsWith('.$') && Object.hasOwn(object, key.slice(0, -2))) {
      const plain = key.slice(0, -2);
      ctx.report('SFN005', joinPath(path, key), `"${plain}" and "${key}" both produce the field "${plain}"; AWS rejects the duplicate`, `keep "${key}" for a value from the input or "${plain}" for a literal, not both`);
    }
  }
}

/** Escapes AWS accepts inside a single-quoted intrinsic string: \' \{ \} \\ . */
const LEGAL_ESCAPES = new Set(["'", '{', '}', '\\']);

/** Returns the first illegal escape (e.g. `\"`) inside an intrinsic's string literals, or undefined. */
export function illegalIntrinsicEscape(expression: string): string | undefined {
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (!inString) {
      if (c === "'") inString = true;
      continue;
    }
    if (c === '\\') {
      const next = expression[i + 1] ?? '';
      if (!LEGAL_ESCAPES.has(next)) return `\\${next}`;
      i++;
    } else if (c === "'") {
      inString = false;
    }
  }
  return undefined;
}

/** SFN111 and SFN112: a `.$` value must be a JSONPath, a context/variable path or an intrinsic call. */
export const dollarValueRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.queryLanguage !== 'JSONPath') continue;
    const containers: Array<[unknown, string]> = TEMPLATE_FIELDS.map((f) => [ref.state[f], `${ref.path}.${f}`]);
    for (const list of ['Catch', 'Choices']) {
      const items = ref.state[list];
      if (Array.isArray(items)) items.forEach((item, i) => isObject(item) && containers.push([item.Assign, `${ref.path}.${list}[${i}].Assign`]));
    }
    for (const [container, base] of containers) {
      if (container === undefined) continue;
      if (isObject(container)) duplicateFields(ctx, container, base);
      walkKeys(container, base, (key, value, path) => {
        if (isObject(value)) duplicateFields(ctx, value, path);
        if (!key.endsWith('.$')) return;
        if (typeof value !== 'string') {
          ctx.report('SFN111', path, `"${key}" must hold a path or intrinsic function as a string; received ${show(value)}`, `drop the ".$" suffix to pass the value as a literal, or give a string such as "$.field"`);
          return;
        }
        const result = validatePath(value, AslPathContext.PAYLOAD_TEMPLATE);
        if (!result.isValid) {
          ctx.report(
            'SFN111',
            path,
            `"${key}": ${show(value)} is not a valid JSONPath ("$.x"), context path ("$$.Execution.Id"), variable ("$name") or intrinsic function call ("States.Format(...)")`,
            `fix the expression, or drop the ".$" suffix from the key if ${show(value)} is meant literally`,
          );
          return;
        }
        const escape = value.startsWith('States.') ? illegalIntrinsicEscape(value) : undefined;
        if (escape !== undefined) {
          ctx.report(
            'SFN112',
            path,
            `"${key}": intrinsic function string contains the escape ${escape}, which AWS rejects; only \\' \\{ \\} and \\\\ are allowed inside intrinsic strings`,
            `write the character without a backslash (a double quote needs no escape inside single quotes), e.g. 'He said "hi"'`,
          );
        }
      });
    }
  }
};
