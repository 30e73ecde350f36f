/**
 * Bundles one Lambda handler (`handlers/<name>.ts`) into `<outDir>/index.js`
 * with esbuild. Synchronous because cdktf synthesis is: the infrastructure
 * calls this while it builds the stack.
 *
 * Output is byte-for-byte reproducible for identical sources, wherever it is
 * written: the build runs from the repository root and the source map's
 * `sources` are rewritten relative to that root, so no absolute or
 * outDir-dependent path reaches the JS or the map (asset hashes and the
 * synthesized Terraform stay stable across machines).
 */

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { buildSync, type BuildFailure, type Message } from "esbuild";
import { ProjectError } from "../errors";
import { BRIDGE_HANDLER, HANDLERS_DIR, listHandlers, REPO_ROOT } from "../config/handlers";

/** Lambda runtime the bundles target; keep in step with the functions' `runtime`. */
export const NODE_TARGET = "node22";

/** The bridge exports `processMessage` (the seed's `sqs.processMessage`); every other handler exports `handler`. */
const EXPORT_NAMES: Readonly<Record<string, string>> = { sqs: "processMessage" };

/**
 * Node ignores source maps unless told to; without this flag Lambda stack
 * traces point into minified `index.js`.
 */
export const SOURCE_MAP_ENVIRONMENT: Readonly<Record<string, string>> = { NODE_OPTIONS: "--enable-source-maps" };

export class BundleError extends ProjectError {}

export interface BundleOptions {
  /** Folder that receives `index.js` and `index.js.map` (created if missing). */
  readonly outDir: string;
  /**
   * Bundle the AWS SDK instead of taking it from the Lambda runtime: pins the
   * SDK version the tests ran against (see handlers/README.md).
   * @default true
   */
  readonly bundleAwsSdk?: boolean;
}

export interface BundleResult {
  readonly handler: string;
  /** The folder holding the bundle (absolute); zip it as the function's code. */
  readonly dir: string;
  /** `<dir>/index.js`. */
  readonly file: string;
  /** `<dir>/index.js.map`. */
  readonly mapFile: string;
  /** Size of index.js in bytes. */
  readonly bytes: number;
  /** SHA-256 (hex) of index.js: changes exactly when the deployed code changes. */
  readonly sha256: string;
  /** The Lambda `handler` setting, e.g. `index.handler`. */
  readonly lambdaHandler: string;
  /** Environment the function should set so the source map is used. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The Lambda `handler` setting for a handler's bundle. */
export function lambdaHandlerFor(handler: string): string {
  return `index.${EXPORT_NAMES[handler] ?? "handler"}`;
}

export function bundleHandlerSync(handler: string, options: BundleOptions): BundleResult {
  const entry = entryFor(handler);
  const outDir = resolve(options.outDir);
  const outfile = join(outDir, "index.js");
  let result;
  try {
    result = buildSync({
      absWorkingDir: REPO_ROOT,
      // A checkout whose node_modules is a link (a copy of the repository, a worktree) bundles the same
      // bytes as one with its own: source-map paths stay under the repository, not where the link points.
      preserveSymlinks: true,
      entryPoints: [entry],
      outfile,
      bundle: true,
      write: false,
      minify: true,
      treeShaking: true,
      sourcemap: "linked",
      // Stack traces only need the mappings; embedding sources would ship the SDK's TypeScript too.
      sourcesContent: false,
      platform: "node",
      target: NODE_TARGET,
      format: "cjs",
      // ESM builds of dependencies (the AWS SDK ships both) tree-shake better than their CJS builds.
      mainFields: ["module", "main"],
      external: options.bundleAwsSdk === false ? ["@aws-sdk/*", "@smithy/*"] : [],
      legalComments: "eof",
      charset: "utf8",
      logLevel: "silent",
    });
  } catch (error) {
    const failure = error as BuildFailure;
    const details = (failure.errors ?? []).map(formatMessage).join("\n  ");
    throw new BundleError(`Cannot bundle handler "${handler}" (${entry}):\n  ${details || (error as Error).message}\nFix the errors above in the handler or its imports.`, entry);
  }

  let js: Uint8Array | undefined;
  let map: string | undefined;
  for (const file of result.outputFiles) {
    if (file.path === outfile) js = file.contents;
    else if (file.path === `${outfile}.map`) map = relativiseSourceMap(file.text, outDir);
  }
  if (!js || map === undefined) {
    throw new BundleError(`esbuild returned no index.js or index.js.map for handler "${handler}" (${entry}); outputs: ${result.outputFiles.map((f) => f.path).join(", ")}.`, entry);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outfile, js);
  writeFileSync(`${outfile}.map`, map);
  return {
    handler,
    dir: outDir,
    file: outfile,
    mapFile: `${outfile}.map`,
    bytes: js.byteLength,
    sha256: createHash("sha256").update(js).digest("hex"),
    lambdaHandler: lambdaHandlerFor(handler),
    environment: SOURCE_MAP_ENVIRONMENT,
  };
}

/** Bundles each handler into `<outRoot>/<handler>/`; pass `[...listHandlers(), BRIDGE_HANDLER]` for all of them. */
export function bundleAllSync(handlers: readonly string[], outRoot: string, options: Omit<BundleOptions, "outDir"> = {}): BundleResult[] {
  return handlers.map((h) => bundleHandlerSync(h, { ...options, outDir: join(outRoot, h) }));
}

const HANDLER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `handlers/<name>.ts`, relative to the repository root (so it never leaks an absolute path). */
function entryFor(handler: string): string {
  const entry = `handlers/${handler}.ts`;
  if (!HANDLER_NAME.test(handler)) {
    throw new BundleError(`Handler name "${handler}" is not kebab-case (a-z, 0-9, single hyphens). Use the file name of handlers/<name>.ts without ".ts".`);
  }
  if (!existsSync(join(HANDLERS_DIR, `${handler}.ts`))) {
    throw new BundleError(`Handler "${handler}" not found: ${entry} does not exist. Known handlers: ${[...listHandlers(), BRIDGE_HANDLER].join(", ")}.`, entry);
  }
  return entry;
}

/**
 * esbuild writes `sources` relative to the map's folder, so the same code
 * bundled into two folders gets two different maps. Rewrite them relative to
 * the repository root, with `/` separators on every OS.
 */
function relativiseSourceMap(text: string, outDir: string): string {
  const map = JSON.parse(text) as { sources?: string[]; sourceRoot?: string };
  map.sources = (map.sources ?? []).map((s) => {
    const abs = isAbsolute(s) ? s : resolve(outDir, s);
    return relative(REPO_ROOT, abs).split(sep).join("/");
  });
  delete map.sourceRoot;
  return JSON.stringify(map);
}

function formatMessage(m: Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
  return `${where}${m.text}`;
}
