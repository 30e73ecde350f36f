/**
 * Terraform is the judge of the HCL writer and of the escaping: `terraform fmt
 * -check` on the written HCL, `terraform validate` on a copy of the JSON and
 * of the HCL folder, and Terraform's own decoding of a definition holding
 * `${...}` and `%{...}` text. Needs Terraform and the hashicorp/aws provider
 * in a filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins); the
 * stack pins the provider its bindings were generated for, so the copies
 * override the version to the mirror's. Skips with a message when either is
 * missing, unless REQUIRE_TERRAFORM=1 (CI), where that fails.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthStages } from "../../modules/app";
import { loadStageConfigs } from "../../src/config/stage";
import { unescapeTerraformTemplate } from "../../src/hcl/escape";
import { writeHclCopies } from "../../src/hcl/folder";
import { writeHcl } from "../../src/hcl/write";
import type { WorkflowSpec } from "../../workflows/catalogue";
import { synthStage } from "../modules/helpers";

const MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";
const AWS_MIRROR = join(MIRROR, "registry.terraform.io", "hashicorp", "aws");
const required = process.env.REQUIRE_TERRAFORM === "1";

function availability(): { ok: true; version: string } | { ok: false; reason: string } {
  const version = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return { ok: false, reason: "terraform is not on PATH (https://developer.hashicorp.com/terraform/install)" };
  const versions = existsSync(AWS_MIRROR) ? readdirSync(AWS_MIRROR).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  if (versions.length === 0) return { ok: false, reason: `no hashicorp/aws provider in the filesystem mirror ${AWS_MIRROR} (set TF_PLUGIN_MIRROR)` };
  return { ok: true, version: versions.sort().at(-1)! };
}
const tf = availability();
if (!tf.ok && !required) console.warn(`Skipping the Terraform checks: ${tf.reason}. CI sets REQUIRE_TERRAFORM=1 to make this a failure.`);
const maybe = tf.ok || required ? describe : describe.skip;

const temp = (label: string) => mkdtempSync(join(tmpdir(), `hcl-${label}-`));
let env: NodeJS.ProcessEnv = process.env;

function terraform(cwd: string, args: string[]): string {
  const result = spawnSync("terraform", [...args, "-no-color"], { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} in ${cwd} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** A copy of a stack folder that Terraform can initialise here: the mirror's provider version, no backend. */
