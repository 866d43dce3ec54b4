import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../web/i18n/en.ts";
import { translator } from "../web/i18n/index.ts";
import { lt } from "../web/i18n/lt.ts";
import { lv } from "../web/i18n/lv.ts";
import { sampleImages } from "./support/images.ts";
import { eventStart, expectAccessible, type Journey, startJourney, waitForItem } from "./support/journey.ts";

const ADMIN = { email: "admin@vilnius.example", password: "a long enough password" };
const ARTICLE = {
  title: "Bookbinding workshop opens at Vilnius City Library",
  summary: "A new bookbinding workshop invites readers to repair and bind their own books.",
  content: "The **bookbinding** workshop is open on weekdays in the reading room.",
  alt: "Hands stitching the spine of a book in the workshop",
};
const EVENT = {
  title: "Bookbinding evening for beginners",
  summary: "Learn to bind a notebook by hand with the library's bookbinding volunteers.",
  content: "Bring nothing: paper, thread and needles are provided.",
  place: "Vilnius City Library, reading room",
};

/** The interface's own wording ("2 results", "Remove filter: Event"), plurals and all. */
const t = translator("en");
const resultCount = (count: number) => t("search.count", { count });

/**
 * Issue 11's journey in Debian Chromium, against a fresh library and a hub on loopback that
 * federate over real HTTP: set-up, an account, an article with an uploaded image (refused without
 * alt text first), the hub following, curating and featuring it, search facets, an event in both
 * calendars and the language switch, with axe-core on every main page.
 */
