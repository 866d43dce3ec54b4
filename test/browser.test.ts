import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../web/i18n/en.ts";
import { lv } from "../web/i18n/lv.ts";
import { axeViolations, axeViolationsWithoutScripts } from "./support/axe.ts";
import { accessibilityProblems, launchChromium } from "./support/browser.ts";
import { type ImageServer, startImageServer } from "./support/images.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

const ADMIN = { email: "admin@library.example", password: "a long enough password" };
// The README's screenshot is refreshed only on request (UPDATE_SCREENSHOT=1), so test runs leave
// the work tree clean; otherwise the picture is still taken, to a temporary file.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? new URL("../docs/screenshot.png", import.meta.url).pathname
  : join(mkdtempSync(join(tmpdir(), "baltic-shot-")), "article.png");

const ARTICLE = {
  title: "Lithuania launches a unified digital hub for library professionals",
  summary:
    "The Martynas Mažvydas National Library of Lithuania launched the Library Specialist's Space: " +
    "professional news, research and methodology, trainings and webcasts in one place.",
  content: [
    "The National Library has officially launched the **Library Specialist's Space**, a strategic online",
    'platform based on the "one-stop shop" principle, designed to consolidate the country\'s library',
    "community and systematise professional knowledge.",
    "",
    "## What it brings together",
    "",
    "- **Professional news:** national initiatives and global trends in the library sector.",
    "- **Methodological competence:** research results, guidelines and best practice recommendations.",
    "- **Continuing professional development:** a calendar of trainings and methodological materials.",
    "- **Community empowerment:** libraries become content creators, sharing their success stories.",
    "",
    "Next, the platform plans AI-based search across all of its resources.",
  ].join("\n"),
  tags: "libraries professional_development Lithuania",
};

/** Fails the test with the list of problems, page by page. */
/** Pages opened with JavaScript disabled (axe runs on them another way). */
const withoutScripts = new WeakSet<Page>();

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect(await accessibilityProblems(page), path).toEqual([]);
  // axe-core's WCAG 2.2 A/AA rules: no serious or critical violation (issue 11).
  const violations = withoutScripts.has(page)
    ? await axeViolationsWithoutScripts(page)
    : await axeViolations(page);
  expect(violations, path).toEqual([]);
}

