/**
 * The cost of each workflow's example execution, on the definition a
 * synthesis deploys: the state machine's `definition` with its Terraform
 * references resolved to the values the executor uses locally (account
 * 123456789012, the stack's region, resources by the names the stack gives
 * them), run by the local executor with the real handlers, the example's
 * mocks and S3 objects, then priced by src/executor/cost.ts. Run once on the
 * base and once on this synthesis with the same example, the difference is
 * what the change does to the bill.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type ChildStateMachine, type LambdaHandler, StatesError, runDefinition } from "../executor/index";
import { type ExecutionCost, executionCost } from "../executor/cost";
import { withOutputDropped } from "../executor/stdout-to-stderr";
import { HANDLERS_DIR, listHandlers } from "../config/handlers";
import { LOCAL_ACCOUNT_ID, type NameParts, handlerFromFunction } from "../config/naming";
import { unescapeTerraformTemplate } from "../hcl/escape";
import { readableArn, stackRegion } from "./derivation";
import { EXAMPLES_DIR, ExampleError, type WorkflowExample, displayPath, exampleFile, expandVariables, loadExample } from "./examples";
import { type Block, type Synth, str } from "./synth";

/** How one side's run went. */
export type ExampleRun =
  | { readonly kind: "ran"; readonly cost: ExecutionCost; readonly childExecutions: number }
  | { readonly kind: "failed"; readonly error: string }
  /** The synthesis has no state machine for the workflow. */
  | { readonly kind: "absent" };

export interface ExampleCostRow {
  /** The catalogue name: the state machine's name without the stack's `<project>-<stage>-`. */
  readonly workflow: string;
  readonly type: "STANDARD" | "EXPRESS";
  /** The example file, relative to the repository. */
  readonly file: string;
  /** The example could not be used (missing or invalid): said instead of any cost. */
  readonly problem?: string;
  /** With a base only. */
  readonly before?: ExampleRun;
  readonly after: ExampleRun;
}

export interface ExampleCostOptions {
  /** Names handler functions (`<project>-<stage>-<handler>`) and fills `{{VARIABLE}}`s in S3 object names. */
  readonly stage: NameParts;
  /** The stage's template variables, for S3 object names. */
  readonly variables: Readonly<Record<string, string>>;
  /** @default workflows/examples */
  readonly examplesDir?: string;
}

interface Machine {
  readonly workflow: string;
  readonly name: string;
  readonly type: "STANDARD" | "EXPRESS";
  readonly block: Block;
}

function machines(synth: Synth): Machine[] {
  const prefix = `${synth.stack}-`;
  return [...synth.blocks.values()]
    .filter((b) => b.mode === "managed" && b.type === "aws_sfn_state_machine")
    .map((block) => {
      const name = str(block.body, "name") ?? block.name;
      return { workflow: name.startsWith(prefix) ? name.slice(prefix.length) : name, name, type: str(block.body, "type") === "EXPRESS" ? "EXPRESS" : "STANDARD", block };
    });
}

/** Every string of a JSON value with its Terraform references resolved. */
function resolveStrings(value: unknown, resolve: (s: string) => string): unknown {
  if (typeof value === "string") return value.includes("${") ? resolve(value) : value;
  if (Array.isArray(value)) return value.map((v) => resolveStrings(v, resolve));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveStrings(v, resolve)]));
  return value;
}

