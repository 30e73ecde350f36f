import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { lintDefinition } from "../../src/asl/lint";
import { lintCacheFile, lintDefinitionCached } from "../../src/asl/lint-cache";

const bad = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Result: { "at.$": "$$.State.EnteredTime" }, Next: "B" },
    B: { Type: "Succeed" },
    Island: { Type: "Succeed" },
  },
};
const options = { file: "fixture.json", type: "STANDARD" as const };

beforeEach(() => {
  delete process.env.SYNTH_NO_CACHE;
  rmSync(lintCacheFile(bad, options), { force: true });
});

test("the first call stores the fresh lint; the second is answered from the stored file", () => {
  const fresh = lintDefinition(structuredClone(bad), options);
  expect(fresh.map((f) => f.code)).toEqual(expect.arrayContaining(["SFN110", "SFN101"]));
  const file = lintCacheFile(bad, options);
  expect(existsSync(file)).toBe(false);
  expect(lintDefinitionCached(structuredClone(bad), options)).toEqual(fresh);
  // Stored: the file exists and holds exactly the fresh findings.
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(fresh);
  // Read back: a marked entry comes back as stored, so the second call did not lint again.
  const marked = fresh.map((f) => ({ ...f, message: `cached: ${f.message}` }));
  writeFileSync(file, JSON.stringify(marked));
  expect(lintDefinitionCached(structuredClone(bad), options)).toEqual(marked);
  rmSync(file, { force: true });
});

test("SYNTH_NO_CACHE=1 neither reads nor writes the cache", () => {
  process.env.SYNTH_NO_CACHE = "1";
  try {
    expect(lintDefinitionCached(structuredClone(bad), options)).toEqual(lintDefinition(structuredClone(bad), options));
    expect(existsSync(lintCacheFile(bad, options))).toBe(false);
  } finally {
    delete process.env.SYNTH_NO_CACHE;
  }
});

test("a different definition, options or rule settings is a different entry", () => {
  const fixed = structuredClone(bad) as any;
  delete fixed.States.Island;
  expect(lintCacheFile(fixed, options)).not.toBe(lintCacheFile(bad, options));
  expect(lintCacheFile(bad, { ...options, file: "other.json" })).not.toBe(lintCacheFile(bad, options));
  expect(lintCacheFile(bad, { ...options, rules: { SFN110: "off" } })).not.toBe(lintCacheFile(bad, { ...options, rules: {} }));
  expect(lintDefinitionCached(fixed, options).map((f) => f.code)).not.toContain("SFN101");
  expect(lintDefinitionCached(structuredClone(bad), { ...options, file: "other.json" }).every((f) => f.file === "other.json")).toBe(true);
});