function checkableCopy(folder: string, label: string): string {
  const copy = join(temp(label), "stack");
  cpSync(folder, copy, { recursive: true });
  const version = tf.ok ? tf.version : "0.0.0";
  writeFileSync(join(copy, "override.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } } }));
  terraform(copy, ["init", "-backend=false", "-input=false"]);
  return copy;
}

maybe("Terraform accepts what synthesis writes", () => {
  let out: string;
  beforeAll(() => {
    if (!tf.ok) throw new Error(`REQUIRE_TERRAFORM=1 but ${tf.reason}`);
    const rc = join(temp("rc"), "terraform.rc");
    writeFileSync(
      rc,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    out = temp("synth");
    synthStages(loadStageConfigs({ cwd: temp("env"), env: {} }), { outdir: out });
    writeHclCopies(out);
  }, 120000);

  test("terraform fmt -check passes on the HCL of the default stage", () => {
    expect(readdirSync(join(out, "hcl", "my-app-dev"))).toEqual(expect.arrayContaining(["cdk.tf", "assets"]));
    terraform(join(out, "hcl", "my-app-dev"), ["fmt", "-check", "-diff"]);
  });

  test("terraform fmt -check passes on every construct the writer knows (heredoc, chomp, jsonencode, moved, lifecycle, wide keys)", () => {
    const dir = temp("zoo");
    writeFileSync(
      join(dir, "zoo.tf"),
      writeHcl({
        resource: {
          aws_sqs_queue: {
            q: {
              name: "q",
              tags: { "é": "1", "日本語": "2", a: "3", "e\u0301x": "4", "managed-by": "5" },
              policy: '{\n  "B": 1\n}',
              redrive_policy: '{\n  "B": 1\n}\n',
              delay_seconds: 1,
              depends_on: ["aws_iam_role.r"],
              lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] },
            },
            r: { count: 2, name: "x", redrive_allow_policy: '{"a":[],"b":{},"c":[[1,2],{"d":null}]}', fifo_queue: true },
          },
        },
        output: { arn: { value: "${aws_sqs_queue.q.arn}", description: 'say "$${HOME}"\n%%{if}' } },
        moved: [{ from: "aws_sqs_queue.old", to: "aws_sqs_queue.q" }],
      }),
    );
    terraform(dir, ["fmt", "-check", "-diff"]);
  });

  test("terraform validate passes on a copy of the JSON folder and of the HCL folder", () => {
    for (const kind of ["stacks", "hcl"]) {
      const copy = checkableCopy(join(out, kind, "my-app-dev"), kind);
      expect(terraform(copy, ["validate"])).toContain("Success! The configuration is valid.");
    }
  }, 120000);
});

const literal: WorkflowSpec = {
  name: "literal-text",
  template: "__tests__/hcl/fixtures/literal-text.asl.json.hbs",
  type: "STANDARD",
  description: "Holds ${HOME} and %{if} as text.",
  triggers: [{ kind: "eventbridge", pattern: { source: ["${HOME}"], "detail-type": ["%{if}"] } }],
};

describe("no unintended interpolation", () => {
  const { stack, tf: json } = synthStage({ workflows: [literal] });
  const rendered = stack.rendered[0].workflow.json;
  const definition: string = Object.values(json.resource.aws_sfn_state_machine)[0].definition;

  test("template text reaches Terraform escaped, and Terraform's un-escaping gives the rendered definition back", () => {
    expect(rendered).toContain('"command": "echo ${HOME}"');
    expect(definition).toContain('"command": "echo $${HOME}"');
    expect(definition).toContain('"directive": "%%{if true}yes%%{endif}"');
    expect(definition).toContain('"escaped": "$$${x}"');
    expect(definition).toContain('"$${key}": "keys too"');
    expect(unescapeTerraformTemplate(definition)).toBe(rendered);
  });

  test("catalogue text too: the output description and the event pattern", () => {
    expect(json.output.literal_text_state_machine_arn.description).toContain("Holds $${HOME} and %%{if} as text.");
    const rule = Object.values(json.resource.aws_cloudwatch_event_rule)[0] as { event_pattern: string; description: string };
    expect(rule.event_pattern).toBe('{"detail-type":["%%{if}"],"source":["$${HOME}"]}');
    expect(rule.description).toContain("$${HOME}");
  });

  test("references the project makes stay references", () => {
    const { tf: shipped } = synthStage();
    const machines = Object.values(shipped.resource.aws_sfn_state_machine).map((m) => m.definition as string);
    expect(machines.join("\n")).toMatch(/"FunctionName": "\$\{aws_lambda_function\.[^"$]+\.arn\}"/);
    expect(machines.join("\n")).not.toContain("$${");
  });

  maybe("Terraform decodes it", () => {
    test("the definition Terraform evaluates, from the JSON and from the HCL, is the rendered text, ${HOME}, %{if} and $${x} included", () => {
      if (!tf.ok) throw new Error(`REQUIRE_TERRAFORM=1 but ${tf.reason}`);
      const config = { output: { definition: { value: definition } } };
      for (const [file, text] of [["main.tf.json", JSON.stringify(config)], ["main.tf", writeHcl(config)]] as const) {
        const dir = temp("decode");
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, file), text);
        terraform(dir, ["apply", "-auto-approve", "-input=false"]);
        const value = JSON.parse(terraform(dir, ["output", "-json", "definition"])) as string;
        expect(`${file}: ${value}`).toBe(`${file}: ${rendered}`);
      }
    }, 60000);
  });
});
