/**
 * Bad input across every command's flags and the files they read: each row
 * must end with the exit code of the rule (2 the command could not run, 1 the
 * work found problems), one line on stderr, no stack trace, and nothing
 * written anywhere (the folders involved are compared before and after).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cli, REPO_ROOT, tempDir } from "./helpers";

const FIXTURE_SYNTH = join(REPO_ROOT, "__tests__", "review", "fixtures", "synth");
const PLANS = join(REPO_ROOT, "__tests__", "review", "fixtures", "plans");

/** Files the rows read, in one folder created once. */
const F = tempDir("bad-input-files-");
const f = (name: string) => join(F, name);
const deepArray = "[".repeat(10_000) + "]".repeat(10_000);
const deepObject = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
const files: Record<string, string> = {
  "not-json.json": "{ this is not json",
  "empty.json": "",
  "deep-array.json": deepArray,
  "deep-object.json": deepObject,
  "array.json": "[1, 2, 3]",
  "string.json": '"just a string"',
  "ok-input.json": '{"orderId":"o-1"}',
  "no-start-at.asl.json": JSON.stringify({ States: { A: { Type: "Succeed" } } }),
  "pass.asl.json": JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }),
  "mock-not-config.json": JSON.stringify({ hello: "world" }),
  "mock-ok.json": JSON.stringify({ StateMachines: { m: { TestCases: { Ok: { A: "R" } } } }, MockedResponses: { R: { "0": { Return: 1 } } } }),
  "mock-bad-key.json": JSON.stringify({ StateMachines: { m: { TestCases: { Ok: { A: "R" } } } }, MockedResponses: { R: { first: { Return: 1 } } } }),
  "syntax.asl.json.hbs": '{ "StartAt": "A", "States": { {{#if}} } }',
  "unknown-var.asl.json.hbs": '{ "Comment": "{{NOPE}}", "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }',
  "bad-json.asl.json.hbs": '{ "StartAt": "A", "States": { "A": { "Type": "Succeed" }, } }',
  "unknown-lambda.asl.json.hbs": '{ "StartAt": "A", "States": { "A": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": { "FunctionName": {{lambda "no-such-handler"}} }, "End": true } } }',
  "zip-plan.json": "PK\u0003\u0004 binary",
  "a-file": "I am a file, not a folder",
  "cases-bad/broken.json": "{ not json",
  "cases-not-case/x.json": JSON.stringify({ id: "x" }),
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(join(F, name, ".."), { recursive: true });
  writeFileSync(f(name), text);
}
mkdirSync(f("a-folder"));
mkdirSync(f("empty-cases"));
mkdirSync(f("empty-base"));

/** Every file under `root` with its size and modification time (nothing is expected to change). */
function snapshot(root: string, depth = 6): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === "node_modules" || entry === ".git") continue;
      const path = join(dir, entry);
      const info = statSync(path);
      out.push(`${relative(root, path)} ${info.isDirectory() ? "dir" : `${info.size} ${info.mtimeMs}`}`);
      if (info.isDirectory() && level < depth) walk(path, level + 1);
    }
  };
  walk(root, 0);
  return out;
}

interface Row {
  readonly argv: readonly string[];
  readonly code: 1 | 2;
  /** What stderr must say (its one line). */
  readonly says?: RegExp;
  readonly env?: Record<string, string>;
  /** Prepares the working folder (e.g. a .env that is a folder). */
  readonly cwd?: (dir: string) => void;
}

type Table = Record<string, Row>;

const UNKNOWN = /^Unknown option "(--frobnicate|-x)"\. Known options: .* Run `sfn-workflows \w+ --help` for the usage\.$/;
const commands = ["synth", "render", "lint", "exec", "review", "conformance"] as const;

const rows: Table = {
  // The command itself.
  "no command": { argv: [], code: 2, says: /^No command given\. Commands: conformance, exec, lint, module, render, review, synth, test-state\./ },
  "unknown command": { argv: ["deploy"], code: 2, says: /^Unknown command "deploy"\. Commands: / },
  "an option before the command": { argv: ["--stage", "dev", "render"], code: 2, says: /^Unknown command "--stage"\. A command comes first/ },
  "help for an unknown command": { argv: ["help", "nope"], code: 2, says: /^Unknown command "nope"/ },
  "a command name in capitals": { argv: ["RENDER", "map"], code: 2, says: /^Unknown command "RENDER"/ },
};

