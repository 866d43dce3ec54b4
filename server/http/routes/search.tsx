import type { Context } from "hono";
import { Hono } from "hono";
import { SearchPage, SearchResults, searchTitle } from "../../../web/pages/search.tsx";
import { searchJson } from "../../search/json.ts";
import { parseSearchParams, type SearchRequest, searchQueryString } from "../../search/params.ts";
import { search } from "../../search/search.ts";
import type { AppEnv } from "../env.ts";
import { FEED_TYPES, type FeedFormat } from "../feeds.ts";
import { publicFile } from "../public-file.ts";
import { render } from "../render.tsx";
import { searchFeed } from "../search-feed.ts";

function requestOf(c: Context<AppEnv>): SearchRequest {
  // The first value of each parameter; parseSearchParams throws a ValidationError naming a bad one (400).
  return parseSearchParams((name) => c.req.query(name));
}

/** The feeds of a search: newest first, so that a reader sees what is new. */
function feedLinksOf(origin: URL, request: SearchRequest): Record<FeedFormat, string> {
  const query = searchQueryString({ ...request, cursor: undefined }, { sort: "date", cursor: undefined });
  const at = (format: FeedFormat) => new URL(`/search.${format}${query}`, origin).href;
  return { rss: at("rss"), atom: at("atom"), json: at("json") };
}

/** `GET /api/v1/search`: `{ items, facets, total, next }` (README, Search). */
export async function searchApi(c: Context<AppEnv>) {
  const { db, config } = c.get("deps");
  const result = await search(db, config.publicUrl, requestOf(c));
  return c.json(searchJson(result));
}

/** The search page (works without JavaScript) and every search as RSS, Atom and JSON Feed. */
export const searchRoutes = new Hono<AppEnv>();

// Search as you type (progressive enhancement); the form works without it.
searchRoutes.get("/search.js", publicFile("search.js"));

/** The header search.js sends to get only the results region, rendered by the page's own component. */
export const PARTIAL_HEADER = "X-Partial";

searchRoutes.get("/search", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const request = requestOf(c);
  const result = await search(db, config.publicUrl, request);
  // The same URL answers with the whole page or the region: caches must keep them apart.
  c.header("Vary", PARTIAL_HEADER, { append: true });
  if (c.req.header(PARTIAL_HEADER) === "results") {
    return c.html(<SearchResults request={request} result={result} t={t} locale={c.get("locale")} />);
  }
  const title = searchTitle(request, t);
  return render(
    c,
    {
      title,
      url: new URL(`/search${searchQueryString(request)}`, config.publicUrl).href,
      feeds: { title, ...feedLinksOf(config.publicUrl, request) },
    },
    <SearchPage request={request} result={result} t={t} locale={c.get("locale")} />,
  );
});

searchRoutes.get("/:file{search\\.(rss|atom|json)}", async (c) => {
  const { db, config } = c.get("deps");
  const t = c.get("t");
  const format = c.req.param("file").slice("search.".length) as FeedFormat;
  const request = { ...requestOf(c), cursor: undefined };
  const result = await search(db, config.publicUrl, request);
  const title = request.q ? t("search.titleFor", { q: request.q }) : t("search.title");
  const pageUrl = new URL(`/search${searchQueryString(request)}`, config.publicUrl).href;
  return c.body(
    searchFeed(result, { title, pageUrl, links: feedLinksOf(config.publicUrl, request), format }),
    200,
    {
      "Content-Type": FEED_TYPES[format],
      "Cache-Control": "public, max-age=300",
    },
  );
});
