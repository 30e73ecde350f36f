/** Lambda: `lambda:invoke`, and a function ARN given as the Resource itself. */

import { lambdaFunctionArn, withQualifiers } from "./arns";
import { type Integration, STATES_DOC } from "./core";
import { single } from "./grants";

export const LAMBDA_INVOKE: Integration = {
  id: "lambda:invoke",
  patterns: ["", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-lambda.html`,
  grants: (task) =>
    single(task, "FunctionName", ["lambda:InvokeFunction"], (f) => withQualifiers(lambdaFunctionArn(f, task.arn)), "invoke the function in FunctionName (and its versions and aliases)"),
};

/** A Resource naming a Lambda function directly (the legacy form; no Parameters). */
export const PLAIN_LAMBDA = {
  id: "lambda (function ARN as Resource)",
  doc: `${STATES_DOC}/connect-lambda.html`,
  pattern: /^arn:[\w-]+:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/,
};
