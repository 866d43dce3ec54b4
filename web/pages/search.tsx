import { raw } from "hono/html";
import { safeHref } from "../../server/ingest/urls.ts";
import { FACET_NAMES, type FacetName } from "../../server/search/facets.ts";
import { type SearchRequest, searchQueryString } from "../../server/search/params.ts";
import { FACET_CAP } from "../../server/search/plan.ts";
import type { SearchResult } from "../../server/search/search.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { Pager } from "../components/pager.tsx";
import { formatDate, type Locale, type MessageKey, type Translate } from "../i18n/index.ts";

/** Which request field a facet sets, and how its values read. */
const FACET_PARAMETER: Record<
  FacetName,
  "type" | "country" | "language" | "library" | "tag" | "audience" | "skill"
> = {
  type: "type",
  country: "country",
  language: "language",
  library: "library",
  tag: "tag",
  audience: "audience",
  skill: "skill",
  year: "type", // unused: years set from and to
};

function facetValueLabel(
  facet: FacetName,
  value: string,
  result: SearchResult,
  t: Translate,
  locale: Locale,
) {
  if (facet === "type") return t(`search.kind.${value}` as MessageKey);
  if (facet === "library") return result.libraries.get(value)?.name ?? value;
  try {
    if (facet === "country") return new Intl.DisplayNames([locale], { type: "region" }).of(value) ?? value;
    if (facet === "language") return new Intl.DisplayNames([locale], { type: "language" }).of(value) ?? value;
  } catch {
    return value; // not a code Intl knows
  }
  return value;
}

function activeValue(request: SearchRequest, facet: FacetName): string | undefined {
  if (facet === "year") return request.from ? String(request.from.getUTCFullYear()) : undefined;
  const field = {
    type: request.kind,
    country: request.country,
    language: request.language,
    library: request.library,
    tag: request.tag,
    audience: request.audience,
    skill: request.skill,
  }[facet];
  return field;
}

/** Facet links: each value with its count; a chosen value links to the search without it. */
function Facets({
  request,
  result,
  t,
  locale,
}: {
  request: SearchRequest;
  result: SearchResult;
  t: Translate;
  locale: Locale;
}) {
  return (
    <nav aria-label={t("search.filters")} class="facets">
      <h2>{t("search.filters")}</h2>
      {FACET_NAMES.filter((facet) => result.facets[facet].length > 0).map((facet) => {
        const active = activeValue(request, facet);
        return (
          <section>
            <h3>{t(`search.facet.${facet}` as MessageKey)}</h3>
            <ul>
              {result.facets[facet].map(({ value, count }) => {
                const chosen = active === value;
                const change =
                  facet === "year"
                    ? chosen
                      ? { from: undefined, to: undefined }
                      : { from: value, to: value }
                    : { [FACET_PARAMETER[facet]]: chosen ? undefined : value };
                const label = facetValueLabel(facet, value, result, t, locale);
                return (
                  <li>
                    <a
                      href={`/search${searchQueryString(request, { ...change, cursor: undefined })}`}
                      aria-current={chosen ? "true" : undefined}
                      aria-label={chosen ? t("search.remove", { value: label }) : undefined}
                    >
                      {label}
                    </a>{" "}
                    <span class="count">({count})</span>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

/** The title a browser shows for a search: the same words the route gives the layout. */
export function searchTitle(request: SearchRequest, t: Translate): string {
  return request.q ? t("search.titleFor", { q: request.q }) : t("search.title");
}

/**
 * Facets and results: the region search.js replaces as the person types. The route renders it
 * alone for a request with `X-Partial: results`, so the page and the script share one rendering.
 */
export function SearchResults({
  request,
  result,
  t,
  locale,
}: {
  request: SearchRequest;
  result: SearchResult;
  t: Translate;
  locale: Locale;
}) {
  const title = searchTitle(request, t);
  return (
    <div
      id="search-region"
      data-title={`${title} · ${t("site.title")}`}
      data-url={`/search${searchQueryString(request)}`}
    >
      <Facets request={request} result={result} t={t} locale={locale} />
      <section aria-labelledby="search-results" class="results">
        <h2 id="search-results">{t("search.results")}</h2>
        <p role="status" id="search-count">
          {result.capped
            ? t("search.countCapped", { count: FACET_CAP.toLocaleString(locale) })
            : t("search.count", { count: result.total })}
        </p>
        {result.corrected && <p>{t("search.corrected", { q: result.corrected })}</p>}
        {result.hits.length === 0 && <EmptyState message={t("search.none")} />}
        {result.hits.map(({ item, author, country, kind, languages, snippet }) => (
          <article class="card" lang={item.language ?? undefined}>
            <h3>
              <a href={item.accountId ? new URL(item.iri).pathname : safeHref(item.url ?? item.iri)}>
                {item.title || item.summary.slice(0, 80)}
              </a>
            </h3>
            <p class="meta">
              {author.url ? <a href={safeHref(author.url)}>{author.name || author.handle}</a> : author.name}
              {country && <> · {facetValueLabel("country", country, result, t, locale)}</>}
              {" · "}
              {t(`search.kind.${kind}` as MessageKey)}
              {languages.length > 0 && (
                <> · {languages.map((l) => facetValueLabel("language", l, result, t, locale)).join(", ")}</>
              )}
              {" · "}
              <time datetime={item.published.toISOString()}>{formatDate(locale, item.published)}</time>
            </p>
            {/* Escaped text with the matched words in <mark> (server/search/results.ts). */}
            {snippet && <p class="snippet">{raw(snippet)}</p>}
          </article>
        ))}
        <Pager older={result.next && `/search${searchQueryString(request, { cursor: result.next })}`} t={t} />
      </section>
    </div>
  );
}

/**
 * /search: a form, facets with counts, results with snippets, a link to more; works without
 * JavaScript. search.js (progressive enhancement) updates the results as the person types and
 * says the new count in the live region.
 */
export function SearchPage({
  request,
  result,
  t,
  locale,
}: {
  request: SearchRequest;
  result: SearchResult;
  t: Translate;
  locale: Locale;
}) {
  const hidden = new URLSearchParams(searchQueryString(request, { q: undefined, sort: undefined }));
  return (
    <>
      <h1>{t("search.title")}</h1>
      <search>
        <form method="get" action="/search" class="search">
          <label for="search-q">{t("search.label")}</label>
          <input id="search-q" type="search" name="q" value={request.q} maxlength={1000} />
          <label for="search-sort">{t("search.sort")}</label>
          <select id="search-sort" name="sort">
            <option value="relevance" selected={request.sort === "relevance"}>
              {t("search.sortRelevance")}
            </option>
            <option value="date" selected={request.sort === "date"}>
              {t("search.sortDate")}
            </option>
          </select>
          {[...hidden.entries()].map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit">{t("search.submit")}</button>
        </form>
      </search>
      {/* Filled by search.js with the new count; stays in place while the results are replaced. */}
      <p id="search-announce" class="visually-hidden" aria-live="polite" />
      <SearchResults request={request} result={result} t={t} locale={locale} />
      <script src="/search.js" defer />
    </>
  );
}
