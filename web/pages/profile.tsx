import type { Account } from "../../server/domain/accounts.ts";
import type { ItemWithAuthor } from "../../server/domain/items.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import type { Locale, Translate } from "../i18n/index.ts";
import { ItemList } from "./items.tsx";

export interface ProfileProps {
  account: Account;
  handle: string;
  counts: { followers: number; following: number; posts: number };
  items: ItemWithAuthor[];
  nextHref?: string;
  t: Translate;
  locale: Locale;
}

export function ProfilePage({ account, handle, counts, items, nextHref, t, locale }: ProfileProps) {
  return (
    <>
      {account.imageUrl && <img class="banner" src={account.imageUrl} alt="" />}
      <section class="profile-header">
        {account.iconUrl && <img class="avatar" src={account.iconUrl} alt="" />}
        <h1>{account.name}</h1>
        <p class="meta">@{handle}</p>
        {account.summary && <p>{account.summary}</p>}
        <dl class="fields">
          {account.website && (
            <>
              <dt>{t("profile.website")}</dt>
              <dd>
                <a href={safeHref(account.website)} rel="me nofollow noopener">
                  {account.website}
                </a>
              </dd>
            </>
          )}
          {(account.city || account.country) && (
            <>
              <dt>{t("profile.location")}</dt>
              <dd>{[account.city, account.country].filter(Boolean).join(", ")}</dd>
            </>
          )}
        </dl>
        <p class="meta">
          {t("profile.posts", { count: counts.posts })} ·{" "}
          {t("profile.followers", { count: counts.followers })} ·{" "}
          {t("profile.following", { count: counts.following })} ·{" "}
          <a href={`/users/${account.username}/calendar`}>{t("calendar.link")}</a> ·{" "}
          <a href={`/users/${account.username}/feed.rss`} type="application/rss+xml">
            RSS
          </a>{" "}
          <a href={`/users/${account.username}/feed.atom`} type="application/atom+xml">
            Atom
          </a>{" "}
          <a href={`/users/${account.username}/feed.json`} type="application/feed+json">
            JSON Feed
          </a>
        </p>
        <p>{t("profile.follow", { handle: `@${handle}` })}</p>
      </section>
      <h2>{t("home.latest")}</h2>
      <ItemList items={items} t={t} locale={locale} empty={t("home.empty")} nextHref={nextHref} />
    </>
  );
}
