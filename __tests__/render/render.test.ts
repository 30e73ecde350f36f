import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig, type StageConfig } from "../../src/config/stage";
import { localTarget, renderTemplate, renderWorkflow, renderedTextOrigin, type RenderTarget } from "../../src/render/render";
import { TemplateError, UnknownWorkflowError } from "../../src/errors";
import { WORKFLOWS, getWorkflow } from "../../src/catalogue";

const empty = () => mkdtempSync(join(tmpdir(), "render-"));
const dev = loadStageConfig({ cwd: empty(), env: {} });
const prod = loadStageConfig({
  cwd: empty(),
  env: { PROJECT_NAME: "shop", STAGE: "prod", REGION: "eu-west-1", OWNER: "Jane JD Doe", LOG_LEVEL: "WARN" },
});
const F = "__tests__/render/fixtures";

/** Every Task state in a definition, including Parallel branches and Map processors. */
function tasks(definition: Record<string, unknown>): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (states: Record<string, any>) => {
    for (const state of Object.values(states)) {
      if (state.Type === "Task") out.push(state);
      for (const branch of state.Branches ?? []) walk(branch.States);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) walk(processor.States);
    }
  };
  walk(definition.States as Record<string, any>);
  return out;
}

describe.each([
  ["default stage", dev],
  ["a second stage", prod],
])("every shipped workflow renders and lints clean for %s", (_label, config: StageConfig) => {
  test.each(WORKFLOWS.map((w) => [w.name]))("%s", (name) => {
    const rendered = renderWorkflow(getWorkflow(name), config);
    expect(rendered.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(rendered.definition.StartAt).toBeDefined();
    // Every Task names its function, and every named function is recorded as used.
    const arns = tasks(rendered.definition).filter((t) => t.Resource.includes("lambda")).map((t) => t.Parameters.FunctionName);
    for (const arn of arns) expect(arn).toMatch(new RegExp(`^arn:aws:lambda:${config.region}:123456789012:function:${config.projectName}-${config.stage}-`));
    expect(new Set(arns.map((a: string) => a.split(`${config.projectName}-${config.stage}-`)[1]))).toEqual(new Set(rendered.functions));
    // Standard workflows: every task has a timeout (the seed had none).
    for (const t of tasks(rendered.definition)) expect(t.TimeoutSeconds).toBeGreaterThan(0);
  });
});

describe("renderWorkflow", () => {
  test("order processing calls exactly its four functions", () => {
    expect(renderWorkflow(getWorkflow("order-processing"), dev).functions).toEqual([
      "handle-error",
      "process-payment",
      "update-inventory",
      "validate-order",
    ]);
  });

  test("output is pretty, key-sorted and byte-stable", () => {
    const a = renderWorkflow(getWorkflow("map"), dev).json;
    const b = renderWorkflow(getWorkflow("map"), dev).json;
    expect(a).toBe(b);
    expect(a.indexOf('"Comment"')).toBeLessThan(a.indexOf('"StartAt"'));
    expect(a).toContain('\n  "States": {');
  });

  test("the target decides what {{lambda}} renders (a Terraform reference when synthesizing)", () => {
    const target: RenderTarget = { ...localTarget(dev), functionArn: (h) => `\${aws_lambda_function.${h.replace(/-/g, "_")}.arn}` };
    const rendered = renderWorkflow(getWorkflow("choice"), dev, target);
    expect(JSON.stringify(rendered.definition)).toContain("${aws_lambda_function.premium_processing.arn}");
  });

  test("data-transform records the entered time with Parameters, not a static Result", () => {
    const pass = (renderWorkflow(getWorkflow("data-transform"), dev).definition.States as any).TransformData;
    expect(pass.Result).toBeUndefined();
    expect(pass.Parameters["processedAt.$"]).toBe("$$.State.EnteredTime");
  });

  test("an unknown workflow lists the known ones", () => {
    expect(() => getWorkflow("nope")).toThrow(UnknownWorkflowError);
    expect(() => getWorkflow("nope")).toThrow(/^Unknown workflow "nope"\. Known workflows: order-processing, sequential, /);
  });
});

describe("bad templates: one clear error naming the file, the place and the fix", () => {
  test("Handlebars syntax error", () => {
    expect(() => renderTemplate(`${F}/syntax-error.hbs`, dev)).toThrow(TemplateError);
    expect(() => renderTemplate(`${F}/syntax-error.hbs`, dev)).toThrow(/^__tests__\/render\/fixtures\/syntax-error\.hbs: Handlebars syntax error: /);
  });

  test("unknown variable (strict mode)", () => {
    expect(() => renderTemplate(`${F}/unknown-variable.hbs`, dev)).toThrow(
      `${F}/unknown-variable.hbs:3: template variable "STAGEE" is not defined. Known variables: PROJECT_NAME, STAGE, REGION, OWNER, LOG_LEVEL, PAYMENT_MODE. Fix the name, or declare a stage variable of your own in workflows/stage-variables.ts.`,
    );
  });

  describe("invalid JSON after rendering: one line naming the template's line (and the partial's), what it reads and the fix", () => {
    const failure = (file: string, config: StageConfig = dev): TemplateError => {
      try {
        renderTemplate(`${F}/${file}`, config);
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateError);
        expect((error as Error).message).not.toContain("\n");
        return error as TemplateError;
      }
      throw new Error(`${file} rendered valid JSON`);
    };
    const FIX = "Fix the template so that it renders valid JSON (use {{json value}} to emit values).";

    test("a missing comma: the line where JSON stops, and the line just before it", () => {
      expect(failure("invalid-json.hbs").message).toBe(
        `${F}/invalid-json.hbs:4: rendered output is not valid JSON: Expected ',' or '}' after property value (rendered line 4, column 3); ` +
          `line 4 reads "\\"States\\": {}", just after ${F}/invalid-json.hbs:3 (line 3 reads "\\"StartAt\\": \\"A\\""). ${FIX}`,
      );
    });

    test("a bad comma after a multi-line {{#if}} block and partial includes: the template's line 19, not the rendered line 25", () => {
      const message = failure("invalid-json-after-blocks.hbs").message;
      expect(message).toBe(
        `${F}/invalid-json-after-blocks.hbs:19: rendered output is not valid JSON: Expected double-quoted property name (rendered line 25, column 27); ` +
          `line 19 reads "\\"B\\": { \\"Type\\": \\"Pass\\",, \\"End\\": true }". ${FIX}`,
      );
      // In prod the {{#if}} block renders nothing: the rendered line moves, the template line does not.
      expect(failure("invalid-json-after-blocks.hbs", prod).message).toMatch(new RegExp(`^${F}/invalid-json-after-blocks\\.hbs:19: .*\\(rendered line 21, column 27\\); line 19 reads `));
    });

    test("text from a partial: the partial's file and line, and the template line that included it", () => {
      expect(failure("invalid-json-in-partial.hbs").message).toBe(
        `${F}/invalid-json-in-partial.hbs:8, in partial workflows/partials/task-timeout.hbs:1: rendered output is not valid JSON: Expected ',' or ']' after array element (rendered line 8, column 33); ` +
          `workflows/partials/task-timeout.hbs line 1 reads "\\"TimeoutSeconds\\": 60". ${FIX}`,
      );
    });

    test("a missing comma between two standalone partials: the second include's line, just after the first's last line", () => {
      expect(failure("invalid-json-missing-comma.hbs").message).toBe(
        `${F}/invalid-json-missing-comma.hbs:10, in partial workflows/partials/sdk-retry.hbs:1: rendered output is not valid JSON: Expected ',' or ']' after array element (rendered line 17, column 18); ` +
          `workflows/partials/sdk-retry.hbs line 1 reads "{", just after ${F}/invalid-json-missing-comma.hbs:9, in partial workflows/partials/sdk-retry.hbs:9 (workflows/partials/sdk-retry.hbs line 9 reads "}"). ${FIX}`,
      );
    });

    test.each(WORKFLOWS.map((w) => [w.template]))("%s: the marked rendering reproduces the output, and every line maps to its template line", (template) => {
      const { text, origin } = renderedTextOrigin(template, dev);
      expect(origin).toBeDefined();
      const source = readFileSync(template, "utf8").split("\n");
      // Each rendered line starting with a key maps to a template or partial line holding that key.
      let offset = 0;
      for (const line of text.split("\n")) {
        const key = /^\s*("[A-Za-z]+"):/.exec(line)?.[1];
        if (key) {
          const place = origin?.(offset + line.indexOf(key));
          const lines = place?.includedAt ? readFileSync(place.file, "utf8").split("\n") : source;
          expect(lines[(place?.line ?? 0) - 1]).toContain(key);
        }
        offset += line.length + 1;
      }
    });
  });

  test("a {{lambda}} that names no handler", () => {
    expect(() => renderTemplate(`${F}/unknown-handler.hbs`, dev)).toThrow(
      /^__tests__\/render\/fixtures\/unknown-handler\.hbs:4: \{\{lambda "no-such-handler"\}\} names no handler in handlers\/\. Known handlers: .*Create handlers\/no-such-handler\.ts or fix the name\.$/,
    );
  });

  test("{{json}} emits any value safely, quotes included; nothing is HTML-escaped", () => {
    // The stage configuration rejects quotes in OWNER (AWS tag values); the helper must stay safe for any value.
    const { definition } = renderTemplate(`${F}/json-helper.hbs`, { ...prod, owner: 'Jane "JD" Doe' });
    expect((definition.States as any).A.Result).toBe('Jane "JD" Doe');
  });

  test("a missing template file", () => {
    expect(() => renderTemplate(`${F}/missing.hbs`, dev)).toThrow(`${F}/missing.hbs: cannot read the template. Check the path in workflows/catalogue.ts.`);
  });
});

