import { parseEnvFile } from "../../src/config/env-file";
import { ConfigError } from "../../src/errors";

describe("parseEnvFile", () => {
  test("the seed's block works verbatim, unquoted value with spaces included", () => {
    const seed = "PROJECT_NAME=my-app\nSTAGE=dev\nREGION=us-east-1\nOWNER=John Doe abc123\nLOG_LEVEL=INFO\n";
    expect(parseEnvFile(seed, ".env")).toEqual({
      PROJECT_NAME: "my-app",
      STAGE: "dev",
      REGION: "us-east-1",
      OWNER: "John Doe abc123",
      LOG_LEVEL: "INFO",
    });
  });

  test.each([
    ['OWNER="Jane # Doe"', "Jane # Doe"],
    ["OWNER='a \"quoted\" name'", 'a "quoted" name'],
    ['OWNER="line\\nbreak"', "line\nbreak"],
    ["OWNER=Jane Doe # the owner", "Jane Doe"],
    ["export OWNER=Jane", "Jane"],
    ["  OWNER = Jane  ", "Jane"],
    ["OWNER=", ""],
  ])("%s", (line, expected) => {
    expect(parseEnvFile(line, ".env").OWNER).toBe(expected);
  });

  test("comments and blank lines are skipped; CRLF is accepted", () => {
    expect(parseEnvFile("# comment\r\n\r\nSTAGE=prod\r\n", ".env")).toEqual({ STAGE: "prod" });
  });

  test("every unparseable line is reported with file and line number", () => {
    const run = () => parseEnvFile("STAGE=dev\nnot a line\n1BAD=x\nOWNER=\"open\n", ".env.prod");
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      [
        "Invalid stage configuration (.env.prod):",
        '  - .env.prod:2: cannot parse "not a line". Expected KEY=value (KEY of letters, digits and _), a comment starting with #, or an empty line.',
        '  - .env.prod:3: cannot parse "1BAD=x". Expected KEY=value (KEY of letters, digits and _), a comment starting with #, or an empty line.',
        '  - .env.prod:4: cannot parse "OWNER="open". Expected KEY=value (KEY of letters, digits and _), a comment starting with #, or an empty line. The closing quote is missing.',
      ].join("\n"),
    );
  });
});

describe("text after a closing quote", () => {
  test("is an error naming the file, the line and the text", () => {
    const run = () => parseEnvFile('STAGE=dev\nOWNER="Jane" Doe\nREGION=\'eu-west-1\'x\n', ".env");
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      [
        "Invalid stage configuration (.env):",
        `  - .env:2: OWNER has text after its closing quote: " Doe". Put the whole value inside the quotes, or start a comment with " #".`,
        `  - .env:3: REGION has text after its closing quote: "x". Put the whole value inside the quotes, or start a comment with " #".`,
      ].join("\n"),
    );
  });

  test("a comment or trailing spaces after the closing quote are fine", () => {
    expect(parseEnvFile('OWNER="Jane Doe" # the owner\nSTAGE=\'qa\'   \n', ".env")).toEqual({ OWNER: "Jane Doe", STAGE: "qa" });
  });
});

describe("readEnvFile: a .env that is not a readable file", () => {
  const { mkdtempSync, mkdirSync } = jest.requireActual("node:fs") as typeof import("node:fs");
  const { join } = jest.requireActual("node:path") as typeof import("node:path");
  const { tmpdir } = jest.requireActual("node:os") as typeof import("node:os");
  const { readEnvFile } = jest.requireActual("../../src/config/env-file") as typeof import("../../src/config/env-file");
  const { loadStageConfig } = jest.requireActual("../../src/config/stage") as typeof import("../../src/config/stage");

  test("a missing file is no values", () => {
    expect(readEnvFile(join(mkdtempSync(join(tmpdir(), "env-")), ".env"))).toBeUndefined();
  });

  test(".env or .env.<stage> that is a directory: one clear error, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "env-"));
    mkdirSync(join(dir, ".env.prod"));
    const file = join(dir, ".env.prod");
    const run = () => loadStageConfig({ cwd: dir, env: { STAGE: "prod" } });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      `Invalid stage configuration (${file}): ${file} is a directory, not a file. Make it a readable KEY=value file, or remove it to use the environment and the defaults.`,
    );
    mkdirSync(join(dir, ".env"));
    expect(() => loadStageConfig({ cwd: dir, env: {} })).toThrow(`${join(dir, ".env")} is a directory, not a file.`);
  });

  test("an unreadable file: permission denied", () => {
    const fs = jest.requireActual("node:fs") as typeof import("node:fs");
    const spy = jest.spyOn(fs, "readFileSync").mockImplementation(() => {
      throw Object.assign(new Error("EACCES: permission denied, open '.env'"), { code: "EACCES" });
    });
    try {
      expect(() => readEnvFile("/some/.env")).toThrow(
        "Invalid stage configuration (/some/.env): /some/.env cannot be read (permission denied). Make it a readable KEY=value file, or remove it to use the environment and the defaults.",
      );
    } finally {
      spy.mockRestore();
    }
  });
});