// Flags every command rejects the same way.
for (const c of commands) {
  rows[`${c}: unknown long option`] = { argv: [c, "--frobnicate"], code: 2, says: UNKNOWN };
  rows[`${c}: unknown short option`] = { argv: [c, "-x"], code: 2, says: UNKNOWN };
  rows[`${c}: --debug with a value`] = { argv: [c, "--debug=yes"], code: 2, says: /^--debug takes no value\. Fix: write --debug alone\./ };
  rows[`${c}: --help with a value`] = { argv: [c, "--help=1"], code: 2, says: /^--help takes no value\./ };
}

// Every string option without its value, at the end and followed by another flag.
const stringOptions: Record<(typeof commands)[number], string[]> = {
  synth: ["--stage", "--out"],
  render: ["--stage"],
  lint: ["--stage", "--type"],
  exec: ["--input", "--stage", "--definition", "--mock-config", "--test-case"],
  review: ["--stage", "--base", "--plan", "--out", "--synth", "--screenshot"],
  conformance: ["--executor", "--write", "--filter", "--min-pass-rate"],
};
const prefix: Partial<Record<(typeof commands)[number], string[]>> = { render: ["map"], exec: ["map"] };
for (const c of commands) {
  for (const option of stringOptions[c]) {
    rows[`${c}: ${option} without a value`] = { argv: [c, ...(prefix[c] ?? []), option], code: 2, says: new RegExp(`^${option} needs a value\\. Fix: write ${option} `) };
  }
  const first = stringOptions[c][0];
  rows[`${c}: ${first} followed by another flag`] = { argv: [c, ...(prefix[c] ?? []), first, "--help"], code: 2, says: new RegExp(`^${first} needs a value, but the next argument starts with "-"`) };
  rows[`${c}: ${first}= (empty)`] = { argv: [c, ...(prefix[c] ?? []), `${first}=`], code: 2, says: new RegExp(`^${first} needs a value\\. Received: ""\\.`) };
}

