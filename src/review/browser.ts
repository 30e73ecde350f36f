/**
 * Opens a review page in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) and reports what a reader would see: console errors and
 * how many diagrams became SVG. Used by the browser test and by
 * `npm run review -- --screenshot <file>` to refresh docs/review-screenshot.png.
 * playwright-core is a dev dependency, so it is loaded only when called.
 */

import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ReviewError } from "./errors";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface PageCheck {
  /** Console errors and uncaught page errors, as the browser printed them. */
  readonly errors: readonly string[];
  /** Requests to anything but file: and data: URLs (the page must need no network). */
  readonly network: readonly string[];
  /** `done` when Mermaid finished, `error` when it failed, `pending` on timeout. */
  readonly status: string;
  /** Diagram figures, with whether each holds an SVG. */
  readonly diagrams: ReadonlyArray<{ readonly title: string; readonly svg: boolean }>;
  /** The page's scroll width: wider than the viewport means the reader must scroll sideways. */
  readonly scrollWidth: number;
  /** Elements sticking out of the viewport that no scrolling box contains (what makes the page scroll sideways). */
  readonly overflowing: readonly string[];
}

const OVERFLOWING = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.getBoundingClientRect().right <= width + 0.5) continue;
    let p = e.parentElement, contained = false;
    while (p && p !== document.body) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) { contained = true; break; }
      p = p.parentElement;
    }
    if (!contained) out.push(e.tagName.toLowerCase() + ": " + (e.textContent || "").trim().slice(0, 80));
  }
  return out.slice(0, 10);
})()`;

export interface CheckOptions {
  /** Save a PNG of the viewport here. */
  readonly screenshot?: string;
  /** Capture the whole page instead of the viewport. @default false */
  readonly fullPage?: boolean;
  /** @default { width: 1280, height: 900 } */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** @default 30000 */
  readonly timeoutMs?: number;
}

export function chromiumMissing(): string {
  return `Chromium is not installed at ${CHROMIUM}. Fix: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;
}

export async function checkPage(htmlFile: string, options: CheckOptions = {}): Promise<PageCheck> {
  if (!chromiumAvailable()) {
    throw new ReviewError(chromiumMissing());
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 } });
    const errors: string[] = [];
    const network: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!/^(file|data|blob|about):/.test(r.url())) network.push(r.url());
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load", timeout: options.timeoutMs ?? 30_000 });
    await page
      // A string, not a function: this file is type-checked without the DOM library.
      .waitForFunction('document.body.getAttribute("data-diagrams") !== "pending"', undefined, { timeout: options.timeoutMs ?? 30_000 })
      .catch(() => undefined);
    const status = (await page.getAttribute("body", "data-diagrams")) ?? "missing";
    const diagrams = await page.$$eval("figure.diagram", (figures) =>
      figures.map((f) => ({ title: f.getAttribute("data-title") ?? "", svg: f.querySelector("pre.mermaid svg") !== null })),
    );
    const scrollWidth = Number(await page.evaluate("document.documentElement.scrollWidth"));
    const overflowing = (await page.evaluate(OVERFLOWING)) as string[];
    if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: options.fullPage ?? false });
    return { errors, network, status, diagrams, scrollWidth, overflowing };
  } finally {
    await browser.close();
  }
}
