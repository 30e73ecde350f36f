import "./cdktf-preload"; // before cdktf: see the file
import { App, TerraformStack } from "cdktf";
import { writeFileSync } from "node:fs";
import { names } from "../src/config/naming";
import type { StageConfig } from "../src/config/stage";
import type { WorkflowSpec } from "../workflows/catalogue";
import { type StageHook, StageStack, type StageStackProps } from "./stage-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export interface StagesAppOptions {
  /** @default CDKTF_OUTDIR or "cdktf.out" (cdktf's own default) */
  readonly outdir?: string;
  /** Also synthesize `<project>-state-bootstrap`. @default when any stage uses the S3 backend */
  readonly bootstrap?: boolean;
  /** @default WORKFLOWS */
  readonly workflows?: readonly WorkflowSpec[];
  /** Per stage: a function of the stage configuration, or one record for every stage. @default {} (see StageStackProps.extraStatements) */
  readonly extraStatements?: StageStackProps["extraStatements"];
  /** Adds a team's own constructs (and extra statements) to each stage stack. @default none (see StageStackProps.stageHook) */
  readonly stageHook?: StageHook;
  /** Write a JSON summary (stacks, lint warnings) here, for `npm run synth`. @default none */
  readonly reportFile?: string;
}

/** Name of the stack that creates the state bucket. */
export const bootstrapStackName = (projectName: string) => `${projectName}-state-bootstrap`;

/** Adds one StageStack per stage (plus the bootstrap stack when asked) to an app. */
export function addStages(app: App, configs: readonly StageConfig[], options: StagesAppOptions = {}): StageStack[] {
  const stacks = configs.map(
    (config) => new StageStack(app, names.stack(config), { config, workflows: options.workflows, extraStatements: options.extraStatements, stageHook: options.stageHook }),
  );
  const s3 = configs.find((c) => c.backend.type === "s3");
  const bootstrap = options.bootstrap ?? s3 !== undefined;
  if (bootstrap) {
    const first = s3 ?? configs[0];
    const name = bootstrapStackName(first.projectName);
    new StateBootstrapStack(app, name, {
      projectName: first.projectName,
      owner: first.owner,
      region: first.backend.type === "s3" ? first.backend.region : first.region,
      bucketName: first.backend.type === "s3" ? first.backend.bucket : `${first.projectName}-tf-state`,
      statePath: `terraform.${name}.tfstate`,
    });
  }
  return stacks;
}

/**
 * cdktf records a complete stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER)
 * for every token it creates, one per attribute reference, only to decorate
 * token error messages: about 10% of a synthesis (node --cpu-prof on the
 * compiled app). With construct stack traces already off, skip these too.
 * cdktf 0.21 is the final release, so this internal module will not move; if
 * it ever does, the require fails and cdktf keeps its own behaviour.
 */
function skipTokenStackTraces(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
    traces.captureStackTrace = () => [];
  } catch {
    // Layout changed: keep cdktf's behaviour.
  }
}

/**
 * cdktf's App.synth() first runs prepareStack() on every stack: a complete
 * token-resolution pass over every element (a third of a synthesis, measured
 * with node --cpu-prof) whose only effect, besides adding a default local
 * backend, is to wire references from one stack into another through remote
 * state. The stacks here never reference each other, so the pass is skipped,
 * and that is checked, not assumed: a guard on cdktf's Reference.resolve
 * notes any reference resolved in a stack other than its own during the
 * real synthesis, and then the app is synthesized again the normal way.
 */
let crossStackReferences = 0;
let guardInstalled: boolean | undefined;

function installCrossStackGuard(): boolean {
  if (guardInstalled !== undefined) return guardInstalled;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const expressions = require("cdktf/lib/tfExpression") as { ref: (identifier: string, stack?: TerraformStack) => object };
    const proto = Object.getPrototypeOf(expressions.ref("guard")) as { resolve: (context: { scope: unknown }) => unknown; originStack?: unknown };
    if (typeof proto.resolve !== "function") throw new Error("cdktf layout changed");
    const resolve = proto.resolve;
    proto.resolve = function (this: { originStack?: TerraformStack; crossStackIdentifier?: Record<string, string> }, context: { scope: unknown }) {
      if (this.originStack) {
        const stack = TerraformStack.of(context.scope as TerraformStack);
        if (this.originStack !== stack && !this.crossStackIdentifier?.[stack.toString()]) crossStackReferences += 1;
      }
      return resolve.call(this, context);
    };
    guardInstalled = true;
  } catch {
    guardInstalled = false; // Layout changed: always run cdktf's preparation.
  }
  return guardInstalled;
}

