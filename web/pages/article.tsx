import { raw } from "hono/html";
import type { Account } from "../../server/domain/accounts.ts";
import type { InteractionCounts } from "../../server/domain/interactions.ts";
import type { Item } from "../../server/domain/items.ts";
import { writtenSummary } from "../../server/domain/posts.ts";
import { Gallery, LeadImage } from "../components/item-images.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";
import { EventFacts } from "./event-facts.tsx";
import { PracticeFacts } from "./practice-facts.tsx";
import { ResourceFacts } from "./resource-facts.tsx";
import { WebcastFacts } from "./webcast-player.tsx";

export function ArticlePage(props: {
  item: Item;
  account: Account;
  handle: string;
  counts: InteractionCounts;
  t: Translate;
  locale: Locale;
}) {
  const { item, account, handle, counts, t, locale } = props;
  const number = new Intl.NumberFormat(locale);
  return (
    <article class={item.type === "Event" ? "h-event" : "h-entry"} lang={item.language ?? undefined}>
      <h1 class="p-name">{item.title}</h1>
      <p class="meta">
        <a class="p-author" href={`/users/${account.username}`}>
          {account.name}
        </a>{" "}
        (@{handle}) ·{" "}
        <time class="dt-published" datetime={item.published.toISOString()}>
          {t("article.published", { date: formatDate(locale, item.published) })}
        </time>
        {item.updated && <> · {t("article.updated", { date: formatDate(locale, item.updated) })}</>}
      </p>
      <EventFacts item={item} t={t} locale={locale} />
      <ResourceFacts item={item} t={t} locale={locale} />
      <WebcastFacts item={item} t={t} locale={locale} />
      <p class="p-summary">
        <strong>{writtenSummary(item) || item.summary}</strong>
      </p>
      <LeadImage attachments={item.attachments} />
      {/* Sanitized with the one allow-list when it was stored. */}
      <div class="e-content content">{raw(item.content)}</div>
      <Gallery attachments={item.attachments} t={t} />
      <PracticeFacts item={item} t={t} locale={locale} />
      {item.tags.length > 0 && (
        <p class="tags">
          {t("article.tags")}:{" "}
          {item.tags.map((tag) => (
            <a href={`/tags/${encodeURIComponent(tag.toLowerCase())}`} rel="tag">
              #{tag}
            </a>
          ))}
        </p>
      )}
      <section class="reactions" aria-label={t("article.reactions")}>
        <dl class="inline">
          <dt>{t("article.likes")}</dt>
          <dd data-count="likes">{number.format(counts.likes)}</dd>
          <dt>{t("article.announces")}</dt>
          <dd data-count="announces">{number.format(counts.announces)}</dd>
          <dt>{t("article.replies")}</dt>
          <dd data-count="replies">{number.format(counts.replies)}</dd>
        </dl>
      </section>
    </article>
  );
}
