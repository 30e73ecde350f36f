/**
 * Templates whose output depends on a stage value in a way no Terraform
 * expression can stand for: a Handlebars block (`{{#if}}`, `{{#unless}}`,
 * `{{else if}}`, `{{#each}}`, `{{#with}}`) or a helper call that reads a stage
 * variable, built-in or the team's own (workflows/stage-variables.ts). The
 * module refuses them, naming the line (README: "Terraform-native teams"); a
 * plain `{{STAGE}}` or `{{PAYMENT_MODE}}` is fine: it becomes `${var.stage}`,
 * `${var.payment_mode}`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { STAGE_VARIABLES } from "../../workflows/stage-variables";
import { ModuleError } from "./transform";

const BUILT_IN = ["PROJECT_NAME", "STAGE", "REGION", "OWNER", "LOG_LEVEL"];
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function templates(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...templates(path));
    else if (entry.name.endsWith(".hbs")) out.push(path);
  }
  return out.sort();
}

/** `file:line: text` of every mustache that branches on, or passes to a helper, a stage variable. */
export function stageDependentLines(dir = join(REPO_ROOT, "workflows"), team: readonly string[] = STAGE_VARIABLES.map((v) => v.name)): string[] {
  const found: string[] = [];
  const variable = new RegExp(`(^|[\\s(])(@root\\.)?(${[...BUILT_IN, ...team].map(escape).join("|")})([\\s)]|$)`);
  for (const file of templates(dir)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const m of line.matchAll(/\{\{~?\s*([#^]|else\s)?([^}]*)\}\}/g)) {
          const inner = m[2].trim();
          const parts = inner.split(/\s+/);
          const isBlock = m[1] !== undefined;
          const isHelperCall = !isBlock && parts.length > 1;
          const isPlain = !isBlock && parts.length === 1;
          if (isPlain) continue;
          if ((isBlock || isHelperCall) && variable.test(inner)) found.push(`${relative(REPO_ROOT, file)}:${i + 1}: ${m[0]}`);
        }
      });
  }
  return found;
}

export function assertNoStageBranches(dir?: string, team?: readonly string[]): void {
  const lines = stageDependentLines(dir, team);
  if (lines.length === 0) return;
  throw new ModuleError(
    `module: ${lines[0]} makes the template's output depend on a stage value in a way a Terraform expression cannot stand for${lines.length > 1 ? ` (and ${lines.length - 1} more: ${lines.slice(1).join("; ")})` : ""}. The module is one definition for every stage: use the value as text ({{STAGE}} becomes var.stage, a stage variable of your own var.<its name in snake case>), or move the difference into the workflow's input, then run npm run module again.`,
  );
}
