// The HTML report in a real browser: Debian's chromium driven by playwright-core. Installed here when the
// machine allows it, else the browser check is skipped with a notice; with CI=true it is required.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { allot, makeSample, tempDir } from "../helpers";
import { chromiumRequired, findChromium, type ChromiumLookup } from "./chromium";

describe("the HTML report in headless Chromium", () => {
  let html: string;
  let browserPath: ChromiumLookup;
  beforeAll(() => {
    browserPath = findChromium();
    if (browserPath.path !== undefined && browserPath.installed) console.log(`installed Chromium for the browser test: ${browserPath.path}`);
  }, 20 * 60_000);
  beforeAll(async () => {
    const sample = await makeSample({ rows: 6000, months: 3 });
    const out = tempDir();
    const run = allot(["report", "--config", join(sample.out, "allot.yaml"), "--input", join(sample.out, "focus", "*.parquet"), "--metrics", join(sample.out, "metrics.csv"), "--metering", join(sample.out, "metering.csv"), "--k8s", join(sample.out, "opencost", "*.json"), "--out", out, "--format", "html", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    html = join(out, "report.html");
  });

  it("is one self-contained file: no scripts, nothing fetched", () => {
    const text = readFileSync(html, "utf8");
    expect(text).not.toMatch(/<script|<link|src="http|href="http|@import/i);
  });

  it("loads offline with no console errors, and its charts draw", async (context) => {
    if (browserPath.path === undefined) {
      if (chromiumRequired()) throw new Error(`CI=true requires the browser test: ${browserPath.reason}`);
      console.warn(`SKIPPED the browser test of the HTML report: ${browserPath.reason}`);
      context.skip(browserPath.reason);
    }
    const browser = await chromium.launch({
      executablePath: browserPath.path,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (r) => !r.url().startsWith("file:") && problems.push(`fetched ${r.url()}`));
      await page.goto(`file://${html}`);
      expect(problems).toEqual([]);
      const charts = await page.$$eval(".chart svg", (svgs) => svgs.map((s) => ({ marks: s.querySelectorAll("path, rect").length, width: s.getBoundingClientRect().width })));
      expect(charts).toHaveLength(3);
      for (const chart of charts) {
        expect(chart.marks).toBeGreaterThan(5);
        expect(chart.width).toBeGreaterThan(200);
      }
      const shot = await page.screenshot({ fullPage: true, path: join(tempDir(), "report.png") });
      expect(shot.length).toBeGreaterThan(50_000);
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("h1").textContent()).toBe("Cloud costs, October 2026");
    } finally {
      await browser.close();
    }
  });
});
