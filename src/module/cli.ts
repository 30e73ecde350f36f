/**
 * `npm run module [-- --out <dir>] [--examples <dir>]`: writes the stage-agnostic
 * Terraform module (default cdktf.out/module) and an example root per configured
 * stage (default cdktf.out/module-examples/<stage>). One entry point, so the
 * command can be wired into a single binary later: `runModuleCommand(argv)`.
 */
import { join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { loadStageConfigs } from "../config/stage";
import { ProjectError } from "../errors";
import { buildModule } from "./build";

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : undefined;
}

export function runModuleCommand(argv: readonly string[]): number {
  const started = performance.now();
  const out = resolve(flag(argv, "--out") ?? join(REPO_ROOT, "cdktf.out", "module"));
  const examplesDir = resolve(flag(argv, "--examples") ?? join(out, "..", "module-examples"));
  try {
    const stages = loadStageConfigs();
    const moduleSource = relative(join(examplesDir, "stage"), out) || ".";
    const r = buildModule({ out, examplesDir, stages, moduleSource });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Module written to ${relative(process.cwd(), out) || "."} in ${seconds} s: ${r.resources} resources in ${r.files.filter((f) => f.endsWith(".tf")).length} files, ${r.outputs.length} outputs.\n` +
        `Example roots: ${r.examples.map((s) => relative(process.cwd(), join(examplesDir, s))).join(", ")}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}
