/**
 * Opens review.html in headless Chromium: no console errors, no network, and
 * every workflow's diagram rendered to SVG, on a laptop and a phone.
 * Without Chromium the test is skipped locally; CI sets REQUIRE_BROWSER=1 so it fails instead.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM, checkPage, chromiumAvailable } from "../../src/review/browser";
import { toHtmlPage } from "../../src/review/html";
import { buildReview } from "../../src/review/report";
import { fixtureJson, fixtureSynth, tempDir } from "./helpers";

const available = chromiumAvailable();
const required = process.env.REQUIRE_BROWSER === "1";

if (!available && !required) {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium). CI sets REQUIRE_BROWSER=1 to make this a failure.`);
}

const maybe = available || required ? describe : describe.skip;

maybe("review.html in Chromium", () => {
  let page: string;
  let expected: string[];

  beforeAll(() => {
    if (!available) throw new Error(`REQUIRE_BROWSER=1 but Chromium is not installed at ${CHROMIUM}. Install it with apt-get install -y chromium.`);
    const json = fixtureJson() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    // A workflow whose names would break naive Mermaid output.
    const hostile = 'Check "VIP" <b>#1</b> [a] {b} | c; d & `e`';
    json.resource.aws_sfn_state_machine.hostile_1 = {
      name: "my-app-dev-hostile",
      type: "EXPRESS",
      role_arn: "${aws_iam_role.map_role_0F1E2D.arn}",
      definition: JSON.stringify({
        StartAt: hostile,
        States: {
          [hostile]: { Type: "Choice", Choices: [{ Variable: "$.tier", StringEquals: 'gold"]-->x', Next: "P (1)" }], Default: "end" },
          "P (1)": {
            Type: "Parallel",
            Branches: [{ StartAt: "<x>", States: { "<x>": { Type: "Pass", End: true } } }],
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "end" }],
            End: true,
          },
          end: { Type: "Fail", Error: "E#1", Cause: "<script>alert(1)</script>" },
        },
      }),
    };
    const review = buildReview({ stage: "dev", synth: fixtureSynth(json), synthLabel: "fixture" });
    expected = review.workflows.map((w) => w.workflow);
    page = join(tempDir(), "review.html");
    writeFileSync(page, toHtmlPage(review.title, review.blocks));
  });

  test("laptop: no console errors, no network, every workflow's diagram is an SVG", async () => {
    const shot = join(tempDir(), "laptop.png");
    const result = await checkPage(page, { screenshot: shot });
    expect(result.errors).toEqual([]);
    expect(result.network).toEqual([]);
    expect(result.status).toBe("done");
    expect(result.diagrams).toEqual(expected.map((title) => ({ title, svg: true })));
    expect(expected).toContain("my-app-dev-hostile");
    expect(existsSync(shot)).toBe(true);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
  }, 90_000);

  test("phone: the page itself does not scroll sideways (wide tables and diagrams scroll in their own boxes)", async () => {
    const result = await checkPage(page, { viewport: { width: 390, height: 844 }, screenshot: join(tempDir(), "phone.png") });
    expect(result.errors).toEqual([]);
    expect(result.diagrams.every((d) => d.svg)).toBe(true);
    expect(result.overflowing).toEqual([]);
    expect(result.scrollWidth).toBeLessThanOrEqual(390);
  }, 90_000);
});
