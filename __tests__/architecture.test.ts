/**
 * The dependency rules of the README ("Dependencies run one way"), checked on
 * the import statements: main.ts -> modules/ -> src/; src/ never imports
 * cdktf or modules/; handlers/ import neither src/ nor modules/; workflows/ is
 * data; no two folders of src/ import each other; tests do not import scripts/.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const ROOT = join(__dirname, "..");
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === "node_modules" || entry === "fixtures") return [];
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : /\.(ts|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** Every import of every file under `dirs`: [file, specifier, target relative to the repository or the package name]. */
function imports(...dirs: string[]): Array<[string, string, string]> {
  return dirs.flatMap(files).flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(IMPORT)].map(([, spec]) => [file, spec, spec.startsWith(".") ? normalize(join(dirname(file), spec)) : spec] as [string, string, string]),
  );
}


test("src/ never imports cdktf, constructs, modules/ or main.ts", () => {
  expect(imports("src").filter(([, , t]) => /^(cdktf|@cdktf\/|constructs$|modules\/|main$)/.test(t))).toEqual([]);
});

test("handlers/ import neither src/ nor modules/", () => {
  expect(imports("handlers").filter(([, , t]) => /^(src|modules)\//.test(t))).toEqual([]);
});

test("workflows/ is data: it imports nothing of the project", () => {
  expect(imports("workflows").filter(([, spec]) => spec.startsWith("."))).toEqual([]);
});

test("no two folders of src/ import each other", () => {
  const area = (path: string) => (path.startsWith("src/") && path.split("/").length > 2 ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]);
  const edges = new Set(imports("src").filter(([, spec]) => spec.startsWith(".")).map(([file, , target]) => `${area(file)} -> ${area(target)}`));
  const cycles = [...edges].filter((e) => {
    const [a, b] = e.split(" -> ");
    return a !== b && a.startsWith("src/") && b.startsWith("src/") && edges.has(`${b} -> ${a}`);
  });
  expect(cycles).toEqual([]);
});

test("tests do not import scripts/ (shared logic lives in src/)", () => {
  expect(imports("__tests__").filter(([, , t]) => t.startsWith("scripts/")).map(([f, s]) => `${f}: ${s}`)).toEqual([]);
});

test("the checks see the imports (a file known to import src/errors.ts is found)", () => {
  expect(imports("src/render").some(([f, , t]) => f === "src/render/render.ts" && t === "src/errors")).toBe(true);
});
