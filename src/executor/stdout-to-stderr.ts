/**
 * Handlers log JSON lines to stdout; while they run, process.stdout goes
 * elsewhere so that a command's own stdout holds only its result: to stderr
 * (exec, test-state), or nowhere with stderr too (the review's example runs,
 * whose outcome is in the report).
 */
export async function withStdoutOnStderr<T>(work: () => Promise<T>): Promise<T> {
  return withStdoutTo((chunk, ...rest) => process.stderr.write(chunk, ...(rest as [])), work);
}

/**
 * Runs `work` with everything written to process.stdout and process.stderr
 * dropped: the review's example runs, whose handlers log at every level
 * (ERROR lines go to stderr) and whose outcome is in the report.
 */
export async function withOutputDropped<T>(work: () => Promise<T>): Promise<T> {
  const drop = (_chunk: string | Uint8Array, ...rest: unknown[]) => {
    // Honour a write callback, as a stream would.
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  };
  const original = process.stderr.write;
  process.stderr.write = drop as typeof process.stderr.write;
  try {
    return await withStdoutTo(drop, work);
  } finally {
    process.stderr.write = original;
  }
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
