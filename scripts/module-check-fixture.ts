/**
 * The project module:check builds besides the shipped one: the shipped
 * workflows plus a fixture that needs what the shipped stages do not use, an
 * `existing: true` declared resource (a Secrets Manager secret, so its ARN is a
 * required module variable) and a team stage variable with a pattern rule
 * (PARTNER_CODE), both used by one more workflow
 * (scripts/fixtures/module-check/partner-call.asl.json.hbs). Written into the
 * check's copy of the repository, never into the repository itself.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StageVariable } from "../workflows/stage-variables";

/** The fixture's team stage variable (its bad value is checked against the project's message). */
export const FIXTURE_VARIABLE: StageVariable = { name: "PARTNER_CODE", description: "The partner's code (module:check fixture).", rule: /^[a-z]{2}[0-9]{2}$/, default: "eu01" };

export const FIXTURE_ENV = [
  "RESOURCE_PARTNER_KEY_ARN=arn:aws:secretsmanager:us-east-1:111122223333:secret:partners/acme-key-AbC123",
  "PARTNER_CODE=us02",
].join("\n");

/** Adds `entry` as the last element of the array `export const <name>` in `file`. */
function append(repo: string, file: string, name: string, entry: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(`export const ${name}`);
  const end = start < 0 ? -1 : text.indexOf("\n];\n", start);
  if (end < 0) throw new Error(`module:check fixture: ${file} has no array ${name} ending in "\\n];" any more; update scripts/module-check-fixture.ts`);
  writeFileSync(path, `${text.slice(0, end)}\n  ${entry}${text.slice(end)}`);
}

/** Writes the fixture into the repository copy at `repo`, with a `.env` that sets the secret's ARN and PARTNER_CODE. */
export function applyFixture(repo: string): void {
  append(repo, "workflows/resources.ts", "RESOURCES", `{ kind: "secret", name: "partner-key", description: "The partner's API key (module:check fixture).", existing: true },`);
  const v = FIXTURE_VARIABLE;
  append(repo, "workflows/stage-variables.ts", "STAGE_VARIABLES", `{ name: ${JSON.stringify(v.name)}, description: ${JSON.stringify(v.description)}, rule: ${String(v.rule)}, default: ${JSON.stringify(v.default)} },`);
  append(repo, "workflows/catalogue.ts", "WORKFLOWS", `spec("partner-call", "STANDARD", "Reads the partner's key (module:check fixture)."),`);
  copyFileSync(join(__dirname, "fixtures", "module-check", "partner-call.asl.json.hbs"), join(repo, "workflows", "partner-call.asl.json.hbs"));
  writeFileSync(join(repo, ".env"), `${FIXTURE_ENV}\n`);
}
