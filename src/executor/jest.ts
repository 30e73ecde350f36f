/**
 * Jest matchers for executions: import this module once in a jest setup file
 * (`setupFilesAfterEnv`), or call `expect.extend(workflowMatchers)` yourself.
 *
 *   expect(result).toHaveVisited("ProcessPayment");                    // entered at least once
 *   expect(result).toHaveVisited(["Validate", "Charge", "Ship"]);      // in this order (others may come between)
 *   expect(result).toHaveFailedWith("Payment.Declined");               // status FAILED with this error
 *   expect(result).toHaveFailedWith(/Declined/, { errorType: "Payment.Declined" }); // and a cause (text, RegExp, or fields of its JSON)
 *   expect(result).toHaveSucceededWith({ status: "CHARGED" });         // SUCCEEDED, output containing these fields
 *
 * `toHaveFailedWith` also takes a testState response (status FAILED).
 */
import type { ExecutionResult } from "./options";
import { stateVisits } from "./summary";

type Json = any;

interface MatcherContext {
  isNot: boolean;
  equals(a: unknown, b: unknown): boolean;
  utils: { printReceived(v: unknown): string; printExpected(v: unknown): string };
}

type Result = { pass: boolean; message: () => string };

function visitedNames(received: Json): string[] | undefined {
  if (!received || typeof received !== "object" || !Array.isArray(received.history)) return undefined;
  return stateVisits((received as ExecutionResult).history).map((v) => v.name);
}

function textMatches(actual: string | undefined, expected: string | RegExp): boolean {
  return actual !== undefined && (typeof expected === "string" ? actual === expected : expected.test(actual));
}

export const workflowMatchers = {
  toHaveVisited(this: MatcherContext, received: Json, expected: string | readonly string[]): Result {
    const names = visitedNames(received);
    if (!names) return { pass: false, message: () => `toHaveVisited expects an execution result (with a history); received ${this.utils.printReceived(received)}` };
    let pass: boolean;
    if (typeof expected === "string") pass = names.includes(expected);
    else {
      let at = 0;
      for (const n of names) if (at < expected.length && n === expected[at]) at++;
      pass = at === expected.length;
    }
    const what = typeof expected === "string" ? `state ${this.utils.printExpected(expected)}` : `states ${this.utils.printExpected(expected)} in that order`;
    return { pass, message: () => `expected the execution ${this.isNot ? "not " : ""}to have visited ${what}\nvisited: ${names.join(" -> ") || "(none)"}` };
  },

  toHaveFailedWith(this: MatcherContext, received: Json, error: string | RegExp, cause?: string | RegExp | Record<string, unknown>): Result {
    if (!received || typeof received !== "object" || typeof received.status !== "string") {
      return { pass: false, message: () => `toHaveFailedWith expects an execution result or a testState response; received ${this.utils.printReceived(received)}` };
    }
    const failed = received.status === "FAILED";
    const errorOk = textMatches(received.error, error);
    let causeOk = true;
    if (cause !== undefined) {
      if (typeof cause === "string" || cause instanceof RegExp) causeOk = textMatches(received.cause, cause);
      else {
        let parsed: Json;
        try {
          parsed = JSON.parse(received.cause);
        } catch {
          parsed = undefined;
        }
        causeOk = !!parsed && typeof parsed === "object" && Object.keys(cause).every((k) => this.equals(parsed[k], cause[k]));
      }
    }
    const pass = failed && errorOk && causeOk;
    return {
      pass,
      message: () =>
        `expected ${this.isNot ? "not " : ""}status FAILED with error ${this.utils.printExpected(error)}${cause !== undefined ? ` and cause ${this.utils.printExpected(cause)}` : ""}\n` +
        `received status ${received.status}, error ${this.utils.printReceived(received.error)}, cause ${this.utils.printReceived(received.cause)}`,
    };
  },

  toHaveSucceededWith(this: MatcherContext, received: Json, output?: unknown): Result {
    if (!received || typeof received !== "object" || typeof received.status !== "string") {
      return { pass: false, message: () => `toHaveSucceededWith expects an execution result; received ${this.utils.printReceived(received)}` };
    }
    const actual = typeof received.output === "string" && received.history === undefined ? safeParse(received.output) : received.output;
    const outputOk =
      output === undefined ||
      (output && typeof output === "object" && !Array.isArray(output) && actual && typeof actual === "object"
        ? Object.keys(output).every((k) => this.equals(actual[k], (output as Json)[k]))
        : this.equals(actual, output));
    const pass = received.status === "SUCCEEDED" && outputOk;
    return {
      pass,
      message: () =>
        `expected ${this.isNot ? "not " : ""}status SUCCEEDED${output !== undefined ? ` with output containing ${this.utils.printExpected(output)}` : ""}\n` +
        `received status ${received.status}${received.error ? ` (${received.error}: ${received.cause})` : ""}, output ${this.utils.printReceived(actual)}`,
    };
  },
};

function safeParse(s: string): Json {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveVisited(states: string | readonly string[]): R;
      toHaveFailedWith(error: string | RegExp, cause?: string | RegExp | Record<string, unknown>): R;
      toHaveSucceededWith(output?: unknown): R;
    }
  }
}

const g = globalThis as { expect?: { extend(m: object): void } };
if (typeof g.expect?.extend === "function") g.expect.extend(workflowMatchers);
