/**
 * A disk cache of lint results, keyed by the definition, the options and a
 * fingerprint of the lint itself (its source files and the versions of the
 * validators it runs). asl-validator's schemas take 0.4-0.5 s to compile, which
 * was a third of a synthesis (measured with `node --cpu-prof` on the compiled
 * app); with the cache that cost is paid only when a definition or the lint changes.
 * `SYNTH_NO_CACHE=1` turns it off, as it does for the handler bundles.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { type Finding, type LintOptions, lintDefinition } from "./lint";
import { loadLintConfig } from "./lint-config";

const LINT_DIR = join(REPO_ROOT, "src", "asl");
const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "lint");
const VALIDATOR_PACKAGES = ["asl-validator", "asl-path-validator", "jsonata"];

let fingerprint: string | undefined;

function lintFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(LINT_DIR);
  for (const name of VALIDATOR_PACKAGES) {
    try {
      hash.update(name).update(JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")).version);
    } catch {
      hash.update(`${name}:missing`);
    }
  }
  fingerprint = hash.digest("hex");
  return fingerprint;
}

/** The cache file that holds (or will hold) the findings for this definition, options, settings and lint. */
export function lintCacheFile(definition: unknown, options: LintOptions): string {
  const key = createHash("sha256")
    .update(lintFingerprint())
    .update(JSON.stringify(options))
    // The project's sfn-lint.json changes severities: a new setting must not be answered from an old entry.
    .update(JSON.stringify(options.rules ?? loadLintConfig()))
    .update(JSON.stringify(definition))
    .digest("hex");
  return join(CACHE_DIR, `${key}.json`);
}

/** `lintDefinition`, answered from the cache when this exact definition was linted by this exact lint before. */
export function lintDefinitionCached(definition: unknown, options: LintOptions): Finding[] {
  if (process.env.SYNTH_NO_CACHE === "1") return lintDefinition(definition, options);
  const file = lintCacheFile(definition, options);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Finding[];
  } catch {
    // Not cached yet (or unreadable): lint and store.
  }
  const findings = lintDefinition(definition, options);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(findings));
    renameSync(temporary, file);
  } catch {
    // A read-only tree still lints; it just does not remember.
  }
  return findings;
}
