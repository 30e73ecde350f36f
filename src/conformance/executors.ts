/**
 * The executors a suite can be run through: ours (src/executor) and, for
 * comparison, the npm package aws-local-stepfunctions. Each turns a case into
 * an outcome {status, output | error, cause}; the comparison rule is applied
 * elsewhere, identically for both.
 */
import { invokeResponse, pythonJsonDumps, pythonJsonLength, RawLambdaResponse } from "../executor/lambda";
import { runDefinition } from "../executor/index";
import type { ConformanceCase } from "./cases";
import type { ActualOutcome } from "./compare";
import { lambdasFor, PythonFunctionError } from "./lambdas";

export interface CaseExecutor {
  readonly name: string;
  run(c: ConformanceCase): Promise<ActualOutcome>;
}

/** Marker put in `cause` when an executor declares a construct unsupported, so reports can count it apart. */
export const UNSUPPORTED_MARK = "not supported by the local executor";

/** Wall-clock guard so one runaway case cannot stall the suite. */
export const CASE_TIME_LIMIT_MS = 5_000;

function withTimeLimit<T>(promise: Promise<T>, onTimeout: () => void): Promise<T | "harness-timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<"harness-timeout">((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve("harness-timeout");
    }, CASE_TIME_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export const ourExecutor: CaseExecutor = {
  name: "sfn-workflows (src/executor)",
  async run(c) {
    const run = runDefinition(c.definition, c.input, {
      lambdas: lambdasFor(c),
      stateMachineType: c.stateMachineType,
      // The recordings were made with Python functions: Content-Length and error causes use Python's JSON spacing.
      lambdaRuntime: "python",
      history: false,
    });
    const result = await withTimeLimit(run, () => undefined);
    if (result === "harness-timeout") return { status: "HARNESS_TIMEOUT", cause: `no result within ${CASE_TIME_LIMIT_MS} ms of wall-clock time` };
    return { status: result.status, output: result.output, error: result.error, cause: result.cause };
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface StateSummary {
  name: string;
  type: string;
  retry: boolean;
}

/** Every state of a definition, including those inside Parallel branches and Map processors. */
function allStates(definition: Record<string, unknown>): StateSummary[] {
  const out: StateSummary[] = [];
  const visit = (machine: unknown) => {
    const states = (machine as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
    if (!states) return;
    for (const [name, s] of Object.entries(states)) {
      out.push({ name, type: String(s.Type), retry: Array.isArray(s.Retry) });
      if (Array.isArray(s.Branches)) s.Branches.forEach(visit);
      visit(s.ItemProcessor);
      visit(s.Iterator);
    }
  };
  visit(definition);
  return out;
}

/**
 * aws-local-stepfunctions runs Lambda tasks through per-state local
 * handlers, which replace the whole Resource. To compare like with like we
 * give it the same behaviours with the same wire shapes AWS produced (the
 * `lambda:invoke` wrapper, Python-style error causes); everything else
 * (paths, intrinsics, Choice, Map, Retry/Catch) is its own.
 */
export const awsLocalStepFunctionsExecutor: CaseExecutor = {
  name: "aws-local-stepfunctions 3.0.0",
  async run(c) {
    installWithResolvers();
    // ESM-only package: a dynamic import keeps this file loadable from CommonJS (jest).
    const mod = (await import("aws-local-stepfunctions")) as typeof import("aws-local-stepfunctions");
    let machine: InstanceType<typeof mod.StateMachine>;
    try {
      machine = new mod.StateMachine(c.definition as never, { validationOptions: { checkPaths: false, checkArn: false } });
    } catch (e) {
      return { status: "REJECTED_DEFINITION", error: "InvalidDefinition", cause: `${UNSUPPORTED_MARK}: ${(e as Error).message}` };
    }
    const behaviours = lambdasFor(c);
    const taskResourceLocalHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, task] of Object.entries(c.lambdaTasks ?? {})) {
      taskResourceLocalHandlers[stateName] = async (input: Json) => {
        // Yield to the timer queue: an execution that loops forever through a Task would otherwise starve the time limit.
        await new Promise((r) => setImmediate(r));
        const isInvoke = task.integration === "lambda:invoke";
        // lambda:invoke names its function in Parameters.FunctionName (name or ARN), known only once Parameters are resolved.
        const target = task.function ?? String((input as { FunctionName?: unknown } | null)?.FunctionName ?? "");
        const fn = behaviours[target.split(":function:").pop()!.split(":")[0]];
        if (!fn) throw namedError("Lambda.ResourceNotFoundException", `Function not found: ${target || task.resource}`);
        let event: unknown = input;
        if (isInvoke) {
          const payload = (input as { Payload?: unknown } | null)?.Payload;
          event = payload === undefined || payload === null ? {} : typeof payload === "string" ? safeParse(payload) : payload;
        }
        let returned: unknown;
        try {
          returned = await fn(event);
        } catch (err) {
          const e = err as PythonFunctionError;
          const body = { errorMessage: e.errorMessage ?? e.message, errorType: e.errorType ?? e.name, requestId: crypto.randomUUID(), stackTrace: e.stackTrace ?? [] };
          throw namedError(body.errorType, isInvoke ? JSON.stringify(body) : pythonJsonDumps(body));
        }
        let value: unknown = returned;
        let length: number;
        if (returned instanceof RawLambdaResponse) {
          value = safeParse(returned.body);
          length = Buffer.byteLength(returned.body);
        } else length = pythonJsonLength(returned);
        if (length > 256 * 1024) throw namedError("States.DataLimitExceeded", `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
        return (isInvoke ? invokeResponse(value, length, crypto.randomUUID(), Date.now()) : value) as Json;
      };
    }
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const s of allStates(c.definition)) {
      if (s.type === "Wait") waitTimeOverrides[s.name] = 0;
      if (s.retry) retryIntervalOverrides[s.name] = 0;
    }
    const execution = machine.run(c.input as Json, { overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides } });
    try {
      const result = await withTimeLimit(execution.result, () => execution.abort());
      if (result === "harness-timeout") return { status: "HARNESS_TIMEOUT", cause: `no result within ${CASE_TIME_LIMIT_MS} ms of wall-clock time` };
      return { status: "SUCCEEDED", output: result };
    } catch (e) {
      const err = e as Error & { cause?: Error };
      if (err.name === "ExecutionTimeoutError") return { status: "TIMED_OUT", error: "States.Timeout" };
      if (err.name === "ExecutionAbortedError") return { status: "HARNESS_TIMEOUT" };
      const inner = err.cause instanceof Error ? err.cause : err;
      return { status: "FAILED", error: inner.name, cause: inner.message || undefined };
    }
  },
};

/**
 * aws-local-stepfunctions 3 calls Promise.withResolvers, which Node gained in
 * version 22; this project runs on Node 20, so supply the standard behaviour.
 */
function installWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  if (P.withResolvers) return;
  P.withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

