import { lintDefinition } from "../../src/asl/lint";
import { lintDefinitionCached } from "../../src/asl/lint-cache";

const bad = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Result: { "at.$": "$$.State.EnteredTime" }, Next: "B" },
    B: { Type: "Succeed" },
    Island: { Type: "Succeed" },
  },
};
const options = { file: "fixture.json", type: "STANDARD" as const };

test("a cached answer equals a fresh lint, on the first and the second call", () => {
  const fresh = lintDefinition(structuredClone(bad), options);
  expect(fresh.map((f) => f.code)).toEqual(expect.arrayContaining(["SFN110", "SFN101"]));
  expect(lintDefinitionCached(structuredClone(bad), options)).toEqual(fresh);
  expect(lintDefinitionCached(structuredClone(bad), options)).toEqual(fresh);
});

test("a different definition or different options is linted anew", () => {
  const fixed = structuredClone(bad) as any;
  delete fixed.States.Island;
  expect(lintDefinitionCached(fixed, options).map((f) => f.code)).not.toContain("SFN101");
  expect(lintDefinitionCached(structuredClone(bad), { ...options, file: "other.json" }).every((f) => f.file === "other.json")).toBe(true);
});
