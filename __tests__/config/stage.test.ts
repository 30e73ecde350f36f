import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig, loadStageConfigs, templateVariables } from "../../src/config/stage";
import { names } from "../../src/config/naming";
import { ConfigError } from "../../src/errors";

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "stage-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe("loadStageConfig", () => {
  test("embedded defaults: a fresh clone needs no configuration", () => {
    const c = loadStageConfig({ cwd: dir(), env: {} });
    expect(templateVariables(c)).toEqual({
      PAYMENT_MODE: "sandbox",
      PROJECT_NAME: "my-app",
      STAGE: "dev",
      REGION: "us-east-1",
      OWNER: "platform-team",
      LOG_LEVEL: "INFO",
    });
    expect(c.backend).toEqual({ type: "local", path: "terraform.my-app-dev.tfstate" });
    expect(c.logRetentionDays).toBe(365);
    expect(c.sources).toEqual(["stages/dev.env"]); // committed, comments only
  });

  test("environment > .env.<stage> > .env > defaults", () => {
    const cwd = dir({
      ".env": "PROJECT_NAME=shop\nOWNER=John Doe abc123\nLOG_LEVEL=DEBUG\nREGION=eu-west-1\n",
      ".env.prod": "LOG_LEVEL=WARN\nREGION=eu-central-1\n",
    });
    const c = loadStageConfig({ cwd, env: { STAGE: "prod", REGION: "ap-southeast-2" } });
    expect(c.projectName).toBe("shop");
    expect(c.owner).toBe("John Doe abc123");
    expect(c.logLevel).toBe("WARN");
    expect(c.region).toBe("ap-southeast-2");
    expect(c.sources).toEqual([".env", "stages/prod.env", ".env.prod"]);
  });

  test("every problem at once, each with the variable, the value and the rule", () => {
    const run = () =>
      loadStageConfig({ cwd: dir(), env: { PROJECT_NAME: "My_App", STAGE: "dev", REGION: "mars-1", LOG_LEVEL: "verbose", LOG_RETENTION_DAYS: "10" } });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        `PROJECT_NAME must start with a lower-case letter and use only a-z, 0-9 and '-', not ending in '-'. Received: "My_App"`,
        `REGION must be an AWS region, one of the 48 listed in src/config/regions.ts (closest: "ca-west-1"). Received: "mars-1"`,
        `LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR. Received: "verbose"`,
        expect.stringContaining(`LOG_RETENTION_DAYS must be one of the values CloudWatch Logs accepts: 1, 3, 5`),
      ]);
    }
  });

  test("names that would exceed AWS limits are rejected with the amount to cut", () => {
    const longProject = "a".repeat(40);
    const run = () => loadStageConfig({ cwd: dir(), env: { PROJECT_NAME: longProject, STAGE: "production" } });
    expect(run).toThrow(/Lambda function names allow at most 64\. Shorten PROJECT_NAME/);
    expect(run).toThrow(/IAM role names allow at most 64/);
  });

  test("the longest names of the default stage fit", () => {
    const c = loadStageConfig({ cwd: dir(), env: {} });
    expect(names.stateMachine(c, "order-processing")).toBe("my-app-dev-order-processing");
  });

  test("S3 backend: bucket required, key per project and stage", () => {
    expect(() => loadStageConfig({ cwd: dir(), env: { STATE_BACKEND: "s3" } })).toThrow(/STATE_BUCKET must name the S3 bucket/);
    const c = loadStageConfig({ cwd: dir(), env: { STATE_BACKEND: "s3", STATE_BUCKET: "my-app-tf-state", STATE_LOCK_TABLE: "locks" } });
    expect(c.backend).toEqual({
      type: "s3",
      bucket: "my-app-tf-state",
      key: "my-app/dev/terraform.tfstate",
      region: "us-east-1",
      kmsKeyId: undefined,
      dynamodbTable: "locks",
    });
  });

  test("an invalid .env line stops loading and names the file", () => {
    expect(() => loadStageConfig({ cwd: dir({ ".env": "OWNER John\n" }), env: {} })).toThrow(/\.env:1: cannot parse "OWNER John"/);
  });
});

describe("loadStageConfigs", () => {
  test("STAGES lists several stages, each with its own .env.<stage>", () => {
    const cwd = dir({ ".env": "STAGES=dev,prod\n", ".env.prod": "LOG_LEVEL=ERROR\n" });
    const configs = loadStageConfigs({ cwd, env: {} });
    expect(configs.map((c) => [c.stage, c.logLevel])).toEqual([
      ["dev", "INFO"],
      ["prod", "ERROR"],
    ]);
  });

  test("without STAGES, the single STAGE", () => {
    expect(loadStageConfigs({ cwd: dir(), env: { STAGE: "qa" } }).map((c) => c.stage)).toEqual(["qa"]);
  });

  test("duplicates are an error", () => {
    expect(() => loadStageConfigs({ cwd: dir(), env: { STAGES: "dev,dev" } })).toThrow(
      'STAGES must be a comma-separated list of distinct stage names. Received: "dev,dev"',
    );
  });
});

