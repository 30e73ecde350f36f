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
