/**
 * `sfn-workflows module` (`npm run module`): writes the stage-agnostic
 * Terraform module (default cdktf.out/module) and an example root per configured
 * stage (default cdktf.out/module-examples/<stage>). Arguments are parsed in
 * src/cli/commands/module.ts.
 */
import { join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../config/handlers";
import { loadStageConfigs } from "../config/stage";
import { buildModule } from "./build";

export interface ModuleIo {
  readonly stdout: (line: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function runModule(options: { out?: string; examples?: string }, io: ModuleIo): number {
  const started = performance.now();
  const out = options.out ? resolve(io.cwd, options.out) : join(REPO_ROOT, "cdktf.out", "module");
  const examplesDir = options.examples ? resolve(io.cwd, options.examples) : join(out, "..", "module-examples");
  // The same configuration the synthesis reads: .env files of the repository, then the environment.
  const stages = loadStageConfigs({ cwd: REPO_ROOT, env: io.env });
  const moduleSource = relative(join(examplesDir, "stage"), out) || ".";
  const r = buildModule({ out, examplesDir, stages, moduleSource });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout(
    `Module written to ${relative(io.cwd, out) || "."} in ${seconds} s: ${r.resources} resources in ${r.files.filter((f) => f.endsWith(".tf")).length} files, ${r.outputs.length} outputs.`,
  );
  if (r.inputs.length > 0) io.stdout(`Inputs besides the built-in settings: ${r.inputs.join(", ")}.`);
  for (const w of r.warnings) io.stdout(`warning: ${w}`);
  io.stdout(`Example roots: ${r.examples.map((s) => relative(io.cwd, join(examplesDir, s))).join(", ")}`);
  return 0;
}
