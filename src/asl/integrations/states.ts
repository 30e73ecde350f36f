/** AWS Step Functions: starting a nested execution, and a distributed Map's child executions. */

import { arnOf, executionsOf, known, stateMachineArn } from "./arns";
import { type ArnContext, DYNAMIC, type Grant, type Integration, STATES_DOC, dynamicGrant, target } from "./core";
import { managedRule } from "./grants";

const SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

export const STATES_START_EXECUTION: Integration = {
  id: "states:startExecution",
  patterns: ["", ".sync", ".sync:2", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-stepfunctions.html`,
  grants: (task, pattern) => {
    const raw = target(task, "StateMachineArn");
    if (raw === undefined) return [];
    const value = raw === DYNAMIC ? DYNAMIC : (known(raw, task.arn) ?? raw);
    const start: Grant =
      value === DYNAMIC
        ? dynamicGrant(["states:StartExecution"], "StateMachineArn")
        : { actions: ["states:StartExecution"], resources: [value], reason: "start the state machine in StateMachineArn" };
    if (!pattern.startsWith(".sync")) return [start];
    const executions: Grant =
      value === DYNAMIC
        ? dynamicGrant(["states:DescribeExecution", "states:StopExecution"], "StateMachineArn")
        : { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [executionsOf(value)], reason: ".sync waits for the child execution and stops it when the parent stops" };
    return [start, executions, managedRule(task, SYNC_RULE, ".sync learns of the child's completion through this managed EventBridge rule")];
  },
};

/** A distributed Map runs its items as child executions of the state machine itself, and can be redriven. */
export const DISTRIBUTED_MAP = {
  id: "map (DISTRIBUTED)",
  doc: `${STATES_DOC}/iam-policies-eg-dist-map.html`,
  redriveDoc: `${STATES_DOC}/redrive-map-run.html`,
  grants: (arn: ArnContext): Grant[] => {
    const name = arn.stateMachineName ?? "*";
    const executions = arnOf(arn, "states", `execution:${name}/*`);
    return [
      { actions: ["states:StartExecution"], resources: [stateMachineArn(arn, name)], reason: "a distributed Map starts child executions of this state machine" },
      { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [executions], reason: "a distributed Map tracks and stops its child executions" },
      { actions: ["states:RedriveExecution"], resources: [executions], reason: "redriving the parent execution redrives the Map Run's failed child executions" },
    ];
  },
};
