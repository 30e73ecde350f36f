import { isObject } from '../graph';
import { show, type Rule } from './context';

/** Fields that name the resource a state acts on: an ARN, URL or name, never free text. */
export const TARGET_FIELDS = ['FunctionName', 'StateMachineArn', 'QueueUrl', 'TopicArn', 'TableName', 'EventBusName', 'ActivityArn', 'TargetArn'] as const;

/**
 * `${Name}` as CloudFormation's DefinitionSubstitutions write it (and Terraform
 * would read it). A cdktf token marker (`${TfToken[...]}`, what the `{{lambda}}`
 * helper inserts during synthesis) is a reference on purpose, not a placeholder.
 */
const PLACEHOLDER = /\$\{(?!TfToken\[)([^{}]*)\}/;

/** `ValidateOrderFunction` -> `validate-order`: the handler the author most likely meant. */
function handlerGuess(name: string): string {
  const base = name.replace(/(Function|Lambda|Arn)$/, '') || name;
  return base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase();
}

/**
 * SFN184: a `${Name}` placeholder where an ARN or name is expected (seed:
 * `"FunctionName": "${ValidateOrderFunction}"`). Nothing substitutes it here:
 * synthesis escapes template text for Terraform, so AWS would get the literal
 * text and fail at run time. Elsewhere (a Pass Result, a message) `${...}` is
 * data and passes.
 */
export const substitutionPlaceholderRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    const fields: Array<[string, unknown]> = [];
    if (typeof ref.state.Resource === 'string') fields.push([`${ref.path}.Resource`, ref.state.Resource]);
    for (const holder of ['Parameters', 'Arguments'] as const) {
      const args = ref.state[holder];
      if (!isObject(args)) continue;
      for (const key of TARGET_FIELDS) if (key in args) fields.push([`${ref.path}.${holder}.${key}`, args[key]]);
    }
    for (const [path, value] of fields) {
      if (typeof value !== 'string') continue;
      const m = PLACEHOLDER.exec(value);
      if (!m) continue;
      const field = path.slice(path.lastIndexOf('.') + 1);
      const lambda = field === 'FunctionName' || (field === 'Resource' && /lambda|function/i.test(m[1]));
      ctx.report(
        'SFN184',
        path,
        `State "${ref.name}" ${field} ${show(value)} ${value === m[0] ? 'is' : `holds "${m[0]}",`} a CloudFormation-style substitution (DefinitionSubstitutions); nothing substitutes it here: synthesis escapes it for Terraform and AWS would receive the literal text`,
        lambda
          ? `for a handler of this project write {{lambda "${handlerGuess(m[1])}"}} (it creates the function and passes its ARN); otherwise write the ${field} itself, e.g. from a template variable`
          : `write the ${field} itself, e.g. built from template variables such as {{PROJECT_NAME}} and {{STAGE}}; for a Lambda handler of this project use {{lambda "<handler>"}}`,
      );
    }
  }
};