describe("catalogueProblems", () => {
  const { catalogueProblems } = jest.requireActual("../../src/config/stage") as typeof import("../../src/config/stage");
  test("the shipped catalogue is clean", () => {
    expect(catalogueProblems()).toEqual([]);
  });
  test("names that cannot become AWS names, reserved names and duplicates", () => {
    expect(catalogueProblems([
      { name: "Order_Flow", template: "x" },
      { name: "functions", template: "x" },
      { name: "map", template: "x" },
      { name: "map", template: "y" },
    ])).toEqual([
      'workflows/catalogue.ts: workflow name "Order_Flow" must be kebab-case (a-z, 0-9, single hyphens), since it becomes part of AWS names.',
      'workflows/catalogue.ts: workflow name "functions" is reserved (it would collide with the stage\'s functions resources). Choose another name.',
      'workflows/catalogue.ts: workflow name "map" appears twice.',
    ]);
  });
});

test(".env.example loads as a .env file", () => {
  const { readFileSync } = jest.requireActual("node:fs") as typeof import("node:fs");
  const text = readFileSync(join(__dirname, "..", "..", ".env.example"), "utf8");
  const c = loadStageConfig({ cwd: dir({ ".env": text }), env: {} });
  expect(c.owner).toBe("John Doe abc123");
});

describe("stage variables of the team's own, unknown keys, committed stage files", () => {
  test("a declared variable: its default, set per stage, validated against its rule, available to templates", () => {
    expect(loadStageConfig({ cwd: dir(), env: {} }).variables).toEqual({ PAYMENT_MODE: "sandbox" });
    const prod = loadStageConfig({ cwd: dir({ ".env.prod": "PAYMENT_MODE=live\n" }), env: { STAGE: "prod" } });
    expect(templateVariables(prod).PAYMENT_MODE).toBe("live");
    expect(() => loadStageConfig({ cwd: dir(), env: { PAYMENT_MODE: "Live" } })).toThrow(/PAYMENT_MODE must be one of sandbox, live .*Received: "Live"/);
  });

  test("a key nobody declared is a warning naming the file and the closest known key", () => {
    const c = loadStageConfig({ cwd: dir({ ".env": "LOG_LEVL=DEBUG\nPAYMENT_MOD=live\n" }), env: {} });
    expect(c.warnings).toEqual([
      ".env: LOG_LEVL is not a known setting, so it has no effect. Did you mean LOG_LEVEL? (Declare a stage variable of your own in workflows/stage-variables.ts.)",
      ".env: PAYMENT_MOD is not a known setting, so it has no effect. Did you mean PAYMENT_MODE? (Declare a stage variable of your own in workflows/stage-variables.ts.)",
    ]);
    expect(c.logLevel).toBe("INFO");
  });

  test("committed stages/<stage>.env sits between .env and the local .env.<stage>", () => {
    const stagesDir = dir({ "qa.env": "LOG_LEVEL=WARN\nREGION=eu-west-1\n" });
    const c = loadStageConfig({ cwd: dir({ ".env": "LOG_LEVEL=ERROR\nREGION=us-west-2\n", ".env.qa": "REGION=eu-central-1\n" }), env: { STAGE: "qa" }, stagesDir });
    expect(c.logLevel).toBe("WARN");
    expect(c.region).toBe("eu-central-1");
    expect(c.sources).toEqual([".env", "stages/qa.env", ".env.qa"]);
  });

  test("a stage listed in STAGES with no configuration of its own is an error, not a default stack", () => {
    const stagesDir = dir({ "dev.env": "", "prod.env": "" });
    expect(loadStageConfigs({ cwd: dir(), env: { STAGES: "dev,prod" }, stagesDir }).map((c) => c.stage)).toEqual(["dev", "prod"]);
    expect(() => loadStageConfigs({ cwd: dir(), env: { STAGES: "dev,prd" }, stagesDir })).toThrow(
      'STAGES lists "prd", which has no configuration of its own: create stages/prd.env (committed, no secrets) or .env.prd (local), or fix the name (configured stages: dev, prod). Received: STAGES="dev,prd"',
    );
    expect(loadStageConfigs({ cwd: dir({ ".env.prd": "" }), env: { STAGES: "dev,prd" }, stagesDir })).toHaveLength(2);
  });
});
