/**
 * The one place where errors from src/executor that are not project errors
 * yet become ProjectErrors (exit 2, one line). Remove each row once the
 * executor throws a ProjectError for it:
 *
 *   - InvalidDefinitionError (src/executor/interpreter.ts): a definition the executor cannot run.
 *   - plain Error "Mock config ...", "<file>: expected an object with "StateMachines" ..." (src/executor/mocks.ts).
 *   - plain Error "runDefinition: ..." (src/executor/index.ts): bad run options.
 *   - plain Error "handlers/<name>.ts does not export a function named "handler"" (src/executor/index.ts).
 */
import { InvalidDefinitionError } from "../executor/index";
import { ProjectError } from "../errors";

/** An executor error the user caused, wrapped as a ProjectError; anything else unchanged. */
export function fromExecutorError(error: unknown): unknown {
  if (error instanceof ProjectError || !(error instanceof Error)) return error;
  const known =
    error instanceof InvalidDefinitionError ||
    /^(Mock config|mock config|runDefinition:)/.test(error.message) ||
    /: expected an object with "StateMachines" and "MockedResponses"/.test(error.message) ||
    /^handlers\/[\w-]+\.ts does not export a function named "handler"/.test(error.message);
  if (!known) return error;
  const wrapped = new ProjectError(error.message);
  wrapped.stack = error.stack;
  return wrapped;
}
