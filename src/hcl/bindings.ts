/**
 * The top-level blocks of a resource or data type as the installed
 * @cdktf/provider-aws bindings declare them (`isBlock: true` in the class's
 * synthesizeHclAttributes): the provider version the stack pins. Read from the
 * package's files, not imported, so src/ stays free of cdktf.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/handlers";

/** `aws_lambda_function` -> lib/lambda-function; data `aws_iam_policy_document` -> lib/data-aws-iam-policy-document. */
export function bindingFile(kind: "resource" | "data", type: string): string {
  const name = kind === "data" ? `data-${type.replace(/_/g, "-")}` : type.replace(/^aws_/, "").replace(/_/g, "-");
  return join(REPO_ROOT, "node_modules", "@cdktf", "provider-aws", "lib", name, "index.js");
}

/** Top-level block names of the type's binding, sorted; [] when the binding is not installed. */
export function bindingBlocks(kind: "resource" | "data", type: string): string[] {
  const file = bindingFile(kind, type);
  if (!existsSync(file)) return [];
  const source = readFileSync(file, "utf8");
  const start = source.lastIndexOf("synthesizeHclAttributes() {");
  if (start < 0) return [];
  const body = source.slice(start, source.indexOf("// remove undefined attributes", start));
  return [...body.matchAll(/^ {12}(\w+): \{\n\s*value: .*\n\s*isBlock: true/gm)].map((m) => m[1]).sort();
}
