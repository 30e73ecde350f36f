/** Captures the JSON lines handlers write to stdout, so tests stay quiet and can assert on logs. */
export function captureLogs(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const captured: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
  return {
    lines: () =>
      captured
        .join("")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}
