import { raw } from "hono/html";
import type { ItemWithAuthor } from "../../server/domain/items.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { CardHead } from "../components/item-card.tsx";
import { Pager } from "../components/pager.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

/** A list of items as cards: kind and its facts, title, author, date, summary, the original. */
export function ItemList(props: {
  items: ItemWithAuthor[];
  t: Translate;
  locale: Locale;
  empty: string;
  nextHref?: string;
}) {
  const { items, t, locale } = props;
  if (items.length === 0) return <EmptyState message={props.empty} />;
  return (
    <>
      {items.map((item) => (
        <article class="card" lang={item.language ?? undefined}>
          <CardHead item={item} t={t} locale={locale} />
          {item.title ? (
            <h3>
              <a href={item.accountId ? new URL(item.iri).pathname : safeHref(item.url ?? item.iri)}>
                {item.title}
              </a>
            </h3>
          ) : (
            // A Note has no title: its text is the post (sanitized when it was stored), after its
            // content warning if it has one.
            <div class="content note">
              {item.summary && (
                <p>
                  <strong>{item.summary}</strong>
                </p>
              )}
              {raw(item.content)}
            </div>
          )}
          <p class="meta">
            {item.author.url ? (
              <a href={safeHref(item.author.url)}>{item.author.name || item.author.handle}</a>
            ) : (
              item.author.name
            )}{" "}
            · <span>@{item.author.handle}</span> ·{" "}
            <time datetime={item.published.toISOString()}>{formatDate(locale, item.published)}</time>
          </p>
          {item.title && item.summary && <p>{item.summary}</p>}
          {item.tags.length > 0 && (
            <p class="tags">
              {item.tags.map((tag) => (
                <span>#{tag} </span>
              ))}
            </p>
          )}
          {!item.accountId && item.url && (
            <p>
              <a href={safeHref(item.url)} rel="nofollow noopener">
                {t("received.original")}
              </a>
            </p>
          )}
        </article>
      ))}
      <Pager older={props.nextHref} t={t} />
    </>
  );
}
