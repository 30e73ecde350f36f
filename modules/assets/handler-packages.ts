import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/config/handlers";
import { bundleHandlerSync, lambdaHandlerFor } from "../../src/build/bundle";
import { deterministicZip } from "./deterministic-zip";

/** A handler bundled and zipped, ready for a TerraformAsset. */
export interface HandlerPackage {
  readonly handler: string;
  /** The zip on disk (outside cdktf.out; TerraformAsset copies it into each stack). */
  readonly zipFile: string;
  /** base64 SHA-256 of the zip: Lambda's source_code_hash. */
  readonly sourceCodeHash: string;
  /** Short hex hash, used as the asset folder name. */
  readonly assetHash: string;
  readonly bytes: number;
  /** Lambda's `handler` setting, e.g. `index.handler` (the SQS bridge exports processMessage). */
  readonly lambdaHandler: string;
}

export type BundleFn = (handler: string, outDir: string) => void;

const defaultBundle: BundleFn = (handler, outDir) => {
  bundleHandlerSync(handler, { outDir });
};

/**
 * Bundles each handler once per process, however many stages use it: the
 * bundle does not depend on the stage (stage values reach the function as
 * environment variables), so every stack shares the same archive.
 */
export class HandlerPackager {
  private readonly cache = new Map<string, HandlerPackage>();

  constructor(
    /** @default node_modules/.cache/sfn-workflows/handlers (ignored by git, survives between synths) */
    private readonly buildDir: string = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "handlers"),
    private readonly bundle: BundleFn = defaultBundle,
  ) {}

  get(handler: string): HandlerPackage {
    const cached = this.cache.get(handler);
    if (cached) return cached;
    const outDir = join(this.buildDir, handler);
    this.bundle(handler, outDir);
    const files = readdirSync(outDir).filter((f) => !f.endsWith(".zip")).sort();
    const zip = deterministicZip(files.map((name) => ({ name, data: readFileSync(join(outDir, name)) })));
    const zipFile = join(this.buildDir, `${handler}.zip`);
    mkdirSync(this.buildDir, { recursive: true });
    writeFileSync(zipFile, zip);
    const digest = createHash("sha256").update(zip).digest();
    const result: HandlerPackage = {
      handler,
      zipFile,
      sourceCodeHash: digest.toString("base64"),
      assetHash: digest.toString("hex").slice(0, 16).toUpperCase(),
      bytes: zip.length,
      lambdaHandler: lambdaHandlerFor(handler),
    };
    this.cache.set(handler, result);
    return result;
  }
}

let shared: HandlerPackager | undefined;

/** The process-wide packager: one bundle per handler per synth. */
export function sharedPackager(): HandlerPackager {
  shared ??= new HandlerPackager();
  return shared;
}
