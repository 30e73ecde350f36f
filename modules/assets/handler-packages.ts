import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
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
 * Everything a bundle is built from: handlers/ (handlers never import src/),
 * the bundler itself and the lockfile (dependency versions). Same inputs,
 * same bundle: esbuild's output is byte-reproducible (src/build/bundle.ts).
 */
function inputsDigest(): string {
  const hash = createHash("sha256");
  const add = (file: string) => hash.update(relative(REPO_ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else add(full);
    }
  };
  walk(join(REPO_ROOT, "handlers"));
  add(join(REPO_ROOT, "src", "build", "bundle.ts"));
  // An installed copy of this package has no lockfile (npm pack leaves it out): its package.json pins what it was given.
  const lock = join(REPO_ROOT, "package-lock.json");
  add(existsSync(lock) ? lock : join(REPO_ROOT, "package.json"));
  return hash.digest("hex");
}

/**
 * Bundles each handler once per process, however many stages use it: the
 * bundle does not depend on the stage (stage values reach the function as
 * environment variables), so every stack shares the same archive. Across
 * processes, a zip is reused while the digest of its inputs is unchanged
 * (SYNTH_NO_CACHE=1 rebuilds everything).
 */
export class HandlerPackager {
  private readonly cache = new Map<string, HandlerPackage>();
  private digest: string | undefined;

  constructor(
    /** @default node_modules/.cache/sfn-workflows/handlers (ignored by git, survives between synths) */
    private readonly buildDir: string = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "handlers"),
    private readonly bundle: BundleFn = defaultBundle,
    /** Reuse a zip from an earlier process when its inputs are unchanged. @default true */
    private readonly reuse: boolean = true,
  ) {}

  get(handler: string): HandlerPackage {
    const cached = this.cache.get(handler);
    if (cached) return cached;
    const zipFile = join(this.buildDir, `${handler}.zip`);
    const keyFile = join(this.buildDir, `${handler}.key`);
    const useCache = this.reuse && process.env.SYNTH_NO_CACHE !== "1";
    this.digest ??= useCache ? inputsDigest() : "";
    let zip: Buffer;
    if (useCache && existsSync(zipFile) && existsSync(keyFile) && readFileSync(keyFile, "utf8") === this.digest) {
      zip = readFileSync(zipFile);
    } else {
      // Synths and tests run side by side and share this folder: bundle into a folder of this
      // process's own, and replace the zip and its key by renames, so nobody reads half a file.
      mkdirSync(this.buildDir, { recursive: true });
      const outDir = mkdtempSync(join(this.buildDir, `${handler}.build-`));
      try {
        this.bundle(handler, outDir);
        const files = readdirSync(outDir).filter((f) => !f.endsWith(".zip")).sort();
        zip = deterministicZip(files.map((name) => ({ name, data: readFileSync(join(outDir, name)) })));
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
      const tmp = `${zipFile}.${process.pid}.tmp`;
      writeFileSync(tmp, zip);
      renameSync(tmp, zipFile);
      if (useCache) {
        writeFileSync(`${keyFile}.${process.pid}.tmp`, this.digest);
        renameSync(`${keyFile}.${process.pid}.tmp`, keyFile);
      }
    }
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
