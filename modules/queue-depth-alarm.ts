import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { address } from "./addresses";
import { anyOccurrence } from "./any-occurrence-alarm";

export interface QueueDepthAlarmProps {
  /** The queue's address base: the alarm is `aws_cloudwatch_metric_alarm.<address>_not_empty`. */
  readonly address: string;
  readonly queueName: string;
  readonly topicArn: string;
  /** What lands in the queue, for the alarm description. */
  readonly what: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** A dead-letter queue holding anything is an incident: alarm on ApproximateNumberOfMessagesVisible > 0. */
export class QueueDepthAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QueueDepthAlarmProps) {
    super(scope, id);
    this.alarm = address(
      new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.queueName} holds ${props.what}. Inspect the messages, fix the cause, then redrive them.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: props.queueName },
      statistic: "Maximum",
      period: 300,
      ...anyOccurrence(props.topicArn),
      tags: props.tags,
      }),
      `${props.address}_not_empty`,
    );
  }
}
