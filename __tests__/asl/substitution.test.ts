import { lintDefinition } from '../../src/asl/lint';

const task = (parameters: Record<string, unknown>, resource = 'arn:aws:states:::lambda:invoke') => ({
  StartAt: 'A',
  States: { A: { Type: 'Task', Resource: resource, Parameters: parameters, TimeoutSeconds: 30, End: true } },
});
const sfn180 = (definition: unknown) => lintDefinition(definition, { file: 'x.asl.json', type: 'STANDARD' }).filter((f) => f.code === 'SFN184');

describe('SFN184: ${Name} where an ARN or name is expected', () => {
  test.each([
    ['FunctionName', { FunctionName: '${ValidateOrderFunction}', 'Payload.$': '$' }, 'arn:aws:states:::lambda:invoke', 'States.A.Parameters.FunctionName'],
    ['a placeholder inside an ARN', { TableName: 'arn:aws:dynamodb:us-east-1:${AWS::AccountId}:table/orders' }, 'arn:aws:states:::dynamodb:getItem', 'States.A.Parameters.TableName'],
    ['QueueUrl', { QueueUrl: '${OrdersQueue}', 'MessageBody.$': '$' }, 'arn:aws:states:::sqs:sendMessage', 'States.A.Parameters.QueueUrl'],
    ['StateMachineArn', { StateMachineArn: '${Child}' }, 'arn:aws:states:::states:startExecution', 'States.A.Parameters.StateMachineArn'],
    ['Resource', {}, '${ProcessFunction}', 'States.A.Resource'],
  ])('warns on %s', (_label, parameters, resource, path) => {
    const found = sfn180(task(parameters, resource));
    expect(found.map((f) => [f.severity, f.path])).toEqual([['warning', path]]);
  });

  test('a lambda placeholder points to the {{lambda}} helper with the likely handler name', () => {
    expect(sfn180(task({ FunctionName: '${ProcessPaymentFunction}' }))[0].message).toContain('{{lambda "process-payment"}}');
  });

  test('passes: ${...} as data, real ARNs, paths, and the cdktf references the {{lambda}} helper inserts', () => {
    expect(sfn180(task({ FunctionName: '${TfToken[TOKEN.42]}', Payload: { cmd: 'echo ${HOME}' } }))).toEqual([]);
    expect(sfn180(task({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f', 'Payload.$': '$' }))).toEqual([]);
    expect(sfn180(task({ 'FunctionName.$': '$.fn' }))).toEqual([]);
    expect(sfn180({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { FunctionName: '${NotATarget}' }, End: true } } })).toEqual([]);
  });
});
