import { Testing } from "cdktf";
import { StateBootstrapStack } from "../../modules/state-bootstrap-stack";
import { blockPaths, knownTypes } from "../../src/hcl/blocks";
import { bindingBlocks } from "../../src/hcl/bindings";
import { writeHcl } from "../../src/hcl/write";
import { stageConfig, synthStage } from "../modules/helpers";

/** Every resource and data type a synthesized stack holds must be in the block table, or the HCL would guess. */
test("the block table covers every type the stacks use, and every stack converts", () => {
  const app = Testing.app();
  const bootstrap = new StateBootstrapStack(app, "bootstrap", { projectName: "my-app", owner: "me", region: "us-east-1", bucketName: "my-app-tf-state", statePath: "terraform.bootstrap.tfstate" });
  const stacks = [synthStage({ env: { ALARM_EMAIL: "oncall@example.com" } }).tf, synthStage({ config: stageConfig({ STATE_BACKEND: "s3", STATE_BUCKET: "my-app-tf-state" }) }).tf, JSON.parse(Testing.synth(bootstrap))];
  const known = knownTypes();
  for (const tf of stacks) {
    expect(Object.keys(tf.resource).filter((t) => !known.resource.includes(t))).toEqual([]);
    expect(Object.keys(tf.data ?? {}).filter((t) => !known.data.includes(t))).toEqual([]);
    expect(writeHcl(tf)).toMatch(/^terraform \{\n/);
  }
});

/** The stack pins the provider version of the cdktf bindings; the table comes from an older schema plus the bindings. */
test("the block table holds every top-level block the installed provider bindings declare", () => {
  expect(bindingBlocks("resource", "aws_lambda_function")).toEqual(expect.arrayContaining(["environment", "tracing_config"]));
  expect(bindingBlocks("data", "aws_iam_policy_document")).toEqual(["statement"]);
  const missing: string[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const type of knownTypes()[kind]) {
      const paths = blockPaths(kind, type)!;
      for (const block of bindingBlocks(kind, type)) if (!paths.has(block)) missing.push(`${kind} ${type}.${block}`);
    }
  }
  expect(missing).toEqual([]);
});
