/**
 * Captures the JSON lines handlers write (Powertools writes INFO and DEBUG to
 * stdout, WARN and ERROR to stderr; Lambda sends both to CloudWatch Logs), so
 * tests stay quiet and can assert on logs.
 */
export function captureLogs(): { lines: () => Record<string, unknown>[]; raw: () => string; restore: () => void } {
  const captured: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, "write").mockImplementation(capture), jest.spyOn(process.stderr, "write").mockImplementation(capture)];
  const raw = () => captured.join("");
  return {
    raw,
    lines: () =>
      raw()
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
