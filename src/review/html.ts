/**
 * The review as one self-contained HTML page: no network at all. Mermaid's
 * browser bundle (the npm package's dist/mermaid.min.js) is inlined, and the
 * page records the outcome of rendering in `<body data-diagrams="...">` so a
 * headless browser test can wait for it.
 */

import { readFileSync } from "node:fs";
import { type DocBlock, htmlEscape, toHtmlBody } from "./document";

let bundle: string | undefined;

/** The Mermaid browser bundle, made safe to sit inside a <script> element. */
export function mermaidBundle(): string {
  if (bundle === undefined) {
    const text = readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
    // `</script` would end the element early; `<!--` followed by `<script` would switch the HTML parser into its escaped state.
    bundle = text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  }
  return bundle;
}

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: .25em; margin-top: 2rem; }
h3 { font-size: 1.15rem; margin-top: 1.75rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .5rem; color: var(--muted); }
code { font: .85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
figure.diagram { text-align: center; margin: 1rem 0; padding: .75rem; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; background: var(--bg); }
figure.diagram svg { max-width: 100%; height: auto; }
pre.mermaid:not([data-processed]) { white-space: pre; font-size: .8rem; color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; font-size: .9rem; margin: .5rem 0 1rem; }
nav a { color: var(--accent); white-space: nowrap; }
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: .75rem .75rem 2rem; }
  h1 { font-size: 1.3rem; }
  th, td { padding: .3rem .4rem; }
}
`;

const BOOT = `
(function () {
  var body = document.body;
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default", flowchart: { htmlLabels: true, useMaxWidth: true } });
    mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
      body.setAttribute("data-diagrams", "done");
    }, function (error) {
      body.setAttribute("data-diagrams", "error");
      console.error("Mermaid could not render a diagram: " + (error && error.message ? error.message : error));
    });
  } catch (error) {
    body.setAttribute("data-diagrams", "error");
    console.error("Mermaid failed to start: " + (error && error.message ? error.message : error));
  }
})();
`;

/** The page: the same blocks as review.md, a workflow index, responsive CSS and the inlined Mermaid bundle. */
export function toHtmlPage(title: string, blocks: readonly DocBlock[]): string {
  const workflows = blocks.filter((b): b is Extract<DocBlock, { kind: "heading" }> => b.kind === "heading" && b.id?.startsWith("workflow-") === true);
  const nav =
    workflows.length > 0
      ? `<nav aria-label="Workflows">${workflows.map((w) => `<a href="#${htmlEscape(w.id as string)}">${htmlEscape(w.text)}</a>`).join("")}</nav>`
      : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title>
<style>${CSS}</style>
</head>
<body data-diagrams="pending">
<main>
${toHtmlBody(blocks.slice(0, 2))}
${nav}
${toHtmlBody(blocks.slice(2))}
</main>
<script>${mermaidBundle()}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
