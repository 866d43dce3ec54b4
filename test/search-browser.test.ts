import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { publishPost } from "../server/services/publishing.ts";
import { translator } from "../web/i18n/index.ts";
import { axeViolations } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** How long the tests wait for the script's answer to show (a loaded machine is slow). */
const WAIT = { timeout: 15_000 };
/** What the page says for one result, in English. */
const ONE_RESULT = translator("en")("search.count", { count: 1 });

/** The titles of the results the page shows now. */
const shownTitles = (page: Page) => page.locator("#search-region article h3").allTextContents();

/** Search as you type (web/public/search.js) in Chromium, and the same form without JavaScript. */
describe("search as you type in a real browser", { timeout: 60_000 }, () => {
  let site: InProcessInstance;
  let browser: Browser;
  const searchPage = () => new URL("/search", site.url).href;

  beforeAll(async () => {
    browser = await launchChromium();
    site = await startInProcess();
    const london = await createAccount(site.db, {
      username: "london",
      name: "London Library",
      country: "GB",
    });
    await publishPost(site, london, {
      title: "Running reading clubs",
      content: "<p>How libraries run reading clubs for teenagers.</p>",
      language: "en",
    });
    await publishPost(site, london, {
      title: "Garden of seeds",
      content: "<p>Borrow seeds for your garden from the library.</p>",
      language: "en",
    });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it("replaces the results as the person types, without a navigation, updates the address and announces the count", async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(searchPage());
    await expect(shownTitles(page).then((t) => t.sort())).resolves.toEqual([
      "Garden of seeds",
      "Running reading clubs",
    ]);
    // A navigation would load a new document: this mark would be lost and "load" would fire
    // (history.replaceState is a same-document change and fires neither).
    await page.evaluate("window.searchMark = 'still here'");
    let loads = 0;
    page.on("load", () => loads++);
    const partials: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["x-partial"] === "results") partials.push(request.url());
    });

    await page.locator("#search-q").pressSequentially("garden", { delay: 30 });
    await expect.poll(() => shownTitles(page), WAIT).toEqual(["Garden of seeds"]);
    await expect.poll(() => page.locator("#search-announce").textContent(), WAIT).toBe(ONE_RESULT);
    expect(await page.evaluate("window.searchMark")).toBe("still here");
    expect(loads).toBe(0);
    expect(new URL(page.url()).searchParams.get("q")).toBe("garden");
    expect(await page.title()).toMatch(/^Search: garden · /);
    expect(partials.at(-1)).toContain("q=garden");
    // The region came back with the matched words marked, from the page's own component.
    await expect(page.locator("#search-region .snippet mark").count()).resolves.toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("waits for two letters and sends one request for a burst of typing", async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(searchPage());
    const partials: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["x-partial"] === "results") partials.push(new URL(request.url()).search);
    });
    // One letter alone schedules no request; the rest of the word follows at typing speed.
    await page.locator("#search-q").pressSequentially("r");
    await page.locator("#search-q").pressSequentially("unning", { delay: 20 });
    await expect.poll(() => shownTitles(page), WAIT).toEqual(["Running reading clubs"]);
    expect(partials.every((query) => !/[?&]q=r(&|$)/.test(query))).toBe(true);
    expect(partials.at(-1)).toContain("q=running");
    // Seven keys 20 ms apart fall inside one 250 ms pause at most twice on a slow machine.
    expect(partials.length).toBeLessThanOrEqual(2);
    await context.close();
  });

  it("without JavaScript submits the form and shows the results on a new page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(searchPage());
    await page.locator("#search-q").fill("garden");
    await Promise.all([page.waitForURL(/[?&]q=garden/), page.locator("form.search button").click()]);
    await expect(shownTitles(page)).resolves.toEqual(["Garden of seeds"]);
    await expect(page.locator("#search-count").textContent()).resolves.toBe(ONE_RESULT);
    await context.close();
  });

  it("answers X-Partial: results with only the results region, and varies on that header", async () => {
    const response = await fetch(new URL("/search?q=garden", site.url), {
      headers: { "X-Partial": "results" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("vary")).toContain("X-Partial");
    const html = await response.text();
    expect(html.startsWith('<div id="search-region"')).toBe(true);
    expect(html).not.toContain("<html");
    expect(html).toContain("Garden of seeds");
    const script = await fetch(new URL("/search.js", site.url));
    expect(script.headers.get("content-type")).toContain("text/javascript");
  });
});
