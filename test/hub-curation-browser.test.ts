import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../server/db/ids.ts";
import { items } from "../server/db/schema/index.ts";
import { createAccount } from "../server/domain/accounts.ts";
import { createUser, startSession } from "../server/domain/users.ts";
import { SESSION_COOKIE } from "../server/http/session.ts";
import { en } from "../web/i18n/en.ts";
import { launchChromium } from "./support/browser.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { storeRemoteLibrary } from "./support/stored-sources.ts";

/** The curation queue in Chromium: keyboard shortcuts (with JavaScript) and a bulk action. */
describe("the curation queue in a real browser", { timeout: 60_000 }, () => {
  let instance: InProcessInstance;
  let browser: Browser;
  let page: Page;
  const titles = ["First queued article", "Second queued article", "Third queued article"];

  const stateOf = async (title: string) => {
    const [row] = await instance.database.sql<{ state: string }[]>`
      SELECT c.state FROM curation c JOIN items i ON i.id = c.item_id WHERE i.title = ${title}`;
    return row?.state;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    instance = await startInProcess({ instanceRole: "hub" });
    await createAccount(instance.db, { username: "hub", name: "Baltic hub" });
    const actorId = await storeRemoteLibrary(instance.db, {
      host: "riga.example",
      username: "riga",
      name: "Rīgas bibliotēka",
      country: "LV",
    });
    // Stored as ingest stores them: the trigger queues each (the source is not auto-approved).
    await instance.db.insert(items).values(
      titles.map((title, i) => ({
        id: uuidv7(),
        iri: `https://riga.example/articles/${i}`,
        url: `https://riga.example/articles/${i}`,
        type: "Article",
        title,
        summary: `${title}: a summary.`,
        language: "lv",
        remoteActorId: actorId,
        published: new Date(Date.UTC(2026, 0, 3 - i)),
      })),
    );
    // An admin exists (until then every page leads to setup); the curator acts.
    await createUser(instance.db, { email: "admin@hub.example", password: "long-password-1", role: "admin" });
    const user = await createUser(instance.db, {
      email: "curator@hub.example",
      password: "long-password-1",
      role: "curator",
    });
    const context = await browser.newContext({ locale: "en-GB" });
    await context.addCookies([
      { name: SESSION_COOKIE, value: await startSession(instance.db, user.id), url: instance.url.origin },
    ]);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await instance?.stop();
  });

  it("approves with j then a, and hides two items selected with x in one bulk action", async () => {
    await page.goto(new URL("/admin/curation", instance.url).href);
    expect(await page.locator("h1").textContent()).toBe(en["curation.title"]);
    await expect(page.locator(".curation-list > li").count()).resolves.toBe(3);
    // j selects the first row (newest first), a presses its Approve button.
    await page.keyboard.press("j");
    await Promise.all([page.waitForURL(/notice=/), page.keyboard.press("a")]);
    expect(await stateOf(titles[0] ?? "")).toBe("approved");
    await expect(page.locator(".curation-list > li").count()).resolves.toBe(2);
    // The two left: j x j x selects both, then the bulk Hide button.
    for (const key of ["j", "x", "j", "x"]) await page.keyboard.press(key);
    await expect(page.locator('input[name="item"]:checked').count()).resolves.toBe(2);
    await Promise.all([
      page.waitForURL(/notice=/),
      page.locator('fieldset.bulk button[value="hide"]').click(),
    ]);
    expect(await stateOf(titles[1] ?? "")).toBe("hidden");
    expect(await stateOf(titles[2] ?? "")).toBe("hidden");
    expect(await page.getByRole("status").textContent()).toContain(en["curation.hide"]);
    await expect(page.locator(".curation-list > li").count()).resolves.toBe(0);
    const audit = await instance.database.sql<{ action: string; actor_label: string }[]>`
      SELECT action, actor_label FROM audit_log ORDER BY id`;
    expect(audit).toEqual([
      { action: "item.approve", actor_label: "curator@hub.example" },
      { action: "item.hide", actor_label: "curator@hub.example" },
      { action: "item.hide", actor_label: "curator@hub.example" },
    ]);
  });

  it("restores from the hidden list without JavaScript, with the row's own button", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const user = await createUser(instance.db, {
      email: "curator2@hub.example",
      password: "long-password-1",
      role: "curator",
    });
    await context.addCookies([
      { name: SESSION_COOKIE, value: await startSession(instance.db, user.id), url: instance.url.origin },
    ]);
    const plain = await context.newPage();
    await plain.goto(new URL("/admin/curation?state=hidden", instance.url).href);
    await plain.getByRole("button", { name: `${en["curation.restore"]}: ${titles[1]}` }).click();
    await plain.waitForURL(/notice=/);
    expect(await stateOf(titles[1] ?? "")).toBe("approved");
    await context.close();
  });
});
