import type { CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/**
 * The alarm settings shared by every "this should never happen" alarm of a
 * stage: one period above zero fires it, no data is not an incident, and the
 * stage's topic hears both the alarm and its recovery.
 */
export function anyOccurrence(
  topicArn: string,
): Pick<CloudwatchMetricAlarmConfig, "evaluationPeriods" | "threshold" | "comparisonOperator" | "treatMissingData" | "alarmActions" | "okActions"> {
  return {
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
}
