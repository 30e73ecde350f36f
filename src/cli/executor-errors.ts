/**
 * Executor errors the user can cause are ProjectErrors (src/executor/errors.ts:
 * InvalidDefinitionError, InvalidExecutionInputError, MockConfigError,
 * RunOptionsError), so the CLI prints them like any other. Kept as the one
 * place the CLI would map an executor error, should one ever need it.
 */
export function fromExecutorError(error: unknown): unknown {
  return error;
}
