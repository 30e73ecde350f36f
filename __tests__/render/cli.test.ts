import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/config/handlers";

function render(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "src/cli/render.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, STAGE: "", STAGES: "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("prints the rendered definition for the current stage", () => {
  const r = render(["choice", "--stage", "qa"]);
  expect(r.code).toBe(0);
  const definition = JSON.parse(r.stdout);
  expect(definition.StartAt).toBe("CheckCondition");
  expect(definition.States.PremiumProcessing.Parameters.FunctionName).toBe(
    "arn:aws:lambda:us-east-1:123456789012:function:my-app-qa-premium-processing",
  );
});

test("an unknown workflow: one message listing the known ones, exit 1, nothing on stdout", () => {
  const r = render(["nope"]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim()).toBe(
    'Unknown workflow "nope". Known workflows: order-processing, sequential, parallel, map, choice, wait, data-transform, error-handling, order-fulfilment. Add it to workflows/catalogue.ts or fix the name.',
  );
});

test("an invalid environment value names the variable, the value and the rule", () => {
  const r = render(["map"], { LOG_LEVEL: "loud" });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR. Received: "loud"');
});

test("usage errors exit 2", () => {
  expect(render([]).code).toBe(2);
  expect(render(["map", "--bogus"]).code).toBe(2);
});
