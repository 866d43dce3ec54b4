import { Feed } from "feed";
import type { Account } from "../domain/accounts.ts";
import type { Item } from "../domain/items.ts";
import { escapeHtml } from "./escape.ts";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

/** The feeds of a library, for `<link rel="alternate">` and the pages that list them. */
export function feedLinks(origin: URL, username: string, kind?: string) {
  const query = kind ? `?type=${kind}` : "";
  const at = (format: FeedFormat) => new URL(`/users/${username}/feed.${format}${query}`, origin).href;
  return { rss: at("rss"), atom: at("atom"), json: at("json") };
}

/**
 * A library's latest items as RSS 2.0, Atom 1.0 or JSON Feed 1.1, for feed readers and for sites
 * that embed the library's news. Content is the sanitized HTML we store; an event's item says
 * when and where first (its summary), as it does in Mastodon.
 */
export function libraryFeed(
  account: Account,
  items: Item[],
  origin: URL,
  format: FeedFormat,
  kind?: string,
): string {
  const profile = new URL(`/users/${account.username}`, origin).href;
  const links = feedLinks(origin, account.username, kind);
  const feed = new Feed({
    title: account.name,
    description: account.summary || undefined,
    id: profile,
    link: profile,
    language: items[0]?.language ?? undefined,
    image: account.iconUrl ?? undefined,
    favicon: account.iconUrl ?? undefined,
    copyright: account.name,
    updated: items[0] ? (items[0].updated ?? items[0].published) : undefined,
    generator: "Baltic library network",
    feedLinks: links,
    author: { name: account.name, link: profile },
  });
  for (const item of items) {
    const url = item.url ?? item.iri;
    const image = item.attachments.find((a) => a.mediaType?.startsWith("image/"));
    feed.addItem({
      title: item.title,
      id: item.iri,
      link: url,
      description: item.summary,
      content:
        item.details?.kind === "event" ? `<p>${escapeHtml(item.summary)}</p>${item.content}` : item.content,
      date: item.updated ?? item.published,
      published: item.published,
      category: item.tags.map((name) => ({ name })),
      image: image ? { url: image.url, type: image.mediaType } : undefined,
      author: [{ name: account.name, link: profile }],
    });
  }
  if (format === "rss") return feed.rss2();
  if (format === "atom") return feed.atom1();
  return feed.json1();
}
