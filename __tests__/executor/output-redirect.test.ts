import { withOutputDropped, withStdoutOnStderr } from "../../src/executor/stdout-to-stderr";

describe("handler output while a command runs workflows", () => {
  const capture = () => {
    const seen = { stdout: "", stderr: "" };
    const out = process.stdout.write;
    const err = process.stderr.write;
    process.stdout.write = ((chunk: string) => ((seen.stdout += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((seen.stderr += chunk), true)) as typeof process.stderr.write;
    return { seen, restore: () => ((process.stdout.write = out), (process.stderr.write = err)) };
  };

  it("withOutputDropped drops stdout and stderr (a handler's ERROR line too), calls write callbacks, and restores both", async () => {
    const { seen, restore } = capture();
    let called = false;
    try {
      const result = await withOutputDropped(async () => {
        process.stdout.write('{"level":"INFO"}\n');
        process.stderr.write('{"level":"ERROR"}\n', () => (called = true));
        return 42;
      });
      process.stderr.write("after\n");
      expect(result).toBe(42);
    } finally {
      restore();
    }
    expect(seen).toEqual({ stdout: "", stderr: "after\n" });
    expect(called).toBe(true);
  });

  it("withStdoutOnStderr moves stdout to stderr while the work runs, and restores it after a failure", async () => {
    const { seen, restore } = capture();
    try {
      await expect(
        withStdoutOnStderr(async () => {
          process.stdout.write("log line\n");
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      process.stdout.write("result\n");
    } finally {
      restore();
    }
    expect(seen).toEqual({ stdout: "result\n", stderr: "log line\n" });
  });
});
