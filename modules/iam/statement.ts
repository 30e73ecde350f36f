/** An IAM statement as the constructs pass it around (rendered through DataAwsIamPolicyDocument). */
export interface Statement {
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Resource policies only. @default none */
  readonly principals?: ReadonlyArray<{ readonly type: string; readonly identifiers: readonly string[] }>;
  /** @default none */
  readonly conditions?: ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values: readonly string[] }>;
}

/** AWS gives no narrower resource for these (log delivery, X-Ray; the Step Functions developer guide grants them on "*"): the only statements allowed a wildcard resource. */
export const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:DescribeLogGroups",
  "logs:DescribeResourcePolicies",
  "logs:GetLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:UpdateLogDelivery",
];

export const XRAY_ACTIONS = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"];

/** Sids of the statements that may use `*` as a resource; tests assert no other statement does. */
export const WILDCARD_SIDS = new Set(["CloudWatchLogsDelivery", "XRayTracing"]);

export const xrayStatement = (): Statement => ({ sid: "XRayTracing", actions: XRAY_ACTIONS, resources: ["*"] });
