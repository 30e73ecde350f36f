/**
 * The one-pass copy-and-check a Lambda's parameters and results go through
 * must give exactly what the two passes give: cloneJson's copy and
 * checkPayload's verdict on it.
 */
import { MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, checkPayload, cloneChecked, cloneJson, lastVerdict } from "../../src/executor/json";

function twoPasses(value: unknown): { copy: unknown; verdict: string } {
  const copy = cloneJson(value);
  return { copy, verdict: checkPayload(copy) };
}

function onePass(value: unknown): { copy: unknown; verdict: string } {
  const copy = cloneChecked(value);
  return { copy, verdict: lastVerdict.verdict };
}

/** A seeded generator of JSON-ish values, with what a handler might return beside JSON. */
function randomValue(seed: number): unknown {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296);
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 4 || r < 0.3) {
      const p = rnd();
      if (p < 0.2) return "s".repeat(Math.floor(rnd() * 20)) + "é";
      if (p < 0.35) return Math.floor(rnd() * 1e6) / 7;
      if (p < 0.45) return rnd() < 0.5;
      if (p < 0.55) return null;
      if (p < 0.6) return undefined;
      if (p < 0.65) return NaN;
      if (p < 0.7) return () => 1;
      if (p < 0.75) return new Date(Math.floor(rnd() * 1e12));
      return Math.floor(rnd() * 100);
    }
    if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 5) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rnd() * 5); i > 0; i--) {
      const key = rnd() < 0.1 ? "__proto__" : rnd() < 0.1 ? "constructor" : `k${Math.floor(rnd() * 10)}`;
      Object.defineProperty(o, key, { value: gen(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    if (rnd() < 0.05) o.toJSON = () => ({ replaced: true });
    return o;
  };
  return gen(0);
}

describe("cloneChecked", () => {
  test("gives cloneJson's copy and checkPayload's verdict on random values", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const value = randomValue(seed);
      const a = onePass(value);
      const b = twoPasses(value);
      expect(a.verdict).toBe(b.verdict);
      expect(JSON.stringify(a.copy)).toBe(JSON.stringify(b.copy));
      expect(Object.keys((a.copy ?? {}) as object)).toEqual(Object.keys((b.copy ?? {}) as object));
    }
  });

  test("keeps __proto__ as data and never touches Object.prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, {"__proto__": 2}]}');
    const copy = cloneChecked(value) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(copy, "__proto__")).toBe(true);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("agrees near and over the 256 KiB limit, and on nesting too deep", () => {
    const near = { text: "x".repeat(MAX_PAYLOAD_BYTES - 20) };
    const over = { text: "x".repeat(MAX_PAYLOAD_BYTES + 1) };
    const wide = { text: "é".repeat(MAX_PAYLOAD_BYTES / 2) };
    let deep: unknown = 1;
    for (let i = 0; i < MAX_NESTING_DEPTH + 5; i++) deep = [deep];
    for (const value of [near, over, wide, deep]) {
      const a = onePass(value);
      const b = twoPasses(value);
      expect(a.verdict).toBe(b.verdict);
      expect(JSON.stringify(a.copy)).toBe(JSON.stringify(b.copy));
    }
    expect(onePass(near).verdict).toBe("ok");
    expect(onePass(over).verdict).toBe("too-large");
    expect(onePass(wide).verdict).toBe("too-large");
    expect(onePass(deep).verdict).toBe("too-deep");
  });

  test("a copy shares nothing with the original", () => {
    const value = { a: { b: [1, { c: 2 }] } };
    const copy = cloneChecked(value) as typeof value;
    (copy.a.b[1] as { c: number }).c = 3;
    expect((value.a.b[1] as { c: number }).c).toBe(2);
  });
});
