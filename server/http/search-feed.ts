import { Feed } from "feed";
import type { SearchResult } from "../search/search.ts";
import type { FeedFormat } from "./feeds.ts";

/**
 * A search as a feed (a saved search): its first page, newest first when asked so (the feed
 * links ask for sort=date). Each entry credits the library it comes from and links the original.
 */
export function searchFeed(
  result: Pick<SearchResult, "hits">,
  options: { title: string; pageUrl: string; links: Record<FeedFormat, string>; format: FeedFormat },
): string {
  const newest = result.hits.reduce<Date | undefined>((latest, { item }) => {
    const when = item.updated ?? item.published;
    return !latest || when > latest ? when : latest;
  }, undefined);
  const feed = new Feed({
    title: options.title,
    id: options.pageUrl,
    link: options.pageUrl,
    copyright: "",
    updated: newest,
    generator: "Baltic library network",
    feedLinks: options.links,
  });
  for (const { item, author, snippet } of result.hits) {
    feed.addItem({
      title: item.title || item.summary.slice(0, 80),
      id: item.iri,
      link: item.url ?? item.iri,
      description: item.summary,
      // Sanitized when stored; the snippet is escaped text with <mark>s.
      content: item.content || `<p>${snippet}</p>`,
      date: item.updated ?? item.published,
      published: item.published,
      category: item.tags.map((name) => ({ name })),
      author: [{ name: author.name || author.handle, link: author.url ?? undefined }],
    });
  }
  if (options.format === "rss") return feed.rss2();
  if (options.format === "atom") return feed.atom1();
  return feed.json1();
}
