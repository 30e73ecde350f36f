/** Amazon DynamoDB: the four item calls, each on the table in TableName. */

import { tableArn } from "./arns";
import { type Integration, STATES_DOC } from "./core";
import { single } from "./grants";

const dynamo = (api: string, action: string): Integration => ({
  id: `dynamodb:${api}`,
  patterns: [""],
  doc: `${STATES_DOC}/connect-ddb.html`,
  grants: (task) => single(task, "TableName", [`dynamodb:${action}`], (t) => [tableArn(t, task.arn)], `${api} on the table in TableName`),
});

export const DYNAMODB_ITEM_CALLS: readonly Integration[] = [
  dynamo("getItem", "GetItem"),
  dynamo("putItem", "PutItem"),
  dynamo("updateItem", "UpdateItem"),
  dynamo("deleteItem", "DeleteItem"),
];
