import { type Context, Hono } from "hono";
import { SharedFeedPage, type SharedFeedQuery } from "../../../web/pages/shared-feed.tsx";
import { type CurationPage, listCurated, sharedFeedFacets } from "../../domain/curation.ts";
import { ValidationError } from "../../domain/errors.ts";
import type { SearchHit } from "../../search/results.ts";
import type { AppEnv } from "../env.ts";
import { FEED_TYPES, type FeedFormat } from "../feeds.ts";
import { render } from "../render.tsx";
import { searchFeed } from "../search-feed.ts";

/** /shared: the hub's public shared feed (approved items of consenting sources) and its feeds. */
export const sharedFeedRoutes = new Hono<AppEnv>();

const PAGE_SIZE = 30;

/** The filters from the query string; a malformed one is a 400 naming it. */
function readQuery(c: Context<AppEnv>): SharedFeedQuery & { cursor?: string } {
  const value = (name: string) => c.req.query(name)?.trim() || undefined;
  const source = value("source");
  if (source && !/^[0-9a-f-]{36}$/i.test(source))
    throw new ValidationError("source", "is not a library of this hub");
  const country = value("country")?.toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country))
    throw new ValidationError("country", "use a two-letter code (LT, LV…)");
  const language = value("language")?.toLowerCase();
  if (language && !/^[a-z]{2,8}$/.test(language))
    throw new ValidationError("language", "use a language code (lt, lv, en…)");
  const featured = value("featured");
  return {
    source,
    country,
    language,
    featured: featured === "1" || featured === "true",
    cursor: value("cursor"),
  };
}

function queryString(query: SharedFeedQuery & { cursor?: string }): string {
  const params = new URLSearchParams();
  if (query.source) params.set("source", query.source);
  if (query.country) params.set("country", query.country);
  if (query.language) params.set("language", query.language);
  if (query.featured) params.set("featured", "1");
  if (query.cursor) params.set("cursor", query.cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function load(c: Context<AppEnv>, query: SharedFeedQuery & { cursor?: string }): Promise<CurationPage> {
  return listCurated(c.get("deps").db, {
    state: "approved",
    consenting: true,
    sourceId: query.source,
    country: query.country,
    language: query.language,
    featured: query.featured,
    cursor: query.cursor,
    limit: PAGE_SIZE,
  });
}

function feedLinks(origin: URL, query: SharedFeedQuery) {
  const filters = queryString(query);
  const at = (format: FeedFormat) => new URL(`/shared/feed.${format}${filters}`, origin).href;
  return { rss: at("rss"), atom: at("atom"), json: at("json") };
}

sharedFeedRoutes.get("/shared", async (c) => {
  const t = c.get("t");
  const { db, config } = c.get("deps");
  const query = readQuery(c);
  const [page, facets] = await Promise.all([load(c, query), sharedFeedFacets(db)]);
  const feeds = feedLinks(config.publicUrl, query);
  return render(
    c,
    { title: t("shared.title"), feeds: { title: t("shared.title"), ...feeds } },
    <SharedFeedPage
      entries={page.entries}
      facets={facets}
      query={query}
      nextHref={page.next ? `/shared${queryString({ ...query, cursor: page.next })}` : null}
      feeds={feeds}
      t={t}
      locale={c.get("locale")}
    />,
  );
});

const FORMATS: Record<string, FeedFormat> = { "feed.rss": "rss", "feed.atom": "atom", "feed.json": "json" };

sharedFeedRoutes.get("/shared/:file{feed\\.(rss|atom|json)}", async (c) => {
  const format = FORMATS[c.req.param("file")];
  if (!format) return c.notFound();
  const { config } = c.get("deps");
  const query = readQuery(c);
  const page = await load(c, { ...query, cursor: undefined });
  // The search feed's writer: each entry credits its library and links the original.
  const hits: SearchHit[] = page.entries.map(({ item, source }) => ({
    item,
    author: { id: source.id, name: source.name, handle: source.handle, url: source.url ?? source.iri },
    country: source.country,
    kind: "",
    languages: item.language ? [item.language] : [],
    snippet: "",
  }));
  const pageUrl = new URL(`/shared${queryString(query)}`, config.publicUrl).href;
  const body = searchFeed(
    { hits },
    { title: c.get("t")("shared.title"), pageUrl, links: feedLinks(config.publicUrl, query), format },
  );
  return c.body(body, 200, { "Content-Type": FEED_TYPES[format], "Cache-Control": "public, max-age=60" });
});
