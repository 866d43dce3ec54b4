import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import type { Item } from "../server/domain/items.ts";
import { publishPost } from "../server/services/publishing.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

const YEAR = new Date().getUTCFullYear() + 1;

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: { id: string; url: string; title: string; summary: string; content_html: string; tags?: string[] }[];
}

/** Feeds out (issue 8): RSS 2.0, Atom and JSON Feed per library, read back by independent parsers. */
describe("library feeds", () => {
  let instance: InProcessInstance;
  let library: Account;
  let article: Item;
  let event: Item;
  const parser = new Parser<Record<string, unknown>, Record<string, unknown>>();
  const get = (path: string) => fetch(new URL(path, instance.url));

  beforeAll(async () => {
    instance = await startInProcess();
    library = await createAccount(instance.db, {
      username: "rigas",
      name: "Rīgas Centrālā bibliotēka",
      summary: "Rīgas publisko bibliotēku tīkls.",
    });
    article = await publishPost(instance, library, {
      title: "Jaunas grāmatas & žurnāli",
      summary: "Šomēnes plauktos: dzeja, vēsture & bērnu grāmatas.",
      content: "<p>Nāciet apskatīt!</p>",
      language: "lv",
      tags: ["grāmatas"],
    });
    event = await publishPost(instance, library, {
      type: "event",
      title: "Lasītāju klubs",
      summary: "Sarunas par jaunāko prozu.",
      content: "<p>Visi laipni aicināti.</p>",
      language: "lv",
      event: {
        start: `${YEAR}-02-04T18:00`,
        timeZone: "Europe/Riga",
        placeName: "Brīvības iela 49/53, Rīga",
      },
    });
  });
  afterAll(() => instance?.stop());

  it("serves RSS 2.0 and Atom that parse, newest first, with titles, links, summaries and content", async () => {
    for (const format of ["rss", "atom"] as const) {
      const response = await get(`/users/rigas/feed.${format}`);
      expect(response.headers.get("content-type")).toBe(
        format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8",
      );
      const feed = await parser.parseString(await response.text());
      expect(feed.title, format).toBe("Rīgas Centrālā bibliotēka");
      expect(
        feed.items.map((i) => i.title),
        format,
      ).toEqual(["Lasītāju klubs", "Jaunas grāmatas & žurnāli"]);
      const [first, second] = feed.items;
      expect(first?.link, format).toBe(event.iri);
      expect(second?.link, format).toBe(article.iri);
      // The full HTML (RSS: content:encoded) and the plain-text summary (RSS: description).
      const html = (item: typeof first) => String(item?.["content:encoded"] ?? item?.content ?? "");
      expect(html(second), format).toContain("<p>Nāciet apskatīt!</p>");
      const summary = format === "rss" ? second?.content : second?.summary;
      expect(summary, format).toBe("Šomēnes plauktos: dzeja, vēsture & bērnu grāmatas.");
      // An event says when and where first.
      expect(html(first), format).toContain(`${YEAR}. gada 4. februāris, 18:00 GMT+2 (Europe/Riga)`);
    }
  });

  it("serves JSON Feed with the same items", async () => {
    const response = await get("/users/rigas/feed.json");
    expect(response.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await response.json()) as JsonFeed;
    expect(feed.version).toMatch(/^https:\/\/jsonfeed\.org\/version\/1/);
    expect(feed.home_page_url).toBe(new URL("/users/rigas", instance.url).href);
    expect(feed.feed_url).toBe(new URL("/users/rigas/feed.json", instance.url).href);
    expect(feed.items.map((i) => i.id)).toEqual([event.iri, article.iri]);
    expect(feed.items[1]?.summary).toBe("Šomēnes plauktos: dzeja, vēsture & bērnu grāmatas.");
    expect(feed.items[1]?.content_html).toContain("<p>Nāciet apskatīt!</p>");
    expect(feed.items[1]?.tags).toEqual(["grāmatas"]);
  });

  it("filters by type, and is advertised on the library's pages", async () => {
    const events = await parser.parseString(await (await get("/users/rigas/feed.rss?type=event")).text());
    expect(events.items.map((i) => i.title)).toEqual(["Lasītāju klubs"]);
    expect((await get("/users/rigas/feed.rss?type=podcast")).status).toBe(400);
    expect((await get("/users/nobody/feed.atom")).status).toBe(404);
    const profile = await (await get("/users/rigas")).text();
    const files: [string, string][] = [
      ["application/rss+xml", "feed.rss"],
      ["application/atom+xml", "feed.atom"],
      ["application/feed+json", "feed.json"],
      ["text/calendar", "calendar.ics"],
    ];
    for (const [type, file] of files) {
      const href = new URL(`/users/rigas/${file}`, instance.url).href;
      expect(profile).toContain(
        `<link rel="alternate" type="${type}" title="Rīgas Centrālā bibliotēka" href="${href}"/>`,
      );
    }
    const calendar = await (await get("/users/rigas/calendar")).text();
    expect(calendar).toContain(`href="${new URL("/users/rigas/feed.rss?type=event", instance.url).href}"`);
  });
});
