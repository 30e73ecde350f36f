/**
 * A small document model: the review is built once as blocks, then printed
 * as Markdown (the pull-request comment) and as HTML (the page), so both
 * always say the same thing.
 */

/** A run of text; `code` prints as a code span, `strong` in bold. */
export type Inline = string | { readonly code: string } | { readonly strong: string };
export type Text = Inline | readonly Inline[];

export type DocBlock =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3 | 4; readonly text: string; readonly id?: string }
  | { readonly kind: "paragraph"; readonly text: Text }
  | { readonly kind: "list"; readonly items: readonly Text[] }
  | { readonly kind: "table"; readonly headers: readonly string[]; readonly rows: readonly (readonly Text[])[] }
  | { readonly kind: "mermaid"; readonly source: string; readonly title: string }
  | { readonly kind: "details"; readonly summary: string; readonly blocks: readonly DocBlock[] };

export const h = (level: 1 | 2 | 3 | 4, text: string, id?: string): DocBlock => ({ kind: "heading", level, text, id });
export const p = (text: Text): DocBlock => ({ kind: "paragraph", text });
export const list = (items: readonly Text[]): DocBlock => ({ kind: "list", items });
export const table = (headers: readonly string[], rows: readonly (readonly Text[])[]): DocBlock => ({ kind: "table", headers, rows });
export const code = (text: string): Inline => ({ code: text });
export const strong = (text: string): Inline => ({ strong: text });

function inlines(text: Text): readonly Inline[] {
  return Array.isArray(text) ? (text as readonly Inline[]) : [text as Inline];
}

/** Plain text of a Text, for tests and summaries. */
export function plain(text: Text): string {
  return inlines(text)
    .map((i) => (typeof i === "string" ? i : "code" in i ? i.code : i.strong))
    .join("");
}

// ---------------------------------------------------------------- Markdown

/** Escapes characters GitHub Markdown would interpret in running text. */
function mdEscape(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, "\\$1").replace(/\n/g, " ");
}

/** A code span that survives backticks and pipes inside table cells. */
function mdCode(text: string, inTable: boolean): string {
  const flat = text.replace(/\n/g, " ");
  const ticks = (flat.match(/`+/g) ?? []).reduce((n, t) => Math.max(n, t.length), 0);
  const fence = "`".repeat(ticks + 1);
  const body = inTable ? flat.replace(/\|/g, "\\|") : flat;
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

function mdText(text: Text, inTable = false): string {
  return inlines(text)
    .map((i) => (typeof i === "string" ? mdEscape(i) : "code" in i ? mdCode(i.code, inTable) : `**${mdEscape(i.strong)}**`))
    .join("");
}

export function toMarkdown(blocks: readonly DocBlock[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "heading":
        out.push(`${"#".repeat(b.level)} ${mdEscape(b.text)}`);
        break;
      case "paragraph":
        out.push(mdText(b.text));
        break;
      case "list":
        out.push(b.items.map((i) => `- ${mdText(i)}`).join("\n"));
        break;
      case "table":
        out.push(
          [
            `| ${b.headers.map((x) => mdEscape(x)).join(" | ")} |`,
            `| ${b.headers.map(() => "---").join(" | ")} |`,
            ...b.rows.map((r) => `| ${r.map((c) => mdText(c, true) || " ").join(" | ")} |`),
          ].join("\n"),
        );
        break;
      case "mermaid":
        out.push("```mermaid\n" + b.source + "\n```");
        break;
      case "details":
        out.push(`<details><summary>${htmlEscape(b.summary)}</summary>\n\n${toMarkdown(b.blocks)}\n</details>`);
        break;
    }
  }
  return out.join("\n\n") + "\n";
}

// ---------------------------------------------------------------- HTML

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function htmlText(text: Text): string {
  return inlines(text)
    .map((i) => (typeof i === "string" ? htmlEscape(i) : "code" in i ? `<code>${htmlEscape(i.code)}</code>` : `<strong>${htmlEscape(i.strong)}</strong>`))
    .join("");
}

export function toHtmlBody(blocks: readonly DocBlock[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "heading":
        out.push(`<h${b.level}${b.id ? ` id="${htmlEscape(b.id)}"` : ""}>${htmlEscape(b.text)}</h${b.level}>`);
        break;
      case "paragraph":
        out.push(`<p>${htmlText(b.text)}</p>`);
        break;
      case "list":
        out.push(`<ul>${b.items.map((i) => `<li>${htmlText(i)}</li>`).join("")}</ul>`);
        break;
      case "table":
        out.push(
          `<div class="table-wrap"><table><thead><tr>${b.headers.map((x) => `<th>${htmlEscape(x)}</th>`).join("")}</tr></thead><tbody>` +
            b.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlText(c)}</td>`).join("")}</tr>`).join("") +
            `</tbody></table></div>`,
        );
        break;
      case "mermaid":
        // Mermaid reads the element's text; escaping keeps the HTML parser from seeing our labels as tags.
        out.push(`<figure class="diagram" data-title="${htmlEscape(b.title)}"><pre class="mermaid">${htmlEscape(b.source)}</pre></figure>`);
        break;
      case "details":
        out.push(`<details><summary>${htmlEscape(b.summary)}</summary>${toHtmlBody(b.blocks)}</details>`);
        break;
    }
  }
  return out.join("\n");
}
