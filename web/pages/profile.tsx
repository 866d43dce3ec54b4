import type { Account } from "../../server/domain/accounts.ts";
import type { ItemWithAuthor } from "../../server/domain/items.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { Csrf } from "../components/forms.tsx";
import type { Locale, Translate } from "../i18n/index.ts";
import { ItemList } from "./items.tsx";

export interface ProfileProps {
  account: Account;
  handle: string;
  counts: { followers: number; following: number; posts: number };
  items: ItemWithAuthor[];
  nextHref?: string;
  csrf: string;
  /** What the visitor entered in the follow form, and what was wrong with it. */
  remoteFollow?: RemoteFollowValues;
  t: Translate;
  locale: Locale;
}

export interface RemoteFollowValues {
  handle: string;
  error?: string;
}

/**
 * "Follow from your server": copy the handle, or give yours and be sent to your server's
 * follow page (POST /users/:username/remote-follow looks it up with WebFinger).
 */
function RemoteFollowForm(props: {
  username: string;
  handle: string;
  csrf: string;
  values?: RemoteFollowValues;
  t: Translate;
}) {
  const { t, values } = props;
  const error = values?.error;
  return (
    <section class="remote-follow" aria-labelledby="remote-follow-title">
      <h2 id="remote-follow-title">{t("profile.remoteFollow.title")}</h2>
      <p>{t("profile.remoteFollow.explain", { handle: `@${props.handle}` })}</p>
      <form method="post" action={`/users/${props.username}/remote-follow`} class="stack">
        <Csrf token={props.csrf} />
        <label for="remote-follow-handle">{t("profile.remoteFollow.label")}</label>
        <input
          id="remote-follow-handle"
          name="handle"
          required
          maxlength={300}
          autocomplete="username"
          placeholder="@you@your.server"
          value={values?.handle ?? ""}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "remote-follow-error" : undefined}
          autofocus={error ? true : undefined}
        />
        {error && (
          <p class="error" id="remote-follow-error">
            {error}
          </p>
        )}
        <p>
          <button type="submit">{t("profile.remoteFollow.submit")}</button>
        </p>
      </form>
    </section>
  );
}

export function ProfilePage({
  account,
  handle,
  counts,
  items,
  nextHref,
  csrf,
  remoteFollow,
  t,
  locale,
}: ProfileProps) {
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
      </section>
      <RemoteFollowForm username={account.username} handle={handle} csrf={csrf} values={remoteFollow} t={t} />
      <h2>{t("home.latest")}</h2>
      <ItemList items={items} t={t} locale={locale} empty={t("home.empty")} nextHref={nextHref} />
    </>
  );
}
