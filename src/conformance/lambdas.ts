/**
 * The Lambda behaviours the recorded cases call (suite README, "Lambda
 * behaviours a harness must provide"). The recordings used Python functions,
 * so errors carry Python's errorType and stackTrace exactly.
 */
import { RawLambdaResponse } from "../executor/lambda";
import type { ConformanceCase } from "./cases";

export type Behaviour = (event: unknown) => unknown;

/** An error shaped like the one Lambda's Python runtime reports. */
export class PythonFunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace: string[];
  constructor(errorType: string, message: string, stackTrace: string[]) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = message;
    this.stackTrace = stackTrace;
  }
}

export const BEHAVIOURS: Record<string, Behaviour> = {
  identity: (event) => event,
  "return-hello-world-object": () => ({ Return: "HelloWorld" }),
  "return-json-string-bytes": () => "HelloWorld!",
  "raise-exception": () => {
    throw new PythonFunctionError("Exception", "Some exception was raised.", [
      '  File "/var/task/handler.py", line 2, in handler\n    raise Exception("Some exception was raised.")\n',
    ]);
  },
  "raise-custom-exception": () => {
    throw new PythonFunctionError("CustomException", "", ['  File "/var/task/handler.py", line 9, in handler\n    raise CustomException()\n']);
  },
  "return-large-raw-bytes": () => new RawLambdaResponse("a".repeat(257 * 1024)),
};

/** The case's function name -> behaviour table, or an error naming the unknown behaviour. */
export function lambdasFor(c: ConformanceCase): Record<string, Behaviour> {
  const out: Record<string, Behaviour> = {};
  for (const [name, behaviour] of Object.entries(c.lambdas ?? {})) {
    const fn = BEHAVIOURS[behaviour];
    if (!fn) throw new Error(`${c.file}: unknown Lambda behaviour "${behaviour}" for function ${name}; known: ${Object.keys(BEHAVIOURS).join(", ")}`);
    out[name] = fn;
  }
  return out;
}
