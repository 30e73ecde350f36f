import { readFileSync, writeFileSync } from "node:fs";
import Handlebars from "handlebars";
import { compileTemplate, templateCacheFile } from "../../src/render/template-cache";

const OPTIONS = { strict: true, noEscape: true };
const source = () => `{"Comment": "{{name}} & <b>", "n": {{count}}, "unique": "${process.pid}-${Math.random()}"}`;

describe("compiled templates kept between runs", () => {
  it("renders what Handlebars' own compile renders, from a fresh entry and from the stored one", () => {
    const text = source();
    const expected = Handlebars.create().compile(text, OPTIONS)({ name: "x", count: 2 });
    expect(compileTemplate(Handlebars.create(), text)({ name: "x", count: 2 })).toBe(expected);
    expect(readFileSync(templateCacheFile(text), "utf8")).toContain("compiler");
    expect(compileTemplate(Handlebars.create(), text)({ name: "x", count: 2 })).toBe(expected);
  });

  it("keeps strict mode: a missing variable is still an error", () => {
    const template = compileTemplate(Handlebars.create(), source());
    expect(() => template({ name: "x" })).toThrow(/"count" not defined/);
  });

  it("compiles again over a damaged entry", () => {
    const text = source();
    compileTemplate(Handlebars.create(), text);
    const file = templateCacheFile(text);
    writeFileSync(file, "{ this is not a template");
    expect(compileTemplate(Handlebars.create(), text)({ name: "y", count: 3 })).toBe(Handlebars.create().compile(text, OPTIONS)({ name: "y", count: 3 }));
    expect(readFileSync(file, "utf8")).not.toContain("this is not a template");
  });
});
