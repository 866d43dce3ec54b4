import type { CuratedItem, FeedFacet } from "../../server/domain/curation.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { CardHead } from "../components/item-card.tsx";
import { Pager } from "../components/pager.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

export interface SharedFeedQuery {
  source?: string;
  country?: string;
  language?: string;
  featured?: boolean;
}

function displayName(locale: Locale, type: "region" | "language", code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

function Choice({
  name,
  label,
  options,
  value,
  t,
}: {
  name: string;
  label: string;
  options: FeedFacet[];
  value?: string;
  t: Translate;
}) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">{t("shared.any")}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The hub's public shared feed: approved items, filters as a GET form, keyset "older" link. */
export function SharedFeedPage(props: {
  entries: CuratedItem[];
  facets: { sources: FeedFacet[]; countries: string[]; languages: string[] };
  query: SharedFeedQuery;
  nextHref: string | null;
  feeds: { rss: string; atom: string; json: string };
  t: Translate;
  locale: Locale;
}) {
  const { entries, facets, query, t, locale } = props;
  return (
    <>
      <h1>{t("shared.title")}</h1>
      <p>{t("shared.intro")}</p>
      <form method="get" action="/shared" class="filters" aria-label={t("shared.filters")}>
        <Choice
          name="source"
          label={t("shared.source")}
          options={facets.sources}
          value={query.source}
          t={t}
        />
        <Choice
          name="country"
          label={t("shared.country")}
          options={facets.countries.map((c) => ({ value: c, label: displayName(locale, "region", c) }))}
          value={query.country}
          t={t}
        />
        <Choice
          name="language"
          label={t("shared.language")}
          options={facets.languages.map((l) => ({ value: l, label: displayName(locale, "language", l) }))}
          value={query.language}
          t={t}
        />
        <label>
          <input type="checkbox" name="featured" value="1" checked={query.featured} />
          {t("shared.featuredOnly")}
        </label>
        <button type="submit">{t("shared.filter")}</button>
      </form>
      <p class="feeds">
        <a href={props.feeds.rss}>RSS</a> · <a href={props.feeds.atom}>Atom</a> ·{" "}
        <a href={props.feeds.json}>JSON Feed</a>
      </p>
      {entries.length === 0 ? (
        <EmptyState message={t("shared.empty")} />
      ) : (
        <ol class="shared-feed">
          {entries.map(({ item, curation, source }) => {
            const name = source.name || source.handle;
            const link = safeHref(item.url ?? item.iri);
            return (
              <li class={curation.featuredAt ? "featured" : undefined} data-item={item.id}>
                <article lang={item.language ?? undefined}>
                  <CardHead item={item} t={t} locale={locale} />
                  {curation.featuredAt && <strong class="badge">{t("shared.featured")}</strong>}
                  <h2>{link ? <a href={link}>{item.title || item.summary.slice(0, 80)}</a> : item.title}</h2>
                  <p class="meta">
                    {t("shared.from", { name })}
                    {source.country && ` · ${displayName(locale, "region", source.country)}`} ·{" "}
                    <time datetime={item.published.toISOString()}>{formatDate(locale, item.published)}</time>
                  </p>
                  <p>{item.summary}</p>
                  {[...item.tags, ...curation.topics].length > 0 && (
                    <p class="tags">
                      {[...new Set([...item.tags, ...curation.topics])].map((tag) => `#${tag}`).join(" ")}
                    </p>
                  )}
                  {link && (
                    <p>
                      <a href={link}>{t("shared.original", { name })}</a>
                    </p>
                  )}
                </article>
              </li>
            );
          })}
        </ol>
      )}
      <Pager older={props.nextHref} t={t} />
    </>
  );
}
