// The matchers are installed by __tests__/setup.ts; this brings their types in.
import type {} from "cdktf/lib/testing/adapters/jest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadStageConfig, type StageConfig } from "../../src/config/stage";
import { StageStack, type StageStackProps } from "../../modules/stage-stack";

export type Tf = {
  resource: Record<string, Record<string, Record<string, any>>>;
  data: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: string; description?: string }>;
  terraform: Record<string, any>;
};

/** A stage config from the embedded defaults plus `env`, ignoring any .env file in the repository. */
export function stageConfig(env: Record<string, string> = {}): StageConfig {
  return loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "modules-")), env });
}

/** Synthesizes one StageStack and parses it. */
export function synthStage(props: Partial<StageStackProps> & { env?: Record<string, string> } = {}): { stack: StageStack; json: string; tf: Tf } {
  const app = Testing.app();
  const stack = new StageStack(app, "test", { config: props.config ?? stageConfig(props.env), ...props });
  const json = Testing.synth(stack);
  return { stack, json, tf: JSON.parse(json) as Tf };
}

/** Resources of a type, keyed by logical id. */
export const resources = (tf: Tf, type: string): Record<string, any> => tf.resource[type] ?? {};

/** The one resource of `type` whose `field` equals `value`. */
export function byField(tf: Tf, type: string, field: string, value: unknown): [string, any] {
  const found = Object.entries(resources(tf, type)).filter(([, r]) => r[field] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${field}=${String(value)}, found ${found.length}`);
  return found[0];
}

/** `${data.aws_iam_policy_document.X.json}` -> the data source X. */
export function policyDocumentOf(tf: Tf, reference: string): any {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`not a policy document reference: ${reference}`);
  return tf.data.aws_iam_policy_document[match[1]];
}

/** `${aws_lambda_function.X.arn}` -> the function's name. */
export function functionNameOf(tf: Tf, reference: string): string {
  const match = /^\$\{aws_lambda_function\.([^.]+)\.arn\}(:\*)?$/.exec(reference);
  if (!match) throw new Error(`not a function ARN reference: ${reference}`);
  return resources(tf, "aws_lambda_function")[match[1]].function_name + (match[2] ?? "");
}
