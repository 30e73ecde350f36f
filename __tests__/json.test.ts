import { parseJsonWithPosition, stableStringify } from "../src/json";

test("canonical key order: Type, Comment, StartAt first, then alphabetical, at every level", () => {
  const a = stableStringify({ States: { A: { Next: "B", Type: "Pass" } }, StartAt: "A", Comment: "c" });
  const b = stableStringify({ Comment: "c", StartAt: "A", States: { A: { Type: "Pass", Next: "B" } } });
  expect(a).toBe(b);
  expect(JSON.parse(a)).toEqual({ Comment: "c", StartAt: "A", States: { A: { Type: "Pass", Next: "B" } } });
  expect(Object.keys(JSON.parse(a).States.A)).toEqual(["Type", "Next"]);
  expect(Object.keys(JSON.parse(a))).toEqual(["Comment", "StartAt", "States"]);
});

test("arrays keep their order", () => {
  expect(stableStringify({ x: [3, 1, 2] }, 0)).toBe('{"x":[3,1,2]}');
});

test("a syntax error gives line, column and a snippet with a caret", () => {
  const result = parseJsonWithPosition('{\n  "a": 1\n  "b": 2\n}');
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect([result.line, result.column]).toEqual([3, 3]);
  expect(result.snippet).toBe('     2 |   "a": 1\n     3 |   "b": 2\n           ^');
});

test("truncated input points at the end", () => {
  const result = parseJsonWithPosition('{"a": [1, 2');
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.line).toBe(1);
});
