import { bin, cli, REPO_ROOT } from "./helpers";

test("prints the rendered definition for the stage given", async () => {
  const r = await cli(["render", "choice", "--stage", "qa"]);
  expect(r.code).toBe(0);
  const definition = JSON.parse(r.stdout);
  expect(definition.StartAt).toBe("CheckCondition");
  expect(definition.States.PremiumProcessing.Parameters.FunctionName).toBe("arn:aws:lambda:us-east-1:123456789012:function:my-app-qa-premium-processing");
});

test("an unknown workflow: one message listing the known ones, exit 2, nothing on stdout", async () => {
  const r = await cli(["render", "nope"]);
  expect(r).toEqual({
    code: 2,
    stdout: "",
    stderr:
      'Unknown workflow "nope". Known workflows: order-processing, sequential, parallel, map, choice, wait, data-transform, error-handling, batch-import, order-fulfilment. Add it to workflows/catalogue.ts or fix the name.\n',
  });
});

test("an invalid environment value names the variable, the value and the rule", async () => {
  const r = await cli(["render", "map"], { env: { LOG_LEVEL: "loud" } });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR. Received: "loud"');
});

test("the installed command renders end to end", () => {
  const r = bin(["render", "map"], { cwd: REPO_ROOT, env: { STAGE: "qa" } });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).Comment).toMatch(/\(qa\)/);
});
