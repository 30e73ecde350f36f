import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeError, listCommands, report } from "../../src/cli/main";
import { ConfigError, UsageError } from "../../src/errors";
import { bin, cli, REPO_ROOT } from "./helpers";

const NAMES = ["conformance", "exec", "lint", "module", "render", "review", "synth", "test-state"];

test("the top-level help lists every command; --version prints package.json's version", async () => {
  const help = await cli(["--help"]);
  expect(help.code).toBe(0);
  for (const name of NAMES) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
  const version = await cli(["--version"]);
  expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version}\n`);
});

test.each(NAMES)("%s --help, -h and `help <command>` print its usage and every option, exit 0", async (name) => {
  const r = await cli([name, "--help"]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
  expect(r.stdout).toMatch(new RegExp(`^Usage: sfn-workflows ${name}\\b`));
  const command = listCommands().find((c) => c.name === name)!;
  for (const option of [...Object.keys(command.options), "help", "debug"]) expect(r.stdout).toContain(`--${option}`);
  expect((await cli(["help", name])).stdout).toBe(r.stdout);
  expect((await cli([name, "-h"])).stdout).toBe(r.stdout);
});

test("every command file's name matches the command it defines", () => {
  expect(listCommands().map((c) => c.name)).toEqual(NAMES);
});

describe("errors", () => {
  test("a project error is its message and its exit code", () => {
    expect(describeError(new UsageError({ where: "--stage", what: "needs a value", received: "", fix: "write --stage dev" }))).toEqual({
      message: '--stage: needs a value. Received: "". Fix: write --stage dev.',
      exitCode: 2,
      bug: false,
    });
  });

  test("a configuration error with several problems lists them, one per line", () => {
    expect(describeError(new ConfigError(["A is wrong", "B is wrong"])).message).toBe("Invalid stage configuration:\n  - A is wrong\n  - B is wrong");
  });

  test("an unexpected error is one line naming it a bug and where to report it; the stack only with --debug", () => {
    const lines: string[] = [];
    const code = report(new TypeError("x.y is not a function"), { stderr: (l) => lines.push(l) }, { command: "lint" });
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sfn-workflows lint: unexpected error, a bug in sfn-workflows \(please report it, with the command you ran, to .*issues.*\): TypeError: x\.y is not a function\. Run it again with --debug to see the stack trace\.$/);
    const debug: string[] = [];
    report(new TypeError("x.y is not a function"), { stderr: (l) => debug.push(l) }, { debug: true, command: "lint" });
    expect(debug[1]).toMatch(/^TypeError: x\.y is not a function\n\s+at /);
  });

  test("--debug prints the stack of a project error under its message", async () => {
    const r = await cli(["render", "nope", "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Unknown workflow "nope"\..*\nUnknownWorkflowError: Unknown workflow "nope"[^\n]*\n\s+at /);
  });
});

test("the installed command prints its help from any folder", () => {
  const help = bin(["--help"], { cwd: "/" });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: sfn-workflows <command> \[options\]/);
});
