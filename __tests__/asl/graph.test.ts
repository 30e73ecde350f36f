import { allStates, reachableStates, transitions, walkDefinition } from '../../src/asl/graph';

const definition = {
  StartAt: 'P',
  QueryLanguage: 'JSONPath',
  States: {
    P: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
      Next: 'M',
    },
    M: {
      Type: 'Map',
      QueryLanguage: 'JSONata',
      ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      Next: 'C',
    },
    C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Done' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail' },
    IslandA: { Type: 'Pass', Next: 'IslandB' },
    IslandB: { Type: 'Pass', Next: 'IslandA' },
  },
};

test('allStates lists every state with its path, branches and processors included', () => {
  expect(allStates(definition).map((s) => s.path)).toEqual([
    'States.P',
    'States.P.Branches[0].States.A',
    'States.M',
    'States.M.ItemProcessor.States.I',
    'States.C',
    'States.Done',
    'States.Failed',
    'States.IslandA',
    'States.IslandB',
  ]);
});

test('query language: the state own, else the machine', () => {
  const byName = Object.fromEntries(allStates(definition).map((s) => [s.name, s.queryLanguage]));
  expect(byName).toMatchObject({ M: 'JSONata', I: 'JSONPath', A: 'JSONPath' });
});

test('transitions cover Next, Default, Choice rules and Catch', () => {
  expect(transitions(definition.States.C)).toEqual([
    { field: 'Default', target: 'Done' },
    { field: 'Choices[0].Next', target: 'Done' },
  ]);
  expect(transitions(definition.States.M)).toEqual([
    { field: 'Next', target: 'C' },
    { field: 'Catch[0].Next', target: 'Failed' },
  ]);
});

test('reachability is a walk from StartAt: an island cycle stays unreachable', () => {
  const [machine, branch, processor] = walkDefinition(definition).scopes;
  expect([...reachableStates(machine)].sort()).toEqual(['C', 'Done', 'Failed', 'M', 'P']);
  expect([...reachableStates(branch)]).toEqual(['A']);
  expect(processor.kind).toBe('processor');
  expect([...reachableStates(processor)]).toEqual(['I']);
});
