/**
 * Compiled templates kept between runs. Handlebars parses a template and
 * generates its JavaScript on the first call, in every process: about 50 ms
 * of a warm default-stage synthesis for the shipped templates and partials
 * (node --cpu-prof). Handlebars' own precompiled form of each source is kept
 * in node_modules/.cache/sfn-workflows/templates, keyed by the source, the
 * options and the Handlebars version, and loaded with `template()`, as
 * Handlebars' precompiler is meant to be used. A missing or unreadable entry
 * is compiled again; `SYNTH_NO_CACHE=1` turns the cache off, as it does for
 * the handler bundles and the lint.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { REPO_ROOT } from "../config/handlers";

const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "sfn-workflows", "templates");
// Handlebars adds fields to the options object it is given: each call gets its own copy.
const OPTIONS = Object.freeze({ strict: true, noEscape: true });
const options = () => ({ ...OPTIONS });

/** Where the compiled form of `source` is kept. */
export function templateCacheFile(source: string): string {
  const key = createHash("sha256").update(`${Handlebars.VERSION}\n${JSON.stringify(OPTIONS)}\n${source}`).digest("hex");
  return join(CACHE_DIR, `${key}.js`);
}

/** The template function of `source`, from the cache when it holds it, else precompiled and stored. */
export function compileTemplate(hb: typeof Handlebars, source: string): HandlebarsTemplateDelegate {
  if (process.env.SYNTH_NO_CACHE === "1") return hb.compile(source, options());
  const file = templateCacheFile(source);
  let stored: string | undefined;
  try {
    stored = readFileSync(file, "utf8");
  } catch {
    stored = undefined;
  }
  if (stored !== undefined) {
    try {
      return load(hb, stored);
    } catch {
      // A damaged entry (a disk filled mid-write, an edit): compile again and replace it.
    }
  }
  const spec = hb.precompile(source, options()) as unknown as string; // typed as the specification, returned as its source text
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, spec);
    renameSync(tmp, file);
  } catch {
    // A read-only node_modules: compile every time, as without the cache.
  }
  return load(hb, spec);
}

/** The precompiler's output is a JavaScript object literal; Handlebars' documented way to load it is evaluating it. */
function load(hb: typeof Handlebars, spec: string): HandlebarsTemplateDelegate {
  return hb.template(new Function(`return ${spec};`)() as Parameters<typeof hb.template>[0]);
}
