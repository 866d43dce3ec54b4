import type { ItemWithAuthor } from "../../server/domain/items.ts";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

/** A list of items as cards: title, author, date, summary and a link to the original. */
export function ItemList(props: {
  items: ItemWithAuthor[];
  t: Translate;
  locale: Locale;
  empty: string;
  nextHref?: string;
}) {
  const { items, t, locale } = props;
  if (items.length === 0) return <p>{props.empty}</p>;
  return (
    <>
      {items.map((item) => (
        <article class="card" lang={item.language ?? undefined}>
          <h3>
            <a href={item.accountId ? new URL(item.iri).pathname : (item.url ?? item.iri)}>
              {item.title || item.summary.slice(0, 80) || item.type}
            </a>
          </h3>
          <p class="meta">
            {item.author.url ? (
              <a href={item.author.url}>{item.author.name || item.author.handle}</a>
            ) : (
              item.author.name
            )}{" "}
            · <span>@{item.author.handle}</span> ·{" "}
            <time datetime={item.published.toISOString()}>{formatDate(locale, item.published)}</time>
          </p>
          {item.summary && <p>{item.summary}</p>}
          {item.tags.length > 0 && (
            <p class="tags">
              {item.tags.map((tag) => (
                <span>#{tag} </span>
              ))}
            </p>
          )}
          {!item.accountId && item.url && (
            <p>
              <a href={item.url} rel="nofollow noopener">
                {t("received.original")}
              </a>
            </p>
          )}
        </article>
      ))}
      {props.nextHref && (
        <p class="pager">
          <a href={props.nextHref}>{t("pager.older")} →</a>
        </p>
      )}
    </>
  );
}
