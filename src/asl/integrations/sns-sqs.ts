/** Amazon SQS and Amazon SNS: send a message to a queue, publish to a topic or endpoint. */

import { known, queueArnFromUrl } from "./arns";
import { type Integration, STATES_DOC, target } from "./core";
import { single } from "./grants";

export const SQS_SEND_MESSAGE: Integration = {
  id: "sqs:sendMessage",
  patterns: ["", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-sqs.html`,
  grants: (task) => single(task, "QueueUrl", ["sqs:SendMessage"], (u) => [queueArnFromUrl(u, task.arn)], "send to the queue in QueueUrl"),
};

export const SNS_PUBLISH: Integration = {
  id: "sns:publish",
  patterns: ["", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-sns.html`,
  grants: (task) => {
    // Publish takes TopicArn or TargetArn (a mobile endpoint) or PhoneNumber (no resource).
    const topic = target(task, "TopicArn");
    const field = topic !== undefined ? "TopicArn" : "TargetArn";
    return single(task, field, ["sns:Publish"], (t) => [known(t, task.arn) ?? t], `publish to the ${field}`);
  },
};
