import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The repository root (this file is src/config/handlers.ts). */
export const REPO_ROOT = join(__dirname, "..", "..");
export const HANDLERS_DIR = join(REPO_ROOT, "handlers");

/** The SQS -> Step Functions bridge: infrastructure wires it per queue; no template calls it. */
export const BRIDGE_HANDLER = "sqs";

let cached: string[] | undefined;

/**
 * The Lambda handlers a template may reference: one `handlers/<name>.ts` file
 * each (shared code lives in sub-folders, which are not handlers), except the bridge.
 */
export function listHandlers(): string[] {
  cached ??= readdirSync(HANDLERS_DIR, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => e.name.slice(0, -3))
    .filter((name) => name !== BRIDGE_HANDLER)
    .sort();
  return cached;
}
