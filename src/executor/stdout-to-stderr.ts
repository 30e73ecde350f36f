/**
 * Handlers log JSON lines to stdout; while they run, process.stdout goes to
 * stderr so that a command's own stdout holds only its result (exec, test-state,
 * the review's example runs).
 */
export async function withStdoutOnStderr<T>(work: () => Promise<T>): Promise<T> {
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => process.stderr.write(chunk, ...(rest as []))) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = original;
  }
}