/** The deployed definition as the executor runs it locally. */
export function localDefinition(synth: Synth, machine: Block): Record<string, unknown> {
  const raw = machine.body.definition;
  if (typeof raw !== "string") throw new Error(`${machine.address}.definition is not a JSON string`);
  const parsed: unknown = JSON.parse(unescapeTerraformTemplate(raw));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${machine.address}.definition is not a JSON object`);
  return resolveStrings(parsed, (s) => readableArn(synth, s, LOCAL_ACCOUNT_ID)) as Record<string, unknown>;
}

const loaded = new Map<string, LambdaHandler>();

/** `handlers/<handler>.ts` for a function of this stage, as `npm run exec` runs them. */
async function stageHandler(stage: NameParts, functionName: string): Promise<LambdaHandler | undefined> {
  const handler = handlerFromFunction(stage, functionName);
  if (!handler || !listHandlers().includes(handler)) return undefined;
  const hit = loaded.get(handler);
  if (hit) return hit;
  const mod = (await import(join(HANDLERS_DIR, `${handler}.ts`))) as { handler?: LambdaHandler; default?: { handler?: LambdaHandler } };
  const fn = mod.handler ?? mod.default?.handler;
  if (typeof fn !== "function") return undefined;
  loaded.set(handler, fn);
  return fn;
}

/** How many child executions the run started (billed as executions of their own state machines). */
function childStarts(history: readonly { type: string; [k: string]: unknown }[]): number {
  return history.filter((e) => {
    if (e.type !== "TaskScheduled") return false;
    const d = e.taskScheduledEventDetails as { resourceType?: string; resource?: string } | undefined;
    return d?.resourceType === "states" && (d.resource ?? "").startsWith("startExecution");
  }).length;
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Runs the example on one synthesis's state machine. Never throws: a problem is a "failed" run. */
export async function runExample(synth: Synth, machine: Machine, example: WorkflowExample, options: ExampleCostOptions): Promise<ExampleRun> {
  let s3Dir: string | undefined;
  try {
    const definition = localDefinition(synth, machine.block);
    const byName = new Map(machines(synth).map((m) => [m.name, m]));
    if (Object.keys(example.s3).length > 0) {
      s3Dir = mkdtempSync(join(tmpdir(), "review-example-s3-"));
      for (const [name, content] of Object.entries(example.s3)) {
        const path = join(s3Dir, expandVariables(name, options.variables, `${example.file}: s3 "${name}"`));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
    const mocks = Object.fromEntries(
      Object.entries(example.mocks).map(([state, m]) => [
        state,
        () => {
          if ("Throw" in m) throw new StatesError(m.Throw.Error, m.Throw.Cause);
          return m.Return;
        },
      ]),
    );
    const result = await withOutputDropped(() =>
      runDefinition(definition, example.input, {
        stateMachineName: machine.name,
        stateMachineType: machine.type,
        region: stackRegion(synth),
        accountId: LOCAL_ACCOUNT_ID,
        executionName: "review-example",
        startTime: example.startTime,
        jitterSeed: 1,
        mocks,
        s3Dir,
        resolveHandler: (fn) => stageHandler(options.stage, fn),
        // A nested execution runs the child this same synthesis deploys.
        resolveStateMachine: (name): ChildStateMachine | undefined => {
          const child = byName.get(name);
          return child ? { definition: localDefinition(synth, child.block), stateMachineType: child.type } : undefined;
        },
      }),
    );
    if (result.status !== "SUCCEEDED") {
      return { kind: "failed", error: oneLine(`${result.status}: ${[result.error, result.cause].filter(Boolean).join(": ") || "(no error)"}`) };
    }
    return { kind: "ran", cost: executionCost(result, { type: machine.type }), childExecutions: childStarts(result.history) };
  } catch (error) {
    return { kind: "failed", error: oneLine((error as Error).message) };
  } finally {
    if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
  }
}

/**
 * One row per workflow of this synthesis (and of the base, when given): its
 * example run on each side. Workflows in catalogue order when `order` is given.
 */
export async function exampleCosts(head: Synth, base: Synth | undefined, options: ExampleCostOptions, order: readonly string[] = []): Promise<ExampleCostRow[]> {
  const dir = options.examplesDir ?? EXAMPLES_DIR;
  const after = new Map(machines(head).map((m) => [m.workflow, m]));
  const before = new Map(base ? machines(base).map((m) => [m.workflow, m]) : []);
  const names = [...new Set([...after.keys(), ...before.keys()])];
  const rank = (w: string) => (order.includes(w) ? order.indexOf(w) : order.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const rows: ExampleCostRow[] = [];
  for (const workflow of names) {
    const a = after.get(workflow);
    const b = before.get(workflow);
    const type = (a ?? b)!.type;
    const file = displayPath(exampleFile(workflow, dir));
    let example: WorkflowExample | undefined;
    try {
      example = loadExample(workflow, dir);
    } catch (error) {
      if (!(error instanceof ExampleError)) throw error;
      rows.push({ workflow, type, file, problem: `the example cannot be used: ${error.message}`, after: { kind: "absent" } });
      continue;
    }
    if (!example) {
      rows.push({ workflow, type, file, problem: `no example input: add ${file}`, after: { kind: "absent" } });
      continue;
    }
    const side = (s: Synth, m: Machine | undefined): Promise<ExampleRun> => (m ? runExample(s, m, example!, options) : Promise.resolve({ kind: "absent" }));
    // One after the other: handlers and the stdout redirection are process-wide.
    const runBefore = base ? await side(base, b) : undefined;
    const runAfter = await side(head, a);
    rows.push({ workflow, type, file, ...(runBefore ? { before: runBefore } : {}), after: runAfter });
  }
  return rows;
}
