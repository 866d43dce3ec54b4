import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import type { Item } from "../server/domain/items.ts";
import { createUser } from "../server/domain/users.ts";
import { publishPost } from "../server/services/publishing.ts";
import { en } from "../web/i18n/en.ts";
import { lt } from "../web/i18n/lt.ts";
import { lv } from "../web/i18n/lv.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";
import { firstText, metaContent, WebClient } from "./support/web-client.ts";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const AS_TYPES = [
  "application/activity+json",
  'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
];

/** Article metadata, HTML vs ActivityStreams by Accept, and the page language. */
describe("content and language negotiation", () => {
  let instance: InProcessInstance;
  let account: Account;
  let item: Item;
  let client: WebClient;

  beforeAll(async () => {
    instance = await startInProcess();
    await createUser(instance.db, {
      email: "admin@library.example",
      password: "0123456789ab",
      role: "admin",
    });
    account = await createAccount(instance.db, {
      username: "riga",
      name: "Riga Central Library",
      summary: "Public library of Riga.",
      country: "LV",
    });
    item = await publishPost(
      {
        db: instance.db,
        config: instance.config,
        federation: instance.federation,
        storage: instance.storage,
      },
      account,
      {
        title: "BIBLIO: digital skills for 40 librarians",
        summary: "More than 40 librarians from 28 Latvian libraries started blended training.",
        content: "The specialisation course includes **240 hours** of blended training.",
        format: "markdown",
        language: "en",
        tags: ["BIBLIO", "digital_skills"],
      },
    );
    client = new WebClient(instance.url);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("gives the article page OpenGraph tags and an ActivityPub alternate link", async () => {
    const { status, html } = await client.page(new URL(item.iri).pathname, { Accept: BROWSER_ACCEPT });
    expect(status).toBe(200);
    expect(metaContent(html, "og:title")).toBe(item.title);
    expect(metaContent(html, "og:description")).toBe(item.summary);
    expect(metaContent(html, "og:url")).toBe(item.iri);
    expect(metaContent(html, "og:type")).toBe("article");
    expect(html).toContain(`<link rel="alternate" type="application/activity+json" href="${item.iri}"`);
    expect(html).toContain("<strong>240 hours</strong>");
  });

  it("serves the actor URL as HTML to browsers and as ActivityStreams JSON to fediverse clients", async () => {
    const actorUrl = new URL("/users/riga", instance.url).href;
    for (const accept of ["text/html", BROWSER_ACCEPT]) {
      const response = await client.get(actorUrl, { Accept: accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get("content-type"), accept).toMatch(/^text\/html/);
      expect(firstText(await response.text(), "h1")).toBe("Riga Central Library");
    }
    for (const accept of AS_TYPES) {
      const response = await client.get(actorUrl, { Accept: accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get("content-type"), accept).toMatch(/^application\/(activity|ld)\+json/);
      const actor = (await response.json()) as Record<string, unknown>;
      expect(actor, accept).toMatchObject({
        id: actorUrl,
        type: "Organization",
        preferredUsername: "riga",
        name: "Riga Central Library",
      });
      expect(actor.inbox, accept).toBe(`${actorUrl}/inbox`);
    }
  });

  it("serves the article URL as HTML to browsers and as ActivityStreams JSON to fediverse clients", async () => {
    const html = await client.get(item.iri, { Accept: "text/html" });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(firstText(await html.text(), "h1")).toBe(item.title);
    for (const accept of AS_TYPES) {
      const response = await client.get(item.iri, { Accept: accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get("content-type"), accept).toMatch(/^application\/(activity|ld)\+json/);
      const article = (await response.json()) as Record<string, unknown>;
      expect(article, accept).toMatchObject({
        id: item.iri,
        type: "Article",
        name: item.title,
        attributedTo: new URL("/users/riga", instance.url).href,
      });
      expect(String(article.content), accept).toContain("<strong>240 hours</strong>");
    }
  });

  it("answers Accept-Language: lt with a Lithuanian page", async () => {
    for (const header of ["lt", "lt-LT,lt;q=0.9,en-US;q=0.8,en;q=0.7", "de;q=0.9, lt;q=0.8"]) {
      const { html } = await client.page("/", { "Accept-Language": header });
      expect(html, header).toContain('<html lang="lt">');
      expect(firstText(html, "h1"), header).toBe(lt["site.title"]);
      expect(html, header).toContain(lt["home.latest"]);
      expect(html, header).not.toContain(en["home.latest"]);
    }
    const fallback = await client.page("/", { "Accept-Language": "fr, de;q=0.5" });
    expect(fallback.html).toContain('<html lang="en">');
  });

  it("switches to Latvian with ?lang=lv and remembers the choice in a cookie", async () => {
    const visitor = new WebClient(instance.url, { "Accept-Language": "lt" });
    const chosen = await visitor.page("/users/riga?lang=lv");
    expect(chosen.html).toContain('<html lang="lv">');
    expect(chosen.html).toContain(lv["nav.home"]);
    expect(visitor.cookies.get("lang")).toBe("lv");
    // The cookie outranks the browser's Accept-Language on the next page.
    const next = await visitor.page("/received");
    expect(next.html).toContain('<html lang="lv">');
    expect(firstText(next.html, "h1")).toBe(lv["received.title"]);
    // An unknown language is ignored, not stored.
    const unknown = new WebClient(instance.url);
    const page = await unknown.page("/?lang=xx");
    expect(page.html).toContain('<html lang="en">');
    expect(unknown.cookies.has("lang")).toBe(false);
  });
});
// The catalogs' keys and placeholders are checked by i18n.test.ts.
