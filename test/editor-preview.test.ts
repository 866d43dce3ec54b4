import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { items } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { createUser, startSession } from "../server/domain/users.ts";
import { SESSION_COOKIE } from "../server/http/session.ts";
import { en } from "../web/i18n/en.ts";
import { axeViolations } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { signedIn } from "./support/sessions.ts";
import { WebClient } from "./support/web-client.ts";

/** How long the tests wait for the script's answer to show (a loaded machine is slow). */
const WAIT = { timeout: 15_000 };

/** The post editor's live preview (web/public/editor-preview.js, POST /admin/preview). */
describe("live preview in the post editor", { timeout: 60_000 }, () => {
  let site: InProcessInstance;
  let browser: Browser;
  let session: string;
  const editor = () => new URL("/admin/accounts/lib/posts/new", site.url).href;

  beforeAll(async () => {
    browser = await launchChromium();
    site = await startInProcess();
    await createAccount(site.db, { username: "lib", name: "Test library" });
    const user = await createUser(site.db, {
      email: "editor@lib.example",
      password: "long-password-1",
      role: "admin",
    });
    session = await startSession(site.db, user.id);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it("shows Markdown **bold** as <strong> in the preview while typing, without submitting or storing", async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: site.url.origin }]);
    const page = await context.newPage();
    await page.goto(editor());
    let loads = 0;
    page.on("load", () => loads++);
    await expect(page.locator("#post-preview .preview").count()).resolves.toBe(0);
    await page.locator('input[name="title"]').fill("Reading club");
    await page.locator('textarea[name="content"]').pressSequentially("Come **bold** readers", { delay: 10 });
    await expect
      .poll(() => page.locator("#post-preview .preview .content strong").textContent({ timeout: 1000 }), WAIT)
      .toBe("bold");
    expect(await page.locator("#post-preview .preview .card strong").textContent()).toBe("Reading club");
    expect(await page.locator("#post-preview h2").textContent()).toBe(en["preview.title"]);
    // No navigation, nothing stored: the form is still being written.
    expect(loads).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/admin/accounts/lib/posts/new");
    expect(await site.db.select().from(items)).toHaveLength(0);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it("without JavaScript the Preview button still renders the preview on the server", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: site.url.origin }]);
    const page = await context.newPage();
    await page.goto(editor());
    await page.locator('input[name="title"]').fill("Reading club");
    await page.locator('textarea[name="content"]').fill("Come **bold** readers");
    await Promise.all([page.waitForEvent("load"), page.locator('button[name="preview"]').click()]);
    expect(await page.locator("#post-preview .preview .content strong").textContent()).toBe("bold");
    await context.close();
  });

  it("POST /admin/preview answers the Preview section alone, sanitized, and says what a half-written form lacks", async () => {
    const client = await signedIn(site.db, site.url, "editor");
    await client.page("/admin/accounts/lib/posts/new");
    const answer = await client.postForm("/admin/preview", {
      type: "article",
      title: "Reading club",
      content: "**bold** <script>alert(1)</script>",
      format: "markdown",
      language: "en",
    });
    expect(answer.status).toBe(200);
    const html = await answer.text();
    expect(html.startsWith('<section class="preview"')).toBe(true);
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<html");
    const invalid = await client.postForm("/admin/preview", {
      type: "article",
      title: "Reading club",
      content: "x",
      language: "en",
      tags: "not a tag!",
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/<p class="error">tag: /);
  });

  it("refuses a preview without a session (to sign-in) and without the CSRF token (403)", async () => {
    const anonymous = new WebClient(site.url);
    const signedOut = await anonymous.postForm(
      "/admin/preview",
      { title: "Reading club", content: "**bold**", language: "en" },
      { csrf: false },
    );
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toMatch(/^\/login\?next=/);
    const client = await signedIn(site.db, site.url, "editor");
    await client.page("/admin/accounts/lib/posts/new");
    const noToken = await client.postForm(
      "/admin/preview",
      { title: "Reading club", content: "**bold**", language: "en" },
      { csrf: false },
    );
    expect(noToken.status).toBe(403);
    const wrongToken = await client.postForm(
      "/admin/preview",
      { title: "Reading club", content: "**bold**", language: "en" },
      { csrf: "not-the-token" },
    );
    expect(wrongToken.status).toBe(403);
    // A curator may sign in but not write posts.
    const curator = await signedIn(site.db, site.url, "curator");
    await curator.page("/admin");
    const forbidden = await curator.postForm("/admin/preview", { title: "x", content: "y", language: "en" });
    expect(forbidden.status).toBe(403);
  });
});
