import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { loadStageConfigs } from "../../src/config/stage";
import { synthStages } from "../../modules/app";
import { address } from "../../modules/addresses";
import type { StageHook } from "../../modules/stage-stack";
import { getWorkflow } from "../../src/catalogue";
import { ConfigError } from "../../src/errors";
import { synthStage } from "./helpers";

const workflows = [getWorkflow("order-processing"), getWorkflow("order-fulfilment")];
const configs = loadStageConfigs({ cwd: mkdtempSync(join(tmpdir(), "hook-")), env: { PROJECT_NAME: "shop", STAGES: "dev,prod" } });

/** prod only: a team table, granted to order-fulfilment; a per-stage statement on that stage's exports bucket. */
const stageHook: StageHook = (stack, config) => {
  if (config.stage !== "prod") return;
  const table = address(
    new DynamodbTable(stack, "audit", {
      name: "shop-prod-audit",
      hashKey: "id",
      attribute: [{ name: "id", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: stack.stageKeyArn },
    }),
    "audit",
  );
  return { extraStatements: { "order-fulfilment": [{ actions: ["dynamodb:PutItem"], resources: [table.arn], reason: "audit trail" }] } };
};

function policy(outdir: string, stage: string): string {
  const tf = JSON.parse(readFileSync(join(outdir, "stacks", `shop-${stage}`, "cdk.tf.json"), "utf8"));
  return JSON.stringify(tf.data.aws_iam_policy_document.order_fulfilment_execution_policy);
}

test("two stages: what the hook and extraStatements give one stage never appears in the other", () => {
  const outdir = mkdtempSync(join(tmpdir(), "hook-out-"));
  synthStages(configs, {
    outdir,
    workflows,
    bootstrap: false,
    extraStatements: (config) => ({
      "order-fulfilment": [{ actions: ["s3:GetObject"], resources: [`arn:aws:s3:::shop-${config.stage}-exports/*`], reason: "reads exports" }],
    }),
    stageHook,
  });
  const dev = readFileSync(join(outdir, "stacks", "shop-dev", "cdk.tf.json"), "utf8");
  const prod = readFileSync(join(outdir, "stacks", "shop-prod", "cdk.tf.json"), "utf8");
  expect(prod).toContain('"shop-prod-audit"');
  expect(dev).not.toContain("audit");
  expect(policy(outdir, "prod")).toContain("${aws_dynamodb_table.audit.arn}");
  expect(policy(outdir, "prod")).toContain("shop-prod-exports/*");
  expect(policy(outdir, "prod")).not.toContain("shop-dev-exports");
  expect(policy(outdir, "dev")).toContain("shop-dev-exports/*");
  expect(policy(outdir, "dev")).not.toContain("shop-prod-exports");
  expect(policy(outdir, "dev")).not.toContain("audit");
});

test("extra statements for a workflow the stage does not have are an error naming the known ones", () => {
  expect(() => synthStage({ workflows, extraStatements: { "order-fulfillment": [{ actions: ["s3:GetObject"], resources: ["*"] }] } })).toThrow(ConfigError);
  expect(() => synthStage({ workflows, extraStatements: { "order-fulfillment": [{ actions: ["s3:GetObject"], resources: ["*"] }] } })).toThrow(
    /extraStatements names workflows this stage does not have: order-fulfillment\. Known workflows: order-processing, order-fulfilment\./,
  );
});
