import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { address } from "./addresses";
import { canonicalJson } from "../src/hcl/json";

export interface StageDashboardProps {
  /** Base of the Terraform addresses of what this creates (snake_case, unique in the stack: `aws_cloudwatch_dashboard.<address>`). */
  readonly address: string;
  readonly name: string;
  readonly region: string;
  readonly stateMachines: ReadonlyArray<{ readonly name: string; readonly arn: string }>;
  readonly functionNames: readonly string[];
  /** Work queues and dead-letter queues, by name. */
  readonly queueNames: readonly string[];
}

type Metric = Array<string | Record<string, unknown>>;

/**
 * One dashboard per stage: executions started, succeeded and failed and their
 * duration per state machine; Lambda errors and duration; queue depths.
 */
export class StageDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: StageDashboardProps) {
    super(scope, id);
    const widget = (title: string, metrics: Metric[], y: number, x: number, stat = "Sum") => ({
      type: "metric",
      x,
      y,
      width: 12,
      height: 6,
      properties: { title, region: props.region, stat, period: 300, view: "timeSeries", metrics },
    });
    const widgets: unknown[] = [];
    let y = 0;
    for (const sm of props.stateMachines) {
      const dim = ["StateMachineArn", sm.arn];
      widgets.push(
        widget(
          `${sm.name}: executions`,
          ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed"].map((m) => ["AWS/States", m, ...dim]),
          y,
          0,
        ),
        widget(`${sm.name}: duration (ms)`, [["AWS/States", "ExecutionTime", ...dim, { stat: "p50" }], ["AWS/States", "ExecutionTime", ...dim, { stat: "p99" }]], y, 12, "Average"),
      );
      y += 6;
    }
    if (props.functionNames.length > 0) {
      widgets.push(
        widget("Lambda errors", props.functionNames.map((f) => ["AWS/Lambda", "Errors", "FunctionName", f]), y, 0),
        widget("Lambda duration p99 (ms)", props.functionNames.map((f) => ["AWS/Lambda", "Duration", "FunctionName", f]), y, 12, "p99"),
      );
      y += 6;
    }
    if (props.queueNames.length > 0) {
      widgets.push(
        widget("Queue depth (visible messages)", props.queueNames.map((q) => ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q]), y, 0, "Maximum"),
      );
    }
    this.dashboard = address(
      new CloudwatchDashboard(this, "dashboard", { dashboardName: props.name, dashboardBody: canonicalJson({ widgets }) }),
      props.address,
    );
  }
}
