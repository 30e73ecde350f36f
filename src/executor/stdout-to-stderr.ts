/**
 * Handlers log JSON lines to stdout; while they run, process.stdout goes
 * elsewhere so that a command's own stdout holds only its result: to stderr
 * (exec, test-state), or nowhere (the review's example runs, whose outcome is
 * in the report).
 */
export async function withStdoutOnStderr<T>(work: () => Promise<T>): Promise<T> {
  return withStdoutTo((chunk, ...rest) => process.stderr.write(chunk, ...(rest as [])), work);
}

/** Runs `work` with everything written to process.stdout dropped. */
export async function withStdoutDropped<T>(work: () => Promise<T>): Promise<T> {
  return withStdoutTo((_chunk, ...rest) => {
    // Honour a write callback, as a stream would.
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }, work);
}

async function withStdoutTo<T>(write: (chunk: string | Uint8Array, ...rest: unknown[]) => boolean, work: () => Promise<T>): Promise<T> {
  const original = process.stdout.write;
  process.stdout.write = write as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = original;
  }
}
