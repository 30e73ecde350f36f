/**
 * The job services a Task can start and, with `.sync`, wait for: Amazon ECS,
 * AWS Batch, AWS Glue, AWS CodeBuild, Amazon Athena. `.sync` watches the job
 * (and stops it when the execution stops) and, except for Glue and Athena,
 * learns that it finished through a managed EventBridge rule.
 */

import { arnOf, bucketArn } from "./arns";
import { DYNAMIC, type Grant, type Integration, STATES_DOC, dynamicGrant, target } from "./core";
import { managedRule, named } from "./grants";

export const ECS_RUN_TASK: Integration = {
  id: "ecs:runTask",
  patterns: ["", ".sync", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-ecs.html`,
  grants: (task, pattern) => {
    const run = named(task, "TaskDefinition", ["ecs:RunTask"], (d) => arnOf(task.arn, "ecs", `task-definition/${d.includes(":") ? d : `${d}:*`}`), "run the task definition in TaskDefinition (a task role also needs iam:PassRole: add it with extraStatements)");
    if (pattern !== ".sync") return run;
    return [
      ...run,
      { actions: ["ecs:DescribeTasks", "ecs:StopTask"], resources: ["*"], reason: ".sync watches and stops the task, whose id is only known once it runs (AWS documents \"*\"; only tasks Step Functions started can be stopped)" },
      managedRule(task, "StepFunctionsGetEventsForECSTaskRule", ".sync learns that the ECS task finished through this managed EventBridge rule"),
    ];
  },
};

export const BATCH_SUBMIT_JOB: Integration = {
  id: "batch:submitJob",
  patterns: ["", ".sync"],
  doc: `${STATES_DOC}/connect-batch.html`,
  grants: (task, pattern) => {
    const queue = named(task, "JobQueue", ["batch:SubmitJob"], (q) => arnOf(task.arn, "batch", `job-queue/${q}`), "submit to the job queue in JobQueue");
    const definition = named(task, "JobDefinition", ["batch:SubmitJob"], (d) => arnOf(task.arn, "batch", `job-definition/${d.includes(":") ? d : `${d}:*`}`), "submit the job definition in JobDefinition");
    const submit = [...queue, ...definition];
    if (pattern !== ".sync") return submit;
    return [
      ...submit,
      { actions: ["batch:DescribeJobs", "batch:TerminateJob"], resources: ["*"], reason: ".sync watches and stops the job, whose id is only known once submitted (DescribeJobs has no resource-level permission)" },
      managedRule(task, "StepFunctionsGetEventsForBatchJobsRule", ".sync learns that the Batch job finished through this managed EventBridge rule"),
    ];
  },
};

export const GLUE_START_JOB_RUN: Integration = {
  id: "glue:startJobRun",
  patterns: ["", ".sync", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-glue.html`,
  grants: (task, pattern) => {
    const actions = pattern === ".sync" ? ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"] : ["glue:StartJobRun"];
    // Glue's .sync polls the run: no EventBridge rule.
    return named(task, "JobName", actions, (j) => arnOf(task.arn, "glue", `job/${j}`), pattern === ".sync" ? "start the job in JobName, poll its run and stop it when the execution stops" : "start the job in JobName");
  },
};

export const CODEBUILD_START_BUILD: Integration = {
  id: "codebuild:startBuild",
  patterns: ["", ".sync"],
  doc: `${STATES_DOC}/connect-codebuild.html`,
  grants: (task, pattern) => {
    const actions = pattern === ".sync" ? ["codebuild:BatchGetBuilds", "codebuild:BatchGetReports", "codebuild:StartBuild", "codebuild:StopBuild"] : ["codebuild:StartBuild"];
    const build = named(task, "ProjectName", actions, (p) => arnOf(task.arn, "codebuild", `project/${p}`), "start a build of the project in ProjectName");
    if (pattern !== ".sync") return build;
    // AWS's page spells this rule "GetEvent" (singular), unlike the others.
    return [...build, managedRule(task, "StepFunctionsGetEventForCodeBuildStartBuildRule", ".sync learns that the CodeBuild build finished through this managed EventBridge rule")];
  },
};

export const ATHENA_START_QUERY_EXECUTION: Integration = {
  id: "athena:startQueryExecution",
  patterns: ["", ".sync"],
  doc: `${STATES_DOC}/connect-athena.html`,
  grants: (task, pattern) => {
    const actions = pattern === ".sync" ? ["athena:GetQueryExecution", "athena:StartQueryExecution", "athena:StopQueryExecution"] : ["athena:StartQueryExecution"];
    const group = target(task, "WorkGroup");
    const workgroup: Grant =
      group === DYNAMIC
        ? dynamicGrant(actions, "WorkGroup")
        : { actions, resources: [arnOf(task.arn, "athena", `workgroup/${group ?? "primary"}`)], reason: "run the query in the WorkGroup (primary when absent)" };
    const output = target(task, "ResultConfiguration.OutputLocation");
    const grants = [workgroup];
    const s3Actions = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListMultipartUploadParts", "s3:PutObject"];
    if (output === DYNAMIC) grants.push(dynamicGrant(s3Actions, "ResultConfiguration.OutputLocation"));
    else if (output !== undefined) {
      const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(output);
      if (m) {
        const base = bucketArn(m[1], task.arn);
        const prefix = m[2].replace(/\/+$/, "");
        grants.push({ actions: s3Actions, resources: [base, prefix ? `${base}/${prefix}/*` : `${base}/*`], reason: "Athena writes the results to ResultConfiguration.OutputLocation" });
      }
    }
    return grants.map((g, i) =>
      i === 0
        ? {
            ...g,
            warning:
              g.warning ??
              "athena:StartQueryExecution: the tables the query reads (Glue Data Catalog, their S3 data, a results bucket set by the workgroup) cannot be read from the definition. Fix: grant them with extraStatements.",
          }
        : g,
    );
  },
};