/**
 * TerraformStack.toTerraform() resolves each element's fragment, merges the
 * fragments, then resolves the whole merged tree once more: a second
 * token-resolution pass over every value (about a fifth of a synthesis,
 * node --cpu-prof). The fragments are plain data by then, and resolving plain
 * data again changes nothing but dropping undefined values, so the pass only
 * matters for the stack's own overrides (stack.addOverride), which may hold
 * tokens. While `resolveOnce` is on, that last call for a stack without
 * overrides returns the merged tree with undefined values dropped instead.
 * The output is byte-identical to cdktf's own synthesis (__tests__/main/app.test.ts).
 * If cdktf's layout ever differs, the require fails and cdktf's pass stays.
 */
let resolveOnce = false;
let resolveOnceInstalled: boolean | undefined;

function installResolveOnce(): boolean {
  if (resolveOnceInstalled !== undefined) return resolveOnceInstalled;
  try {
    const tokens = require("cdktf/lib/_tokens") as { resolve: (scope: unknown, obj: unknown, preparing?: boolean) => unknown };
    const resolve = tokens.resolve;
    if (typeof resolve !== "function") throw new Error("cdktf layout changed");
    tokens.resolve = (scope: unknown, obj: unknown, preparing = false) =>
      resolveOnce && !preparing && isMergedStackTree(scope, obj) ? withoutUndefined(obj) : resolve(scope, obj, preparing);
    resolveOnceInstalled = true;
  } catch {
    resolveOnceInstalled = false;
  }
  return resolveOnceInstalled;
}

/** The merged tree toTerraform() resolves last: the stack's own `//` metadata block at the top, no stack overrides. */
function isMergedStackTree(scope: unknown, obj: unknown): boolean {
  if (!TerraformStack.isStack(scope) || obj === null || typeof obj !== "object" || Array.isArray(obj)) return false;
  const meta = (obj as Record<string, { metadata?: { stackName?: unknown } } | undefined>)["//"];
  const overrides = (scope as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides;
  return meta?.metadata?.stackName === scope.node.id && overrides !== undefined && Object.keys(overrides).length === 0;
}

/** What resolving plain data does to it: object entries and array items that are undefined go. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(withoutUndefined);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out;
}

/**
 * Synthesizes the app that `build` fills, skipping cdktf's preparation pass
 * when that provably changes nothing (see above). `full` runs cdktf's own
 * App.synth() unchanged (tests compare the two).
 */
export function synthApp<T>(build: (app: App) => T, options: { readonly outdir?: string; readonly full?: boolean } = {}): T {
  skipTokenStackTraces();
  // No construct stack traces: capturing one per construct (through tsx's source maps) costs about half a second.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const built = build(app);
  if (options.full || !installCrossStackGuard()) {
    app.synth();
    return built;
  }
  const before = crossStackReferences;
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const internal = stack as unknown as { ensureBackendExists(): unknown; prepareStack(): void };
    internal.prepareStack = () => void internal.ensureBackendExists();
  }
  resolveOnce = installResolveOnce();
  try {
    app.synth();
  } finally {
    resolveOnce = false;
  }
  if (crossStackReferences === before) return built;
  // A stack references another: redo it with cdktf's preparation, which wires the remote state.
  return synthApp(build, { ...options, full: true });
}

/** Synthesizes every stage once, as JSON into outdir (src/hcl writes the HCL copy from it: see src/cli/synth.ts). */
export function synthStages(configs: readonly StageConfig[], options: StagesAppOptions & { readonly full?: boolean } = {}): StageStack[] {
  const stacks = synthApp((app) => addStages(app, configs, options), { outdir: options.outdir, full: options.full });
  if (options.reportFile) {
    const report = {
      stacks: stacks.map((s) => ({
        name: names.stack(s.config),
        warnings: s.findings.map((f) => ({ code: f.code, file: f.file, path: f.path, message: f.message })),
      })),
    };
    writeFileSync(options.reportFile, JSON.stringify(report, null, 2));
  }
  return stacks;
}
