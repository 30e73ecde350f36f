/**
 * Catalogued workflows: rendered for a stage (Handlebars, the stage's
 * configuration) and run with the real `handlers/<handler>.ts` modules.
 * index.ts loads this module on first use, so that runDefinition alone does
 * not load the renderer.
 */
import { join } from "node:path";
import { WORKFLOWS, getWorkflow } from "../catalogue";
import { loadStageConfig } from "../config/stage";
import * as naming from "../config/naming";
import { HANDLERS_DIR } from "../config/handlers";
import { localTarget, renderWorkflow } from "../render/render";
import { RunOptionsError } from "./errors";
import type { LambdaHandler } from "./lambda";
import type { ChildStateMachine, ExecutionResult, RunOptions } from "./options";
import type { ExecutionHandle } from "./handle";
import { startExecution } from "./launch";
import { combineObservers } from "./observer";
import { coverageObserver } from "./coverage";

export interface RunWorkflowOptions extends RunOptions {
  /** Stage to render for. @default from the environment / .env (as `npm run render`) */
  readonly stage?: string;
  /** Folder holding `.env` files. @default the current directory */
  readonly cwd?: string;
}

/**
 * Renders a catalogued workflow for a stage and runs it, with its Lambda
 * functions served by the real `handlers/<handler>.ts` modules.
 */
export async function runWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionResult> {
  return (await startWorkflow(name, input, options)).result();
}

/** startExecution for a catalogued workflow (rendered for the stage, real handlers): a handle a test drives. */
export async function startWorkflow(name: string, input: unknown, options: RunWorkflowOptions = {}): Promise<ExecutionHandle> {
  const prepared = await prepareWorkflow(name, { stage: options.stage, cwd: options.cwd });
  return startExecution(prepared.definition, input, {
    stateMachineName: prepared.stateMachineName,
    mockStateMachineName: name,
    region: prepared.region,
    ...options,
    resolveHandler: async (functionName) => (await options.resolveHandler?.(functionName)) ?? prepared.resolveHandler(functionName),
    observer: combineObservers(options.observer, coverageObserver(name, prepared.definition)),
    resolveStateMachine: async (smName) => (await options.resolveStateMachine?.(smName)) ?? cataloguedStateMachine(smName, options),
  });
}

/** A catalogued workflow by its state machine name for the stage (`<project>-<stage>-<workflow>`), for nested executions. */
export async function cataloguedStateMachine(smName: string, options: { stage?: string; cwd?: string } = {}): Promise<ChildStateMachine | undefined> {
  const config = loadStageConfig({ stage: options.stage, cwd: options.cwd });
  const spec = WORKFLOWS.find((w) => naming.names.stateMachine(config, w.name) === smName);
  if (!spec) return undefined;
  const prepared = await prepareWorkflow(spec.name, { stage: options.stage, cwd: options.cwd });
  return { definition: prepared.definition, resolveHandler: prepared.resolveHandler, stateMachineType: spec.type };
}

export interface PreparedWorkflow {
  readonly definition: Record<string, unknown>;
  readonly stateMachineName: string;
  readonly region: string;
  readonly functions: readonly string[];
  /** Maps this stage's function names to `handlers/<handler>.ts`. */
  readonly resolveHandler: (functionName: string) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;
}

const preparedCache = new Map<string, PreparedWorkflow>();

/** Renders (once per workflow and stage) and returns what runWorkflow needs; exposed for benchmarks and tools. */
export async function prepareWorkflow(name: string, options: { stage?: string; cwd?: string } = {}): Promise<PreparedWorkflow> {
  const config = loadStageConfig({ stage: options.stage, cwd: options.cwd });
  const key = `${name}\u0000${config.projectName}\u0000${config.stage}\u0000${config.region}`;
  const hit = preparedCache.get(key);
  if (hit) return hit;
  const spec = getWorkflow(name);
  const rendered = renderWorkflow(spec, config, localTarget(config));
  const byFunction = new Map<string, LambdaHandler>();
  const load = async (functionName: string): Promise<LambdaHandler | undefined> => {
    const handler = naming.handlerFromFunction(config, functionName);
    if (!handler || !rendered.functions.includes(handler)) return undefined;
    // Dynamic by nature: which handler module a function name maps to is known only at run time.
    const mod = (await import(join(HANDLERS_DIR, `${handler}.ts`))) as { handler?: LambdaHandler; default?: { handler?: LambdaHandler } };
    const fn = mod.handler ?? mod.default?.handler;
    if (typeof fn !== "function") {
      throw new RunOptionsError(`handlers/${handler}.ts does not export a function named "handler"; export const handler = async (event) => ... .`);
    }
    byFunction.set(functionName, fn);
    return fn;
  };
  const prepared: PreparedWorkflow = {
    definition: rendered.definition,
    stateMachineName: naming.names.stateMachine(config, name),
    region: config.region,
    functions: rendered.functions,
    // Synchronous once loaded: this sits on every Lambda call.
    resolveHandler: (functionName) => byFunction.get(functionName) ?? load(functionName),
  };
  preparedCache.set(key, prepared);
  return prepared;
}
