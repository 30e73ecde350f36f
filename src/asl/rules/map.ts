import type { Rule } from './context';

/**
 * SFN150 is a warning, not an error, on purpose: AWS still accepts Iterator and
 * runs it as an inline ItemProcessor, so it never breaks a deployment; it is
 * flagged because new features (ProcessorConfig, distributed mode) need ItemProcessor.
 */
export const iteratorRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Map' || !('Iterator' in ref.state)) continue;
    ctx.report(
      'SFN150',
      `${ref.path}.Iterator`,
      `Map state "${ref.name}" uses the deprecated "Iterator"; AWS still accepts it but has replaced it with "ItemProcessor"`,
      `rename "Iterator" to "ItemProcessor", add "ProcessorConfig": {"Mode": "INLINE"} inside it, and rename the Map's "Parameters" to "ItemSelector"`,
    );
  }
};
