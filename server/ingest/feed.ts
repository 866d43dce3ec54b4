import Parser from "rss-parser";
import { ValidationError } from "../domain/errors.ts";
import { type FetchOptions, fetchForImport } from "./page-import.ts";
import { htmlToText, sanitizeHtml } from "./sanitize.ts";
import { httpUrlOrNull } from "./urls.ts";

/** Feeds of a few hundred entries with full text stay well under this. */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
/** Entries read from one feed; a longer one is cut (the newest come first). */
export const MAX_FEED_ENTRIES = 1000;

/** One entry of an RSS or Atom feed, reduced to what an import needs. */
export interface FeedEntry {
  /** The dedup key: guid (RSS) or id (Atom), else the link. */
  key: string;
  link: string | null;
  title: string;
  /** Sanitized HTML of the fullest body the entry carries (content:encoded, Atom content, description). */
  content: string;
  /** Plain text of its summary or description. */
  excerpt: string;
  published: Date | null;
  author: string | null;
  categories: string[];
  /** An image enclosure (http(s)). */
  image: string | null;
}

export interface ParsedFeed {
  title: string;
  language: string | null;
  entries: FeedEntry[];
}

export type FeedFetch =
  | { notModified: true }
  | { notModified: false; feed: ParsedFeed; etag: string | null; lastModified: string | null };

type RawItem = Parser.Item & {
  id?: string;
  "content:encoded"?: string;
  creator?: string;
  author?: string;
  language?: string;
};

// rss-parser's default maps `content:encoded` too; named here so the type says so.
const parser = new Parser<{ language?: string }, RawItem>({
  customFields: { item: ["content:encoded"] },
});

function text(value: unknown): string {
  if (typeof value === "string") return value;
  // xml2js gives an element with attributes as { _: text, $: attributes }.
  if (value && typeof value === "object" && "_" in value) return String((value as { _: unknown })._ ?? "");
  return "";
}

function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An entry's link, relative ones resolved against the feed's URL; only http(s). */
function linkOf(value: unknown, base: string): string | null {
  const raw = text(value).trim();
  if (!raw) return null;
  try {
    return httpUrlOrNull(new URL(raw, base).href);
  } catch {
    return null;
  }
}

function entryOf(item: RawItem, base: string): FeedEntry | null {
  const link = linkOf(item.link, base);
  const key = text(item.guid).trim() || text(item.id).trim() || link;
  if (!key) return null; // nothing to tell it apart by: it could never be de-duplicated
  const full = text(item["content:encoded"]) || text(item.content);
  const excerptHtml = text(item.summary) || text(item.content);
  const image =
    item.enclosure?.type?.startsWith("image/") === true ? httpUrlOrNull(item.enclosure.url) : null;
  return {
    key: key.slice(0, 2000),
    link,
    title: htmlToText(text(item.title)),
    content: sanitizeHtml(full),
    excerpt: htmlToText(excerptHtml),
    published: dateOf(item.isoDate ?? item.pubDate),
    author: htmlToText(text(item.creator) || text(item.author)) || null,
    categories: (item.categories ?? []).map(text).filter(Boolean),
    image,
  };
}

/** Parses an RSS 1/2 or Atom document; a malformed one is a ValidationError naming `field`. */
export async function parseFeed(xml: string, url: string, field = "feed"): Promise<ParsedFeed> {
  let output: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    output = await parser.parseString(xml);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new ValidationError(field, `${url} is not a valid RSS or Atom feed (${reason})`);
  }
  // RSS says <language>; Atom says xml:lang on its root, which rss-parser does not report.
  const stated =
    text(output.language) || (/<feed\b[^>]*\bxml:lang="([^"]*)"/.exec(xml.slice(0, 4096))?.[1] ?? "");
  const language = stated.trim().split(/[-_]/)[0]?.toLowerCase();
  return {
    title: htmlToText(text(output.title)),
    language: language && /^[a-z]{2,3}$/.test(language) ? language : null,
    entries: output.items
      .slice(0, MAX_FEED_ENTRIES)
      .map((item) => entryOf(item, url))
      .filter((entry): entry is FeedEntry => entry !== null),
  };
}

/**
 * Fetches a feed through the SSRF-safe fetcher, conditionally when an ETag or Last-Modified is
 * known, and parses it. Errors name `field` and the problem.
 */
export async function fetchFeed(
  url: string,
  options: FetchOptions,
  known: { etag?: string | null; lastModified?: string | null } = {},
  field = "feed",
): Promise<FeedFetch> {
  const headers: Record<string, string> = {};
  if (known.etag) headers["if-none-match"] = known.etag;
  if (known.lastModified) headers["if-modified-since"] = known.lastModified;
  const response = await fetchForImport(field, url, {
    ...options,
    accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    maxBytes: MAX_FEED_BYTES,
    headers,
  });
  if (response.status === 304) return { notModified: true };
  return {
    notModified: false,
    feed: await parseFeed(response.text(), response.url, field),
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
}
