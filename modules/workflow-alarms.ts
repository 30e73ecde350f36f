import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { address, snake } from "./addresses";
import { anyOccurrence } from "./any-occurrence-alarm";

export interface WorkflowAlarmsProps {
  /** The workflow's address base: alarms are `aws_cloudwatch_metric_alarm.<address>_<metric>`, e.g. `choice_executions_failed`. */
  readonly address: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly topicArn: string;
  /** @default 300 */
  readonly periodSeconds?: number;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** Executions that should never happen in normal operation: any one of them alarms. */
export const EXECUTION_ALARM_METRICS = ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted"] as const;

/** Per state machine: one alarm per failure metric, each firing on the first occurrence in a period. */
export class WorkflowAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: WorkflowAlarmsProps) {
    super(scope, id);
    this.alarms = EXECUTION_ALARM_METRICS.map(
      (metric) =>
        address(
          new CloudwatchMetricAlarm(this, metric, {
          alarmName: `${props.stateMachineName}-${metric}`,
          alarmDescription: `${props.stateMachineName}: ${metric} > 0. Look up the execution in the Step Functions console (or its log group) for the failing state and its error.`,
          namespace: "AWS/States",
          metricName: metric,
          dimensions: { StateMachineArn: props.stateMachineArn },
          statistic: "Sum",
          period: props.periodSeconds ?? 300,
          ...anyOccurrence(props.topicArn),
          tags: props.tags,
          }),
          snake(props.address, metric),
        ),
    );
  }
}