test("`}}}` after a helper gets a hint, since it reads as a triple-stash", () => {
  expect(() => renderTemplate(`${F}/triple-brace.hbs`, dev)).toThrow(/put a space between `\}\}` and `\}`\.$/);
});

describe("references: {{accountId}} {{partition}} {{region}} {{stateMachineArn}} {{resource}} eq/ne", () => {
  test("local values: account 123456789012, the stage's region and partition, resources named as the stage stack names them", () => {
    expect(renderTemplate(`${F}/references.hbs`, dev).definition).toEqual({
      account: "123456789012",
      partition: "aws",
      region: "us-east-1",
      sibling: "arn:aws:states:us-east-1:123456789012:stateMachine:my-app-dev-order-processing",
      table: "my-app-dev-orders",
      tableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/my-app-dev-orders",
      topic: "arn:aws:sns:us-east-1:123456789012:my-app-dev-order-events",
      bucket: "my-app-dev-receipts-123456789012",
      prod: false,
      notProd: true,
    });
    const p = renderTemplate(`${F}/references.hbs`, prod).definition;
    expect(p).toMatchObject({ region: "eu-west-1", table: "shop-prod-orders", prod: true, notProd: false });
  });

  test("the partition follows the region", () => {
    const cn = loadStageConfig({ cwd: empty(), env: { REGION: "cn-north-1" } });
    expect(renderTemplate(`${F}/references.hbs`, cn).definition).toMatchObject({ partition: "aws-cn", tableArn: "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/my-app-dev-orders" });
  });

  test("an existing resource renders as its RESOURCE_<NAME>_ARN gives it", () => {
    const existing = loadStageConfig({ cwd: empty(), env: { RESOURCE_ORDERS_ARN: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders" } });
    expect(renderTemplate(`${F}/references.hbs`, existing).definition).toMatchObject({
      table: "legacy-orders",
      tableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/legacy-orders",
    });
  });

  test("the target decides: Terraform references when synthesizing", () => {
    const target: RenderTarget = {
      ...localTarget(dev),
      accountId: () => "${data.aws_caller_identity.current.account_id}",
      resource: (decl, attribute) => `\${aws_x.${decl.name}.${attribute}}`,
    };
    expect(renderTemplate(`${F}/references.hbs`, dev, target).definition).toMatchObject({
      account: "${data.aws_caller_identity.current.account_id}",
      table: "${aws_x.orders.name}",
    });
  });

  test("an unknown workflow is an error naming the line and listing the known ones", () => {
    expect(() => renderTemplate(`${F}/unknown-workflow.hbs`, dev)).toThrow(
      /^__tests__\/render\/fixtures\/unknown-workflow\.hbs:3: \{\{stateMachineArn "order-procesing"\}\} names no workflow of this stage\. Known workflows: order-processing, sequential, .*order-fulfilment\./,
    );
  });

  test("an unknown resource or attribute is an error listing the known ones", () => {
    expect(() => renderTemplate(`${F}/unknown-resource.hbs`, dev)).toThrow(/:2: \{\{resource "ordres" \.\.\.\}\} names no declared resource\. Known resources: orders, order-events, receipts, fulfilment-alerts\./);
    expect(() => renderTemplate(`${F}/unknown-attribute.hbs`, dev)).toThrow(/a dynamodb-table has no attribute "url"\. Use one of: arn, name\./);
  });
});
