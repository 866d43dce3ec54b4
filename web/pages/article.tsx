import { raw } from "hono/html";
import type { Account } from "../../server/domain/accounts.ts";
import type { InteractionCounts } from "../../server/domain/interactions.ts";
import { type Item, type ItemVersion, itemLanguages } from "../../server/domain/items.ts";
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
  /** The language version shown (the reader's, when the item has it). */
  version: ItemVersion;
  t: Translate;
  locale: Locale;
}) {
  const { item, account, handle, counts, version, t, locale } = props;
  const number = new Intl.NumberFormat(locale);
  return (
    <article class={item.type === "Event" ? "h-event" : "h-entry"} lang={version.language ?? undefined}>
      <h1 class="p-name">{version.title}</h1>
      <LanguageSwitch item={item} shown={version.language} t={t} locale={locale} />
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
        <strong>
          {writtenSummary(
            item,
            version.language ? { language: version.language, summary: version.summary } : undefined,
          ) || version.summary}
        </strong>
      </p>
      <LeadImage attachments={item.attachments} />
      {/* Sanitized with the one allow-list when it was stored. */}
      <div class="e-content content">{raw(version.content)}</div>
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

/** Links to the item's other language versions ("Also in: Latviešu · English"). */
function LanguageSwitch(props: { item: Item; shown: string | null; t: Translate; locale: Locale }) {
  const { item, shown, t, locale } = props;
  const languages = itemLanguages(item);
  if (languages.length < 2) return null;
  const names = new Intl.DisplayNames([locale], { type: "language" });
  return (
    <nav class="languages" aria-label={t("article.languages")}>
      {t("article.alsoIn")}{" "}
      {languages
        .filter((language) => language !== shown)
        .map((language, i) => (
          <>
            {i > 0 && " · "}
            <a href={`?lang=${encodeURIComponent(language)}`} hreflang={language} lang={language}>
              {new Intl.DisplayNames([language], { type: "language" }).of(language) ?? names.of(language)}
            </a>
          </>
        ))}
    </nav>
  );
}
