import { isObject } from '../graph';
import type { Rule } from './context';

/** JSONPath-only state fields and what replaces each one in JSONata. */
const JSONPATH_ONLY: Record<string, string> = {
  InputPath: 'read $states.input inside Arguments or Output',
  OutputPath: 'shape the result in "Output"',
  ResultPath: 'merge the result in "Output" (e.g. {% $merge([$states.input, {"result": $states.result}]) %})',
  ResultSelector: 'shape the result in "Output"',
  Parameters: 'use "Arguments" (Task), "Output" (Pass) or "ItemSelector" (Map)',
  ItemsPath: 'use "Items" with a JSONata expression',
  SecondsPath: 'use "Seconds" with a JSONata expression',
  TimestampPath: 'use "Timestamp" with a JSONata expression',
  TimeoutSecondsPath: 'use "TimeoutSeconds" with a JSONata expression',
  HeartbeatSecondsPath: 'use "HeartbeatSeconds" with a JSONata expression',
  MaxConcurrencyPath: 'use "MaxConcurrency" with a JSONata expression',
  ToleratedFailureCountPath: 'use "ToleratedFailureCount" with a JSONata expression',
  ToleratedFailurePercentagePath: 'use "ToleratedFailurePercentage" with a JSONata expression',
  ErrorPath: 'use "Error" with a JSONata expression',
  CausePath: 'use "Cause" with a JSONata expression',
};

/** JSONata-only fields and their JSONPath counterparts. */
const JSONATA_ONLY: Record<string, string> = {
  Arguments: 'use "Parameters"',
  Output: 'use "ResultSelector"/"ResultPath"/"OutputPath" (or Parameters in a Pass)',
  Items: 'use "ItemsPath"',
};

/** SFN170/SFN171: AWS rejects fields of the other query language. */
export const queryLanguageFieldsRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    const jsonata = ref.queryLanguage === 'JSONata';
    const table = jsonata ? JSONPATH_ONLY : JSONATA_ONLY;
    const code = jsonata ? 'SFN170' : 'SFN171';
    const other = jsonata ? 'JSONata' : 'JSONPath';
    const switchHint = jsonata ? 'or set "QueryLanguage": "JSONPath" on the state' : 'or set "QueryLanguage": "JSONata" on the state';
    for (const [field, fix] of Object.entries(table)) {
      if (field in ref.state) ctx.report(code, `${ref.path}.${field}`, `State "${ref.name}" is ${other} but has "${field}", which only ${jsonata ? 'JSONPath' : 'JSONata'} states accept`, `${fix}, ${switchHint}`);
    }
    const catchers = Array.isArray(ref.state.Catch) ? ref.state.Catch : [];
    catchers.forEach((catcher, i) => {
      const field = jsonata ? 'ResultPath' : 'Output';
      if (isObject(catcher) && field in catcher) {
        ctx.report(code, `${ref.path}.Catch[${i}].${field}`, `Catch of ${other} state "${ref.name}" has "${field}", which only ${jsonata ? 'JSONPath' : 'JSONata'} catchers accept`, `${jsonata ? 'use "Output" in the catcher' : 'use "ResultPath" in the catcher'}, ${switchHint}`);
      }
    });
    const rules = ref.state.Type === 'Choice' && Array.isArray(ref.state.Choices) ? ref.state.Choices : [];
    rules.forEach((rule, i) => {
      const field = jsonata ? 'Variable' : 'Condition';
      if (isObject(rule) && field in rule) {
        ctx.report(code, `${ref.path}.Choices[${i}].${field}`, `Choice rule of ${other} state "${ref.name}" uses "${field}", which only ${jsonata ? 'JSONPath' : 'JSONata'} rules accept`, `${jsonata ? 'write the rule as "Condition": "{% ... %}"' : 'write the rule with "Variable" and a comparison operator'}, ${switchHint}`);
      }
    });
  }
};