/** The real browser against an in-process instance, with and without JavaScript. */
describe("in a real browser (Debian Chromium)", () => {
  let instance: InProcessInstance;
  let images: ImageServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let articleUrl = "";
  let deletedUrl = "";

  async function newPage(
    options: {
      javaScriptEnabled?: boolean;
      colorScheme?: "light" | "dark";
      viewport?: { width: number; height: number };
    } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: "en-GB",
      ...options,
    });
    contexts.push(context);
    const page = await context.newPage();
    if (options.javaScriptEnabled === false) withoutScripts.add(page);
    return page;
  }

  beforeAll(async () => {
    // Throws (and so fails every test here) with a clear message when Chromium is missing.
    browser = await launchChromium();
    [instance, images] = await Promise.all([startInProcess(), startImageServer()]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await Promise.all([instance?.stop(), images?.close()]);
  });

  it("sets up the instance, creates a library and publishes an article in the browser", async () => {
    const page = await newPage();
    await page.goto(instance.url.href);
    expect(new URL(page.url()).pathname).toBe("/setup");
    await expectAccessible(page);
    await page.getByLabel(en["form.email"]).fill(ADMIN.email);
    await page.getByLabel(en["form.password"]).fill(ADMIN.password);
    await page.getByRole("button", { name: en["setup.title"] }).click();
    await page.waitForURL("**/admin");
    expect(await page.locator("h1").textContent()).toBe(en["admin.title"]);
    await expectAccessible(page);

    await page.getByLabel(en["field.username"]).fill("vilnius");
    await page.getByLabel(en["field.name"], { exact: true }).fill("Vilnius City Library");
    await page
      .getByLabel(en["field.summary"], { exact: true })
      .fill("The public library network of Vilnius.");
    await page.getByLabel(en["field.country"]).fill("LT");
    await page.getByLabel(en["field.city"]).fill("Vilnius");
    await page.getByRole("button", { name: en["form.create"] }).click();
    await page.waitForURL("**/admin/accounts/vilnius");
    expect(await page.locator("h1").textContent()).toBe("Vilnius City Library");
    await expectAccessible(page);

    await page.getByRole("link", { name: en["admin.newPost"] }).click();
    await page.waitForURL("**/admin/accounts/vilnius/posts/new");
    await expectAccessible(page);
    await page.getByLabel(en["field.title"], { exact: true }).fill(ARTICLE.title);
    await page.getByLabel(en["field.summary"], { exact: true }).fill(ARTICLE.summary);
    await page.getByLabel(en["field.content"], { exact: true }).fill(ARTICLE.content);
    await page.getByRole("combobox", { name: en["field.format"] }).selectOption("markdown");
    await page.getByRole("combobox", { name: en["field.language"] }).selectOption("en");
    await page.getByLabel(en["field.tags"]).fill(ARTICLE.tags);
    await page.getByRole("button", { name: en["form.submit"], exact: true }).click();
    await page.waitForURL(/\/users\/vilnius\/articles\/[0-9a-f-]{36}$/);
    articleUrl = page.url();

    expect(await page.locator("h1").textContent()).toBe(ARTICLE.title);
    expect(await page.locator(".e-content strong").first().textContent()).toBe("Library Specialist's Space");
    expect(await page.locator(".e-content li").count()).toBe(4);
    expect(await page.locator("a[rel=tag]").allTextContents()).toEqual([
      "#libraries",
      "#professional_development",
      "#Lithuania",
    ]);
    await expectAccessible(page);
    // The README's picture: the article as a visitor (not signed in) sees it.
    const visitor = await newPage();
    await visitor.goto(articleUrl);
    expect(await visitor.locator("h1").textContent()).toBe(ARTICLE.title);
    await visitor.screenshot({ path: SCREENSHOT });

    // The public pages list it too.
    await page.getByRole("link", { name: "Vilnius City Library" }).first().click();
    await page.waitForURL("**/users/vilnius");
    await expect(page.getByRole("link", { name: ARTICLE.title }).count()).resolves.toBe(1);
    await expectAccessible(page);
    await page.goto(instance.url.href);
    await expect(page.getByRole("link", { name: ARTICLE.title }).count()).resolves.toBe(1);
    await expectAccessible(page);
  }, 90_000);

  it("works with JavaScript disabled: sign in, create, publish, edit, delete", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(new URL("/admin", instance.url).href);
    expect(new URL(page.url()).pathname).toBe("/login");
    await expectAccessible(page);
    await page.getByLabel(en["form.email"]).fill(ADMIN.email);
    await page.getByLabel(en["form.password"]).fill(ADMIN.password);
    await page.getByRole("button", { name: en["login.title"] }).click();
    await page.waitForURL("**/admin");

    await page.getByLabel(en["field.username"]).fill("riga");
    await page.getByLabel(en["field.name"], { exact: true }).fill("Riga Central Library");
    await page.getByRole("button", { name: en["form.create"] }).click();
    await page.waitForURL("**/admin/accounts/riga");

    await page.getByRole("link", { name: en["admin.newPost"] }).click();
    await page.getByLabel(en["field.title"], { exact: true }).fill("BIBLIO: digital skills for librarians");
    await page
      .getByLabel(en["field.content"], { exact: true })
      .fill("More than **40 librarians** from all over Latvia started blended training.");
    await page.getByLabel(en["field.image"]).fill(images.url("photo.jpg"));
    await page.getByLabel(en["field.imageAlt"]).fill("Librarians at the BIBLIO training");
    await page.getByRole("button", { name: en["form.submit"], exact: true }).click();
    await page.waitForURL(/\/users\/riga\/articles\//);
    const postUrl = page.url();
    expect(await page.locator("h1").textContent()).toBe("BIBLIO: digital skills for librarians");
    expect(await page.locator("article img").getAttribute("alt")).toBe("Librarians at the BIBLIO training");
    await expectAccessible(page);

    await page.goto(new URL("/admin/accounts/riga", instance.url).href);
    await page.getByRole("link", { name: en["admin.edit"] }).click();
    await expectAccessible(page);
    await page
      .getByLabel(en["field.title"], { exact: true })
      .fill("BIBLIO: digital skills for 40 librarians");
    await page.getByRole("button", { name: en["form.submit"], exact: true }).click();
    await page.waitForURL(postUrl);
    expect(await page.locator("h1").textContent()).toBe("BIBLIO: digital skills for 40 librarians");

    await page.goto(new URL("/admin/accounts/riga", instance.url).href);
    await page.getByRole("button", { name: `${en["admin.delete"]}: BIBLIO` }).click();
    await page.waitForURL("**/admin/accounts/riga?saved=1");
    expect(await page.getByRole("status").textContent()).toBe(en["admin.saved"]);
    deletedUrl = postUrl;
    const gone = await page.goto(postUrl);
    expect(gone?.status()).toBe(410);
    expect(await page.locator("main").textContent()).toContain(en["article.gone"]);
  }, 90_000);

  it("keeps every public and admin page accessible, also in Latvian without JavaScript", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(new URL("/login", instance.url).href);
    await page.getByLabel(en["form.email"]).fill(ADMIN.email);
    await page.getByLabel(en["form.password"]).fill(ADMIN.password);
    await page.getByRole("button", { name: en["login.title"] }).click();
    await page.waitForURL("**/admin");
    await page.getByRole("link", { name: "Latviešu" }).click();
    expect(await page.locator("html").getAttribute("lang")).toBe("lv");
    expect(await page.locator("h1").textContent()).toBe(lv["admin.title"]);
    if (!articleUrl) throw new Error("this test visits the article the first test published");
    const articlePath = new URL(articleUrl).pathname;
    const id = articlePath.split("/").pop() ?? "";
    const pages: [string, number][] = [
      ["/", 200],
      ["/received", 200],
      ["/setup", 200],
      ["/users/vilnius", 200],
      [articlePath, 200],
      ["/tags/libraries", 200],
      ["/users/vilnius/calendar", 200],
      ["/search?q=library", 200],
      ["/admin", 200],
      ["/admin/accounts/vilnius", 200],
      ["/admin/accounts/vilnius/posts/new", 200],
      [`/admin/accounts/vilnius/posts/${id}/edit`, 200],
      ["/users/nobody", 404],
    ];
    if (deletedUrl) pages.push([new URL(deletedUrl).pathname, 410]);
    for (const [path, status] of pages) {
      const response = await page.goto(new URL(path, instance.url).href);
      expect(response?.status(), path).toBe(status);
      // An article's page is in the article's language (English here), around a Latvian interface.
      const contentLang = path === articlePath ? "en" : "lv";
      expect(await page.locator("html").getAttribute("lang"), path).toBe(contentLang);
      const interfaceLang = (await page.locator("header.site").getAttribute("lang")) ?? contentLang;
      expect(interfaceLang, path).toBe("lv");
      await expectAccessible(page);
    }
  }, 180_000);

  it("keeps contrast in dark mode and fits a 360 px phone without sideways scrolling", async () => {
    const page = await newPage({ colorScheme: "dark", viewport: { width: 360, height: 740 } });
    await page.goto(new URL("/login", instance.url).href);
    await page.getByLabel(en["form.email"]).fill(ADMIN.email);
    await page.getByLabel(en["form.password"]).fill(ADMIN.password);
    await page.getByRole("button", { name: en["login.title"] }).click();
    await page.waitForURL("**/admin");
    if (!articleUrl) throw new Error("this test visits the article the first test published");
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).not.toBe("rgb(251, 251, 253)"); // the light theme's
    for (const path of ["/admin", "/admin/accounts/vilnius/posts/new", "/", new URL(articleUrl).pathname]) {
      await page.goto(new URL(path, instance.url).href);
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect(overflow, path).toBeLessThanOrEqual(0);
      await expectAccessible(page);
    }
  }, 120_000);
});
