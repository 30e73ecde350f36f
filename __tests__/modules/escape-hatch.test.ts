import { UnknownIntegrationError } from "../../src/asl/iam";
import type { WorkflowSpec } from "../../workflows/catalogue";
import { byField, policyDocumentOf, synthStage } from "./helpers";

const glue: WorkflowSpec = {
  name: "glue-job",
  template: "__tests__/modules/fixtures/glue-job.asl.json.hbs",
  type: "STANDARD",
  description: "Runs a Glue job.",
  triggers: [],
};
// An optimized integration the IAM table has no row for.
const RESOURCE = "arn:aws:states:::sagemaker:createTrainingJob.sync";

test("an integration the table does not know fails synthesis with the exact message", () => {
  const run = () => synthStage({ workflows: [glue] });
  expect(run).toThrow(UnknownIntegrationError);
  expect(run).toThrow(
    `Workflow "glue-job" (__tests__/modules/fixtures/glue-job.asl.json.hbs): state States.RunJob uses the integration "${RESOURCE}", ` +
      "which the IAM table (src/asl/integrations.ts) does not know, so its role would lack the permission. " +
      "Grant it explicitly with the stage stack's extraStatements prop, e.g. " +
      `extraStatements: { "glue-job": [{ covers: ["${RESOURCE}"], actions: ["<service>:<Action>"], resources: ["<arn>"] }] } (see modules/README.md, "Escape hatch"), ` +
      "or add a row for it to src/asl/integrations.ts.",
  );
});

test("extraStatements grant it: the role gets exactly the extra statement beside the derived ones", () => {
  const job = "arn:aws:glue:us-east-1:123456789012:job/nightly";
  const { tf } = synthStage({
    workflows: [glue],
    extraStatements: { "glue-job": [{ covers: [RESOURCE], actions: ["glue:GetJobRun", "glue:StartJobRun"], resources: [job] }] },
  });
  const [, policy] = byField(tf, "aws_iam_policy", "name", "my-app-dev-glue-job-sfn");
  const statements = policyDocumentOf(tf, policy.policy).statement;
  expect(statements.map((s: any) => s.sid)).toEqual(["GlueGetJobRunEtc", "LambdaInvokeFunction", "CloudWatchLogsDelivery", "XRayTracing", "UseStageKey"]);
  expect(statements[0]).toEqual({ sid: "GlueGetJobRunEtc", effect: "Allow", actions: ["glue:GetJobRun", "glue:StartJobRun"], resources: [job] });
});