describe("a library and a hub, end to end in a real browser", { timeout: 90_000 }, () => {
  let journey: Journey;
  /** The library's admin, signed in through the setup page. */
  let admin: Page;
  let articleUrl = "";
  let eventUrl = "";

  beforeAll(async () => {
    journey = await startJourney();
    admin = await (await journey.context()).newPage();
  }, 90_000);

  afterAll(async () => {
    await journey?.stop();
  });

  const libraryPath = (path: string) => new URL(path, journey.library.url).href;
  const hubPath = (path: string) => new URL(path, journey.hub.url).href;

  it("sets up the fresh library in the browser and creates a library account", async () => {
    await admin.goto(journey.library.url.href);
    expect(new URL(admin.url()).pathname).toBe("/setup");
    await expectAccessible(admin);
    await admin.getByLabel(en["form.email"]).fill(ADMIN.email);
    await admin.getByLabel(en["form.password"]).fill(ADMIN.password);
    await admin.getByRole("button", { name: en["setup.title"] }).click();
    await admin.waitForURL("**/admin");
    expect(await admin.locator("h1").textContent()).toBe(en["admin.title"]);
    await expectAccessible(admin);

    await admin.getByLabel(en["field.username"]).fill("vilnius");
    await admin.getByLabel(en["field.name"], { exact: true }).fill("Vilnius City Library");
    await admin.getByLabel(en["field.country"]).fill("LT");
    await admin.getByLabel(en["field.city"]).fill("Vilnius");
    await admin.getByRole("button", { name: en["form.create"] }).click();
    await admin.waitForURL("**/admin/accounts/vilnius");
    expect(await admin.locator("h1").textContent()).toBe("Vilnius City Library");
    await expectAccessible(admin);
  });

  it("refuses an uploaded image without alt text next to its field, keeping what was typed, then publishes it with alt text", async () => {
    const photo = (await sampleImages())["photo.jpg"];
    if (!photo) throw new Error("no sample photo");
    const file = { name: "workshop.jpg", mimeType: photo.type, buffer: photo.body };
    await admin.getByRole("link", { name: en["admin.newPost"] }).click();
    await admin.waitForURL("**/admin/accounts/vilnius/posts/new");
    await expectAccessible(admin);
    await admin.getByLabel(en["field.title"], { exact: true }).fill(ARTICLE.title);
    await admin.getByLabel(en["field.summary"], { exact: true }).fill(ARTICLE.summary);
    await admin.getByLabel(en["field.content"], { exact: true }).fill(ARTICLE.content);
    await admin.getByRole("combobox", { name: en["field.language"] }).selectOption("en");
    await admin.getByLabel(en["media.lead"]).setInputFiles(file);
    const save = admin.getByRole("button", { name: en["form.submit"], exact: true });
    const [refused] = await Promise.all([
      // The form's own submission, not a script's request (the editor's live preview posts too).
      admin.waitForResponse((r) => r.request().method() === "POST" && r.request().isNavigationRequest()),
      save.click(),
    ]);
    expect(refused.status()).toBe(400);

    // The alt field is marked invalid and described by the error shown right after it, an alert.
    const alt = admin.getByLabel(en["field.imageAlt"], { exact: true });
    await alt.waitFor();
    expect(await alt.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await alt.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    const error = admin.locator(`[id="${describedBy}"]`);
    expect(await error.getAttribute("role")).toBe("alert");
    // Worded for the reader (web/i18n), without the field's internal name.
    expect(await error.textContent()).toBe(en["validation.alt-missing"]);
    const nextToField = `document.getElementById(${JSON.stringify(describedBy)}).previousElementSibling.contains(document.querySelector('input[name="imageAlt"]'))`;
    expect(await admin.evaluate(nextToField)).toBe(true);
    // What was typed is all still there.
    expect(await admin.getByLabel(en["field.title"], { exact: true }).inputValue()).toBe(ARTICLE.title);
    // (By name: a filled textarea's text becomes part of its label's.)
    expect(await admin.locator('textarea[name="summary"]').inputValue()).toBe(ARTICLE.summary);
    expect(await admin.locator('textarea[name="content"]').inputValue()).toBe(ARTICLE.content);
    await expectAccessible(admin);

    // A browser cannot keep a chosen file across a page: the file again, now with its description.
    await admin.getByLabel(en["media.lead"]).setInputFiles(file);
    await alt.fill(ARTICLE.alt);
    await save.click();
    await admin.waitForURL(/\/users\/vilnius\/articles\/[0-9a-f-]{36}$/);
    articleUrl = admin.url();

    // A visitor finds it on the library's public page and opens it: title and described image.
    const visitor = await (await journey.context()).newPage();
    await visitor.goto(libraryPath("/users/vilnius"));
    await expectAccessible(visitor);
    await visitor.getByRole("link", { name: ARTICLE.title }).first().click();
    await visitor.waitForURL(articleUrl);
    expect(await visitor.locator("h1").textContent()).toBe(ARTICLE.title);
    const image = visitor.getByRole("img", { name: ARTICLE.alt });
    expect(await image.count()).toBe(1);
    const served = await visitor.request.get(
      new URL((await image.getAttribute("src")) ?? "", articleUrl).href,
    );
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toMatch(/^image\//);
    await expectAccessible(visitor);
    await visitor.goto(journey.library.url.href);
    expect(await visitor.getByRole("link", { name: ARTICLE.title }).count()).toBeGreaterThan(0);
    await expectAccessible(visitor);
  });

  it("lets the hub follow the library, and a curator approve and feature the article into the shared feed", async () => {
    const curator = await (await journey.context({ signedInOn: journey.hub })).newPage();
    await curator.goto(hubPath("/admin/hub/sources"));
    expect(await curator.locator("h1").textContent()).toBe(en["hub.title"]);
    await expectAccessible(curator);
    const follow = curator.locator('form[action="/admin/hub/sources"]');
    await follow.getByLabel(en["hub.add"]).fill(libraryPath("/users/vilnius"));
    await follow.getByRole("button", { name: en["hub.follow"] }).click();
    await curator.waitForURL(/notice=/);
    // The library accepts; the hub backfills what it published before.
    await waitForItem(journey.hub.database, articleUrl);
    await curator.reload();
    await expectAccessible(curator);

    await curator.goto(hubPath("/admin/curation"));
    await expectAccessible(curator);
    await curator.getByRole("button", { name: `${en["curation.approve"]}: ${ARTICLE.title}` }).click();
    await curator.waitForURL(/notice=/);
    await curator.goto(hubPath("/admin/curation?state=approved"));
    await curator.getByRole("button", { name: `${en["curation.feature"]}: ${ARTICLE.title}` }).click();
    await curator.waitForURL(/notice=/);
    await curator.goto(hubPath("/admin/curation?state=featured"));
    await curator.getByRole("button", { name: `${en["curation.unfeature"]}: ${ARTICLE.title}` }).waitFor();
    await expectAccessible(curator);

    const visitor = await (await journey.context()).newPage();
    await visitor.goto(hubPath("/shared"));
    expect(await visitor.locator("h1").textContent()).toBe(en["shared.title"]);
    const entry = visitor.locator("article").filter({ hasText: ARTICLE.title });
    expect(await entry.count()).toBe(1);
    expect(await entry.getByText(en["shared.featured"], { exact: true }).count()).toBe(1);
    // It leads to the library's own page of the article.
    expect(await entry.getByRole("link", { name: ARTICLE.title }).getAttribute("href")).toBe(articleUrl);
    await expectAccessible(visitor);
  });

  it("shows an event published on the library in the library's calendar and, once received, in the hub's", async () => {
    const start = eventStart();
    await admin.goto(libraryPath("/admin/accounts/vilnius"));
    await admin.getByRole("link", { name: en["admin.newEvent"] }).click();
    await admin.waitForURL("**/admin/accounts/vilnius/events/new");
    await expectAccessible(admin);
    await admin.getByLabel(en["field.title"], { exact: true }).fill(EVENT.title);
    await admin.getByLabel(en["field.summary"], { exact: true }).fill(EVENT.summary);
    await admin.getByLabel(en["field.start"]).fill(start.local);
    await admin.getByLabel(en["field.place"]).fill(EVENT.place);
    await admin.getByLabel(en["field.content"], { exact: true }).fill(EVENT.content);
    await admin.getByRole("combobox", { name: en["field.language"] }).selectOption("en");
    await admin.getByRole("button", { name: en["form.submit"], exact: true }).click();
    await admin.waitForURL(/\/users\/vilnius\/[a-z]+\/[0-9a-f-]{36}$/);
    eventUrl = admin.url();
    expect(await admin.locator("h1").textContent()).toBe(EVENT.title);

    const calendarLink = async (page: Page) => {
      const day = page.getByRole("table").getByRole("cell").filter({ hasText: EVENT.title });
      expect(await day.count()).toBe(1);
      expect(await day.locator(".day").textContent()).toBe(String(start.day));
      return day.getByRole("link", { name: EVENT.title });
    };
    const visitor = await (await journey.context()).newPage();
    await visitor.goto(libraryPath(`/users/vilnius/calendar?month=${start.month}`));
    expect(new URL((await (await calendarLink(visitor)).getAttribute("href")) ?? "", eventUrl).href).toBe(
      eventUrl,
    );
    await expectAccessible(visitor);

    // Delivered to the hub as a Create; its account's calendar is the shared one.
    await waitForItem(journey.hub.database, eventUrl);
    const hubVisitor = await (await journey.context()).newPage();
    await hubVisitor.goto(hubPath(`/users/hub/calendar?month=${start.month}`));
    const onHub = await calendarLink(hubVisitor);
    await expectAccessible(hubVisitor);
    // The hub does not have the event's page: its link leads to the library's.
    await onHub.click();
    await hubVisitor.waitForURL(eventUrl);
    expect(await hubVisitor.locator("h1").textContent()).toBe(EVENT.title);
  });

  it("narrows the hub's search with a facet link, with the facets' counts shown", async () => {
    const page = await (await journey.context()).newPage();
    await page.goto(hubPath("/search"));
    await expectAccessible(page);
    await page.getByLabel(en["search.label"]).fill("bookbinding");
    await page.getByRole("button", { name: en["search.submit"] }).click();
    const status = page.getByRole("status");
    await status.filter({ hasText: resultCount(2) }).waitFor();
    const results = page.locator(".results article");
    expect(await results.count()).toBe(2);
    const facets = page.getByRole("navigation", { name: en["search.filters"] });
    const typeFacet = facets
      .locator("section")
      .filter({ has: page.getByRole("heading", { name: en["search.facet.type"], exact: true }) })
      .locator("li");
    for (const kind of [en["search.kind.news"], en["search.kind.event"]]) {
      expect(await typeFacet.filter({ hasText: kind }).textContent()).toMatch(/\(1\)/);
    }
    await expectAccessible(page);

    await facets.getByRole("link", { name: en["search.kind.event"], exact: true }).click();
    await status.filter({ hasText: resultCount(1) }).waitFor();
    expect(await results.count()).toBe(1);
    expect(await results.getByRole("link", { name: EVENT.title }).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("type")).toBe("event");
    // The chosen value now removes the filter again.
    const remove = t("search.remove", { value: en["search.kind.event"] });
    expect(await facets.getByRole("link", { name: remove }).getAttribute("aria-current")).toBe("true");
    await expectAccessible(page);
  });

  it("switches the interface to Lithuanian and then to Latvian", async () => {
    const page = await (await journey.context()).newPage();
    await page.goto(hubPath("/shared"));
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    let current: Record<keyof typeof en, string> = en;
    for (const [name, lang, messages] of [
      ["Lietuvių", "lt", lt],
      ["Latviešu", "lv", lv],
    ] as const) {
      // The switch is named in the language the page is in.
      const languages = page.getByRole("navigation", { name: current["nav.language"] });
      await languages.getByRole("link", { name, exact: true }).click();
      await page.waitForURL(`**/shared?lang=${lang}`);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.locator("h1").textContent()).toBe(messages["shared.title"]);
      expect(await page.getByRole("navigation", { name: messages["nav.language"] }).count()).toBe(1);
      expect(await page.getByRole("link", { name: messages["nav.search"], exact: true }).count()).toBe(1);
      expect(await page.locator("article").filter({ hasText: ARTICLE.title }).count()).toBe(1);
      await expectAccessible(page);
      current = messages;
    }
  });
});
