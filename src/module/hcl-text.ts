/** HCL text the module writes by hand (variables, the region data source, example roots). */

/** An HCL quoted string from literal text (no template sequences in it). */
export function hclString(text: string): string {
  return JSON.stringify(text).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

/**
 * A message with `@@n@@` markers that become `${expression n}`: literal text is
 * escaped for HCL, the markers are not.
 */
export function hclMessage(text: string, expressions: readonly string[]): string {
  let out = hclString(text);
  expressions.forEach((e, i) => {
    if (!out.includes(`@@${i}@@`)) throw new Error(`hclMessage: marker @@${i}@@ missing in ${text}`);
    out = out.split(`@@${i}@@`).join(`\${${e}}`);
  });
  return out;
}

/** Attribute lines with the `=` aligned as terraform fmt aligns a run of attributes. */
export function attributes(pairs: ReadonlyArray<readonly [string, string]>, indent: string): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`);
}
