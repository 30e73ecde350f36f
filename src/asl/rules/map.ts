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

/** SFN151/SFN152: Map numbers AWS rejects at create time. */
export const mapNumbersRule: Rule = (ctx) => {
  for (const ref of ctx.graph.states) {
    if (ref.state.Type !== 'Map') continue;
    const { MaxConcurrency: concurrency, ToleratedFailurePercentage: percentage } = ref.state;
    if (typeof concurrency === 'number' && concurrency < 0) {
      ctx.report('SFN151', `${ref.path}.MaxConcurrency`, `Map state "${ref.name}" MaxConcurrency must be >= 0; received ${concurrency}`, 'set MaxConcurrency to 0 (no limit) or a positive limit');
    }
    if (typeof percentage === 'number' && (percentage < 0 || percentage > 100)) {
      ctx.report('SFN152', `${ref.path}.ToleratedFailurePercentage`, `Map state "${ref.name}" ToleratedFailurePercentage must be between 0 and 100; received ${percentage}`, 'use a percentage from 0 to 100');
    }
  }
};
