import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedSources } from "../server/db/schema/index.ts";
import { type Account, createAccount } from "../server/domain/accounts.ts";
import { listDrafts } from "../server/domain/drafts.ts";
import { addFeedSource, listFeedSources } from "../server/domain/feed-sources.ts";
import { fetchFeed } from "../server/ingest/feed.ts";
import { importFeedOnce, pollDueFeeds } from "../server/services/feed-poller.ts";
import { type ImportSite, rssFeed, startImportSite } from "./support/import-site.ts";
import { type InProcessInstance, startInProcess } from "./support/instance.ts";

/** Import from RSS/Atom feeds (issue 8): full and excerpt-only entries, de-duplication, the poller. */
describe("import from RSS and Atom feeds", () => {
  let instance: InProcessInstance;
  let site: ImportSite;
  let kaunas: Account;
  let riga: Account;

  const items = (accountId: string) =>
    instance.db.query.items.findMany({ where: (t, { eq }) => eq(t.accountId, accountId) });

  beforeAll(async () => {
    [instance, site] = await Promise.all([startInProcess(), startImportSite()]);
    kaunas = await createAccount(instance.db, {
      username: "kaunas",
      name: "Kauno apskrities viešoji biblioteka",
    });
    riga = await createAccount(instance.db, { username: "lnb", name: "Latvijas Nacionālā bibliotēka" });
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), site?.close()]);
  });

  it("makes drafts of an RSS feed: full entries from the feed, excerpt-only ones from their page", async () => {
    const summary = await importFeedOnce(instance, kaunas, site.url("/feed.rss"), { mode: "draft" });
    expect(summary).toEqual({ total: 2, imported: 2, skipped: 0, failed: [] });
    // Oldest first, so the newest is the last made (listDrafts shows it first).
    const [excerptOnly, full] = await listDrafts(instance.db, kaunas.id);
    expect(full?.importKey).toBe("kaunas-news-vasaros-skaitymo-issukis");
    expect(full?.input).toMatchObject({
      title: "Prasideda vasaros skaitymo iššūkis",
      summary: "Trumpai: biblioteka kviečia į naują renginį.",
      language: "lt",
      tags: ["SkaitymoSkatinimas"],
      format: "html",
    });
    expect(full?.input.content).toContain("Iššūkis vyksta jau penktus metus.");
    expect(full?.input.content).not.toContain("<script");
    expect(full?.sourcePublished?.toISOString()).toBe("2026-06-01T09:00:00.000Z");
    // The full entry's page was never fetched; the excerpt-only entry's page was, once.
    expect(site.hits.get("/naujienos/vasaros-skaitymo-issukis")).toBeUndefined();
    expect(site.hits.get("/naujienos/bibliotekos-naktis")).toBe(1);
    expect(excerptOnly?.input.title).toBe("Bibliotekų naktis 2026");
    expect(excerptOnly?.input.content).toContain("Registruotis galima bet kuriame bibliotekos padalinyje");
    expect(excerptOnly?.input.content).not.toContain("Apie mus");
    expect(excerptOnly?.sourceUrl).toBe(site.url("/naujienos/bibliotekos-naktis"));
  });

  it("skips entries imported before, even once their drafts are gone", async () => {
    await instance.database.sql`DELETE FROM drafts`;
    const again = await importFeedOnce(instance, kaunas, site.url("/feed.rss"), { mode: "draft" });
    expect(again).toEqual({ total: 2, imported: 0, skipped: 2, failed: [] });
    expect(await listDrafts(instance.db, kaunas.id)).toEqual([]);
  });

  it("publishes an Atom feed's entries with publish mode, in the feed's language", async () => {
    const summary = await importFeedOnce(instance, riga, site.url("/lv/feed.atom"), { mode: "publish" });
    expect(summary).toMatchObject({ imported: 1, failed: [] });
    const [post] = await items(riga.id);
    expect(post).toMatchObject({
      title: "Seminārs par digitālajām prasmēm",
      language: "lv",
      type: "Article",
    });
    expect(post?.content).toContain("Gaismas pilī");
    // It keeps the date the library's website gave it, so a backfill does not look like news.
    expect(post?.published.toISOString()).toBe("2026-06-02T10:00:00.000Z");
    expect(await listDrafts(instance.db, riga.id)).toEqual([]);
  });

  it("says clearly why a feed cannot be read", async () => {
    await expect(fetchFeed(site.url("/broken.xml"), instance.config)).rejects.toThrow(
      /^feed: http.*\/broken\.xml is not a valid RSS or Atom feed \(Unclosed root tag\)$/,
    );
    await expect(fetchFeed(site.url("/naujienos"), instance.config)).rejects.toThrow(
      /^feed: .* is not a valid RSS or Atom feed \(Feed not recognized as RSS 1 or 2\.\)$/,
    );
    await expect(fetchFeed(site.url("/nera.rss"), instance.config)).rejects.toThrow(
      /^feed: .* answered 404 Not Found$/,
    );
    const strict = { ...instance.config, allowPrivateAddress: false };
    await expect(fetchFeed(site.url("/feed.rss"), strict)).rejects.toThrow(
      /refusing private address 127\.0\.0\.1/,
    );
  });

  it("reports a failed entry with its reason and keeps going", async () => {
    site.pages.set("/partial.rss", {
      type: "application/rss+xml",
      body: rssFeed(site.url(""), [
        { slug: "dingo", title: "Puslapis dingo", full: false },
        { slug: "vasaros-skaitymo-issukis", title: "Prasideda vasaros skaitymo iššūkis", full: true },
      ]).replaceAll("kaunas-news-", "partial-"),
    });
    const summary = await importFeedOnce(instance, riga, site.url("/partial.rss"), { mode: "draft" });
    expect(summary.imported).toBe(1);
    expect(summary.failed).toEqual([
      {
        entry: site.url("/naujienos/dingo"),
        reason: expect.stringMatching(/^entry link: .* answered 404 Not Found$/),
      },
    ]);
  });

  it("polls attached feeds: the first poll makes drafts, later entries follow the feed's mode", async () => {
    const account = await createAccount(instance.db, { username: "siauliai", name: "Šiaulių biblioteka" });
    const entries = [
      { slug: "vasaros-skaitymo-issukis", title: "Prasideda vasaros skaitymo iššūkis", full: true },
    ];
    const feed = () => ({
      type: "application/rss+xml",
      body: rssFeed(site.url(""), entries).replaceAll("kaunas-news-", "s-"),
    });
    site.pages.set("/siauliai.rss", feed());
    const source = await addFeedSource(instance.db, account.id, {
      url: site.url("/siauliai.rss"),
      mode: "publish",
    });
    await expect(addFeedSource(instance.db, account.id, { url: site.url("/siauliai.rss") })).rejects.toThrow(
      "is already attached",
    );
    const due = () =>
      instance.db
        .update(feedSources)
        .set({ nextFetchAt: new Date(0) })
        .where(eq(feedSources.id, source.id));
    await due();
    expect(await pollDueFeeds(instance)).toBe(1);
    expect(await pollDueFeeds(instance)).toBe(0); // claimed: not due again for an interval
    expect(await listDrafts(instance.db, account.id)).toHaveLength(1);
    expect(await items(account.id)).toEqual([]);
    const [polled] = await listFeedSources(instance.db, account.id);
    expect(polled).toMatchObject({ lastError: null, etag: expect.any(String) });
    expect(polled?.lastFetchedAt).toBeInstanceOf(Date);

    // Unchanged: the ETag gets a 304 and nothing happens.
    await due();
    await pollDueFeeds(instance);
    expect(await listDrafts(instance.db, account.id)).toHaveLength(1);

    entries.push({ slug: "bibliotekos-naktis", title: "Bibliotekų naktis 2026", full: false });
    site.pages.set("/siauliai.rss", feed());
    await due();
    await pollDueFeeds(instance);
    const published = await items(account.id);
    expect(published.map((i) => i.title)).toEqual(["Bibliotekų naktis 2026"]);

    // A feed that breaks shows its error on the feed; the next good poll clears it.
    site.pages.set("/siauliai.rss", { type: "application/rss+xml", body: "<rss><channel>" });
    await due();
    await pollDueFeeds(instance);
    const [broken] = await listFeedSources(instance.db, account.id);
    expect(broken?.lastError).toMatch(/^feed: .* is not a valid RSS or Atom feed/);
  });
});
