import type { FeedSource } from "../../server/domain/feed-sources.ts";
import { ActionButton, Csrf } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";
import { Flash } from "./admin.tsx";
import { ImportPageForm } from "./drafts.tsx";

/** An account's import page: a web page to import, and the website feeds it polls. */
export function ImportsPage(props: {
  account: { name: string; username: string };
  feeds: FeedSource[];
  csrf: string;
  t: Translate;
  locale: Locale;
  error?: string;
  notice?: string;
  /** What was typed, shown again with an error. */
  pageUrl?: string;
  feedUrl?: string;
}) {
  const { t, locale, csrf } = props;
  const base = `/admin/accounts/${props.account.username}`;
  return (
    <>
      <h1>{props.account.name}</h1>
      <p>
        <a href={base}>← {props.account.name}</a>
      </p>
      <Flash error={props.error} notice={props.notice} />
      <h2>{t("import.page")}</h2>
      <ImportPageForm base={base} csrf={csrf} t={t} url={props.pageUrl} />
      <h2>{t("feeds.title")}</h2>
      <p>{t("feeds.intro")}</p>
      {props.feeds.length === 0 ? (
        <p>{t("feeds.none")}</p>
      ) : (
        <table>
          <tbody>
            {props.feeds.map((feed) => (
              <tr>
                <td>
                  <a href={feed.url}>{feed.url}</a>
                  <div class="meta">
                    {t(feed.mode === "publish" ? "feeds.modePublish" : "feeds.modeDraft")} ·{" "}
                    {feed.lastFetchedAt
                      ? t("feeds.lastFetched", { date: formatDate(locale, feed.lastFetchedAt) })
                      : t("feeds.never")}
                  </div>
                  {feed.lastError && (
                    <p class="error">
                      {t("feeds.lastError")}: {feed.lastError}
                    </p>
                  )}
                </td>
                <td>
                  <ActionButton
                    action={`${base}/feeds/${feed.id}/delete`}
                    csrf={csrf}
                    label={t("feeds.remove")}
                    target={feed.url}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={`${base}/feeds`} class="stack">
        <Csrf token={csrf} />
        <label>
          {t("feeds.url")}
          <input name="url" type="url" required value={props.feedUrl ?? ""} />
        </label>
        <label>
          {t("feeds.mode")}
          <select name="mode">
            <option value="draft">{t("feeds.modeDraft")}</option>
            <option value="publish">{t("feeds.modePublish")}</option>
          </select>
        </label>
        <button type="submit">{t("feeds.attach")}</button>
      </form>
    </>
  );
}
