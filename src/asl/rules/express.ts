import type { Rule } from './context';

/** An Express execution lasts at most five minutes. */
const EXPRESS_MAX_SECONDS = 300;
const ACTIVITY_ARN = /^arn:aws[a-z-]*:states:[^:]+:[^:]*:activity:/;

/** SFN160-SFN164: what AWS rejects, or what can never finish, in an Express workflow. */
export const expressRule: Rule = (ctx) => {
  if (ctx.type !== 'EXPRESS') return;
  const timeout = ctx.definition.TimeoutSeconds;
  if (typeof timeout === 'number' && timeout > EXPRESS_MAX_SECONDS) {
    ctx.report('SFN163', 'TimeoutSeconds', `Express workflow TimeoutSeconds is ${timeout}, above the 300-second Express maximum`, 'set TimeoutSeconds to 300 or less, or make the workflow STANDARD in workflows/catalogue.ts');
  }
  for (const ref of ctx.graph.states) {
    const resource = ref.state.Resource;
    if (ref.state.Type === 'Task' && typeof resource === 'string') {
      if (/\.sync(:\d+)?$/.test(resource)) {
        ctx.report('SFN160', `${ref.path}.Resource`, `Task "${ref.name}" uses ${resource}; Express workflows do not support ".sync" integrations and AWS rejects the definition`, 'call the plain (request-response) integration and poll, or make the workflow STANDARD');
      } else if (resource.endsWith('.waitForTaskToken')) {
        ctx.report('SFN161', `${ref.path}.Resource`, `Task "${ref.name}" uses ${resource}; Express workflows do not support ".waitForTaskToken" callbacks and AWS rejects the definition`, 'make the workflow STANDARD, or drop the callback and use the request-response integration');
      } else if (ACTIVITY_ARN.test(resource)) {
        ctx.report('SFN164', `${ref.path}.Resource`, `Task "${ref.name}" uses the activity ${resource}; Express workflows do not support activities`, 'replace the activity with a Lambda or service integration, or make the workflow STANDARD');
      }
    }
    const seconds = ref.state.Seconds;
    if (ref.state.Type === 'Wait' && typeof seconds === 'number' && seconds > EXPRESS_MAX_SECONDS) {
      ctx.report('SFN162', `${ref.path}.Seconds`, `Wait state "${ref.name}" waits ${seconds} s, but an Express execution ends after 300 s`, 'wait 300 seconds or less, or make the workflow STANDARD');
    }
  }
};