const more: Table = {
  // Flags given twice (only --stage of synth and review repeats).
  "render: --stage twice": { argv: ["render", "map", "--stage", "a", "--stage", "b"], code: 2, says: /^--stage is given twice\. Fix: give it once\./ },
  "lint: --type twice": { argv: ["lint", "--type", "STANDARD", "--type", "EXPRESS"], code: 2, says: /^--type is given twice/ },
  "exec: --input twice": { argv: ["exec", "map", "--input", "{}", "--input", "[]"], code: 2, says: /^--input is given twice/ },
  "review: --out twice": { argv: ["review", "--out", "a", "--out", "b"], code: 2, says: /^--out is given twice/ },
  "synth: --out twice": { argv: ["synth", "--out", "a", "--out", "b"], code: 2, says: /^--out is given twice/ },
  "conformance: --filter twice": { argv: ["conformance", "--filter", "a", "--filter", "b"], code: 2, says: /^--filter is given twice/ },

  // Positional arguments.
  "render: no workflow": { argv: ["render"], code: 2, says: /^render needs a workflow name\. Fix: usage: sfn-workflows render <workflow>/ },
  "render: two workflows": { argv: ["render", "map", "choice"], code: 2, says: /^render takes at most 1 a workflow name\. Received: "map choice"\./ },
  "exec: two workflows": { argv: ["exec", "map", "choice", "--input", "{}"], code: 2, says: /^exec takes at most 1/ },
  "exec: neither workflow nor --definition": { argv: ["exec", "--input", "{}"], code: 2, says: /^name a workflow or pass --definition <file>\./ },
  "exec: no --input": { argv: ["exec", "map"], code: 2, says: /^--input is required\. Fix: pass inline JSON/ },
  "exec: --mock-config without --test-case": { argv: ["exec", "map", "--input", "{}", "--mock-config", "x.json"], code: 2, says: /^--mock-config and --test-case go together/ },
  "exec: --test-case without --mock-config": { argv: ["exec", "map", "--input", "{}", "--test-case", "Ok"], code: 2, says: /^--mock-config and --test-case go together/ },
  "review: a stray argument": { argv: ["review", "main"], code: 2, says: /^review takes no argument besides its options\. Received: "main"/ },
  "synth: a stray argument": { argv: ["synth", "prod"], code: 2, says: /^synth takes no argument besides its options\. Received: "prod"/ },
  "conformance: two folders": { argv: ["conformance", "a", "b"], code: 2, says: /^conformance takes at most 1 a folder of case files/ },

  // Unknown workflows.
  "render: unknown workflow": { argv: ["render", "nope"], code: 2, says: /^Unknown workflow "nope"\. Known workflows: order-processing, / },
  "render: a template path instead of a name": { argv: ["render", "workflows/map.asl.json.hbs"], code: 2, says: /^Unknown workflow "workflows\/map\.asl\.json\.hbs"/ },
  "lint: unknown workflow": { argv: ["lint", "nope"], code: 2, says: /^Unknown workflow "nope"\. Fix: pass a catalogue name/ },
  "exec: unknown workflow": { argv: ["exec", "nope", "--input", "{}"], code: 2, says: /^Unknown workflow "nope"\. Known workflows: / },
  "exec: a workflow name with a prototype key": { argv: ["exec", "__proto__", "--input", "{}"], code: 2, says: /^Unknown workflow "__proto__"/ },

  // Stage values the configuration rejects.
  "render: --stage with capitals and !": { argv: ["render", "map", "--stage", "Prod!"], code: 2, says: /^Invalid stage configuration: STAGE must start with a lower-case letter.*Received: "Prod!"$/ },
  "lint: --stage with a space": { argv: ["lint", "--stage", "a b"], code: 2, says: /^Invalid stage configuration: STAGE .*Received: "a b"$/ },
  "exec: --stage ending in -": { argv: ["exec", "map", "--input", "{}", "--stage", "dev-"], code: 2, says: /^Invalid stage configuration: STAGE .*Received: "dev-"$/ },
  "synth: --stage in capitals": { argv: ["synth", "--stage", "PROD"], code: 2, says: /^Invalid stage configuration: STAGES? .*Received: (STAGES=)?"PROD"$/ },
  "synth: --stage with a comma": { argv: ["synth", "--stage", "dev,prod"], code: 2, says: /^--stage: takes one stage\. Received: "dev,prod"\. Fix: repeat the flag/ },
  "synth: the same --stage twice": { argv: ["synth", "--stage", "dev", "--stage", "dev"], code: 2, says: /^Invalid stage configuration: STAGES must be a comma-separated list of distinct stage names\. Received: "dev,dev"$/ },
  "review: --stage not valid": { argv: ["review", "--stage", "Bad!", "--synth", FIXTURE_SYNTH], code: 2, says: /^Invalid stage configuration: STAGE .*Received: "Bad!"$/ },
  "review: --stage with no synthesized stack": { argv: ["review", "--stage", "prod", "--synth", FIXTURE_SYNTH], code: 2, says: /^No synthesized stack "my-app-prod" in .*Stacks found: my-app-dev\./ },
  "lint: --type lower-case": { argv: ["lint", "--type", "express"], code: 2, says: /^--type: must be STANDARD or EXPRESS\. Received: "express"\./ },

  // exec --input.
  "exec: --input file missing": { argv: ["exec", "map", "--input", f("missing.json")], code: 2, says: /^--input .*missing\.json: no such file\. Fix: pass inline JSON/ },
  "exec: --input is a folder": { argv: ["exec", "map", "--input", f("a-folder")], code: 2, says: /^--input .*a-folder: is a folder, not a file\./ },
  "exec: --input file not JSON": { argv: ["exec", "map", "--input", f("not-json.json")], code: 2, says: /^--input .*not-json\.json: not valid JSON \(.*\)\. Fix: fix the file's JSON\.$/ },
  "exec: --input file empty": { argv: ["exec", "map", "--input", f("empty.json")], code: 2, says: /^--input .*empty\.json: not valid JSON/ },
  "exec: --input file nested 10,000 deep": { argv: ["exec", "map", "--input", f("deep-object.json")], code: 2, says: /^--input .*: the JSON is nested 10000 levels deep; sfn-workflows reads at most 1000\. Fix: flatten it\.$/ },
  "exec: inline --input nested 10,000 deep": { argv: ["exec", "map", "--input", deepArray], code: 2, says: /^--input: the JSON is nested 10000 levels deep/ },
  "exec: inline --input not JSON": { argv: ["exec", "map", "--input", "{bad"], code: 2, says: /^--input: not valid JSON \(.*\)\. Fix: pass inline JSON quoted for the shell/ },
  "exec: inline --input only spaces": { argv: ["exec", "map", "--input", "   "], code: 2, says: /^--input: is empty\./ },
  "exec: inline --input truncated array": { argv: ["exec", "map", "--input", "[1,2"], code: 2, says: /^--input: not valid JSON/ },

  // exec --definition.
  "exec: --definition missing": { argv: ["exec", "--definition", f("missing.asl.json"), "--input", "{}"], code: 2, says: /^--definition .*: no such file\. Fix: pass a rendered ASL JSON file\.$/ },
  "exec: --definition is a folder": { argv: ["exec", "--definition", f("a-folder"), "--input", "{}"], code: 2, says: /: is a folder, not a file\./ },
  "exec: --definition not JSON": { argv: ["exec", "--definition", f("not-json.json"), "--input", "{}"], code: 2, says: /^--definition .*: not valid JSON/ },
  "exec: --definition a JSON array": { argv: ["exec", "--definition", f("array.json"), "--input", "{}"], code: 2, says: /: is not a JSON object \(a state machine definition\)\./ },
  "exec: --definition a JSON string": { argv: ["exec", "--definition", f("string.json"), "--input", "{}"], code: 2, says: /: is not a JSON object/ },
  "exec: --definition nested 10,000 deep": { argv: ["exec", "--definition", f("deep-object.json"), "--input", "{}"], code: 2, says: /the JSON is nested 10000 levels deep/ },
  "exec: --definition without StartAt": { argv: ["exec", "--definition", f("no-start-at.asl.json"), "--input", "{}"], code: 2, says: /^Definition: StartAt is missing/ },

  // exec --mock-config.
  "exec: --mock-config missing": { argv: ["exec", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("nope.json"), "--test-case", "Ok"], code: 2, says: /^--mock-config .*: no such file\. Fix: pass the path of a MockConfigFile\.json\.$/ },
  "exec: --mock-config is a folder": { argv: ["exec", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("a-folder"), "--test-case", "Ok"], code: 2, says: /is a folder, not a file/ },
  "exec: --mock-config not JSON": { argv: ["exec", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("not-json.json"), "--test-case", "Ok"], code: 2, says: /^--mock-config .*: not valid JSON/ },
  "exec: --mock-config not in the mock format": { argv: ["exec", "m", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("mock-not-config.json"), "--test-case", "Ok"], code: 2, says: /expected an object with "StateMachines" and "MockedResponses"/ },
  "exec: --test-case not in the mock config": { argv: ["exec", "m", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("mock-ok.json"), "--test-case", "Nope"], code: 2, says: /^Mock config: state machine "m" has no test case "Nope" \(found: Ok\)\.$/ },
  "exec: state machine not in the mock config": { argv: ["exec", "other", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("mock-ok.json"), "--test-case", "Ok"], code: 2, says: /^Mock config: no state machine "other" under StateMachines/ },
  "exec: a mocked response keyed by a word": { argv: ["exec", "m", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("mock-bad-key.json"), "--test-case", "Ok"], code: 2, says: /^Mock config: mocked response "R" has key "first"/ },
  "exec: --mock-config nested 10,000 deep": { argv: ["exec", "m", "--definition", f("pass.asl.json"), "--input", "{}", "--mock-config", f("deep-array.json"), "--test-case", "Ok"], code: 2, says: /nested 10000 levels deep/ },

  // lint files: a file the command cannot read is exit 2; a definition with problems is a finding (exit 1).
  "lint: file missing": { argv: ["lint", f("missing.asl.json")], code: 2, says: /^.*missing\.asl\.json: no such file\. Fix: pass the path of an ASL JSON file or a \.hbs template\.$/ },
  "lint: a folder": { argv: ["lint", f("a-folder")], code: 2, says: /a-folder: is a folder, not a file\./ },
  "lint: one good file and one missing": { argv: ["lint", f("pass.asl.json"), f("missing.json")], code: 2, says: /missing\.json: no such file/ },
  "lint: not JSON": { argv: ["lint", f("not-json.json")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: empty file": { argv: ["lint", f("empty.json")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: nested 10,000 deep (array)": { argv: ["lint", f("deep-array.json")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: nested 10,000 deep (object)": { argv: ["lint", f("deep-object.json")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: a JSON array": { argv: ["lint", f("array.json")], code: 1, says: /^lint: 1 definition\(s\), [1-9]\d* error\(s\)/ },
  "lint: a definition without StartAt": { argv: ["lint", f("no-start-at.asl.json")], code: 1, says: /^lint: 1 definition\(s\), [1-9]\d* error\(s\)/ },
  "lint: a template with a Handlebars syntax error": { argv: ["lint", f("syntax.asl.json.hbs")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: a template with an unknown variable": { argv: ["lint", f("unknown-var.asl.json.hbs")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: a template rendering invalid JSON": { argv: ["lint", f("bad-json.asl.json.hbs")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint: a template calling an unknown handler": { argv: ["lint", f("unknown-lambda.asl.json.hbs")], code: 1, says: /^lint: 1 definition\(s\), 1 error\(s\)/ },
  "lint --json: not JSON": { argv: ["lint", "--json", f("not-json.json")], code: 1 },

  // review inputs.
  "review: --plan missing": { argv: ["review", "--plan", f("missing-plan.json")], code: 2, says: /^--plan .*: no such file\. Fix: pass the output of `terraform show -json plan\.out > plan\.json`\.$/ },
  "review: --plan is a folder": { argv: ["review", "--plan", f("a-folder")], code: 2, says: /^--plan .*: is a folder, not a file\./ },
  "review: --plan not JSON": { argv: ["review", "--synth", FIXTURE_SYNTH, "--plan", f("not-json.json")], code: 2, says: /^--plan .* is not a Terraform JSON plan: it is not JSON/ },
  "review: --plan is a state": { argv: ["review", "--synth", FIXTURE_SYNTH, "--plan", join(PLANS, "state.json")], code: 2, says: /it looks like a state/ },
  "review: --plan is the binary plan": { argv: ["review", "--synth", FIXTURE_SYNTH, "--plan", f("zip-plan.json")], code: 2, says: /it is a binary plan file \(zip\)/ },
  "review: --plan is the text plan": { argv: ["review", "--synth", FIXTURE_SYNTH, "--plan", join(PLANS, "text-plan.txt")], code: 2, says: /is not a Terraform JSON plan/ },
  "review: --plan nested 10,000 deep": { argv: ["review", "--plan", f("deep-object.json")], code: 2, says: /^--plan .*: the JSON is nested 10000 levels deep/ },
  "review: --base ref that does not exist": { argv: ["review", "--synth", FIXTURE_SYNTH, "--base", "no-such-ref-9f3"], code: 2, says: /^--base no-such-ref-9f3: neither a folder nor a git ref/ },
  "review: --base folder without a synthesis": { argv: ["review", "--synth", FIXTURE_SYNTH, "--base", f("empty-base")], code: 2, says: /: this folder holds no synthesis/ },
  "review: --synth folder missing": { argv: ["review", "--synth", f("no-synth-here")], code: 2, says: /^No synthesized stack "my-app-dev" in .*No stacks found there\./ },
  "review: --synth is a file": { argv: ["review", "--synth", f("a-file")], code: 2, says: /^No synthesized stack "my-app-dev"/ },
  "review: --out /dev/null": { argv: ["review", "--synth", FIXTURE_SYNTH, "--out", "/dev/null"], code: 2, says: /^--out \/dev\/null: is not a folder\. Fix: pass a folder/ },
  "review: --out is a file": { argv: ["review", "--synth", FIXTURE_SYNTH, "--out", f("a-file")], code: 2, says: /^--out .*a-file: is not a folder\./ },
  "review: --out under a file": { argv: ["review", "--synth", FIXTURE_SYNTH, "--out", f("a-file/review")], code: 2, says: /^--out .*: cannot use .* \(a part of the path is a file, not a folder\)\./ },
  "review: --screenshot under a file": { argv: ["review", "--synth", FIXTURE_SYNTH, "--screenshot", f("a-file/shot.png")], code: 2, says: /^--screenshot .*: / },

  // synth output folders (checked before anything is compiled or written).
  "synth: --out is a file": { argv: ["synth", "--out", f("a-file")], code: 2, says: /^--out .*a-file: is not a folder\./ },
  "synth: --out under a file": { argv: ["synth", "--out", f("a-file/cdktf.out")], code: 2, says: /^--out .*: cannot use .*\(a part of the path is a file, not a folder\)/ },
  "synth: --out /dev/null": { argv: ["synth", "--out", "/dev/null"], code: 2, says: /^--out \/dev\/null: is not a folder\./ },
  "synth: --out under /dev/null": { argv: ["synth", "--out", "/dev/null/out"], code: 2, says: /^--out \/dev\/null\/out: / },
  "synth: --out where no folder can be created (/proc)": { argv: ["synth", "--out", "/proc/sfn-workflows-out"], code: 2, says: /^--out \/proc\/sfn-workflows-out: / },

  // conformance.
  "conformance: folder missing": { argv: ["conformance", f("no-cases")], code: 2, says: /^Conformance folder not found: .*no-cases\./ },
  "conformance: folder is a file": { argv: ["conformance", f("a-file")], code: 2, says: /^Conformance folder not found/ },
  "conformance: folder without cases": { argv: ["conformance", f("empty-cases")], code: 2, says: /^No \*\.json case files in / },
  "conformance: a case that is not JSON": { argv: ["conformance", f("cases-bad")], code: 2, says: /broken\.json: not valid JSON/ },
  "conformance: a JSON file that is not a case": { argv: ["conformance", f("cases-not-case")], code: 2, says: /x\.json: not a conformance execution case/ },
  "conformance: --executor unknown": { argv: ["conformance", "--executor", "stepfunctions-local"], code: 2, says: /^--executor: the only other executor is aws-local-stepfunctions\. Received: "stepfunctions-local"\./ },
  "conformance: --min-pass-rate above 1": { argv: ["conformance", "--min-pass-rate", "2"], code: 2, says: /^--min-pass-rate: takes a number from 0 to 1\. Received: "2"\./ },
  "conformance: --min-pass-rate not a number": { argv: ["conformance", "--min-pass-rate", "high"], code: 2, says: /^--min-pass-rate: takes a number from 0 to 1\. Received: "high"\./ },
  "conformance: --min-pass-rate blank": { argv: ["conformance", "--min-pass-rate", " "], code: 2, says: /^--min-pass-rate: takes a number from 0 to 1/ },
  "conformance: --write under a file": { argv: ["conformance", f("cases-bad"), "--write", f("a-file/report.md")], code: 2, says: /^--write .*: / },

  // The environment and .env files the commands read.
  "render: LOG_LEVEL not a level": { argv: ["render", "map"], env: { LOG_LEVEL: "loud" }, code: 2, says: /^Invalid stage configuration( \([^)]*\))?: LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR\. Received: "loud"$/ },
  "lint: REGION not a region": { argv: ["lint"], env: { REGION: "mars-1" }, code: 2, says: /REGION must be an AWS region.*Received: "mars-1"$/ },
  "exec: PROJECT_NAME with capitals": { argv: ["exec", "map", "--input", "{}"], env: { PROJECT_NAME: "MyApp" }, code: 2, says: /PROJECT_NAME .*Received: "MyApp"$/ },
  "render: STAGES with a duplicate (review reads it)": { argv: ["review", "--synth", FIXTURE_SYNTH], env: { STAGES: "dev,dev" }, code: 2, says: /STAGES must be a comma-separated list of distinct stage names/ },
  "render: .env with a line that does not parse": { argv: ["render", "map"], cwd: (d) => writeFileSync(join(d, ".env"), "this is not a line\n"), code: 2, says: /^Invalid stage configuration \(.*\.env\): .*\.env:1: cannot parse "this is not a line"\./ },
  "render: .env is a folder": { argv: ["render", "map"], cwd: (d) => mkdirSync(join(d, ".env")), code: 2, says: /is a directory, not a file/ },
  "exec: .env.<stage> is a folder": { argv: ["exec", "map", "--stage", "qa", "--input", "{}"], cwd: (d) => mkdirSync(join(d, ".env.qa")), code: 2, says: /is a directory, not a file/ },
};
Object.assign(rows, more);

const table = Object.entries(rows).map(([name, row]) => [name, row] as const);

test("the corpus has at least 80 rows", () => {
  expect(table.length).toBeGreaterThanOrEqual(80);
});

describe("bad input: exit code of the rule, one line on stderr, no stack trace, nothing written", () => {
  const repoBefore = readdirSync(REPO_ROOT).sort();
  const filesBefore = snapshot(F);

  test.each(table)("%s", async (_name, row) => {
    const cwd = tempDir("bad-input-cwd-");
    row.cwd?.(cwd);
    const cwdBefore = snapshot(cwd);
    const r = await cli(row.argv, { cwd, env: row.env });
    const lines = r.stderr.replace(/\n$/, "").split("\n");
    expect({ code: r.code, lines: lines.length, stackTrace: /^\s+at /m.test(r.stderr) }).toEqual({ code: row.code, lines: 1, stackTrace: false });
    expect(lines[0]).not.toMatch(/a bug in sfn-workflows/);
    if (row.says) expect(lines[0]).toMatch(row.says);
    if (row.code === 2) expect(r.stdout).toBe("");
    expect(snapshot(cwd)).toEqual(cwdBefore);
  });

  afterAll(() => {
    // Nothing was written beside the inputs or into the repository (cdktf.out, review folders, stray work folders).
    expect(snapshot(F)).toEqual(filesBefore);
    expect(readdirSync(REPO_ROOT).sort()).toEqual(repoBefore);
  });
});
