import type { Draft } from "../../server/domain/drafts.ts";
import { ActionButton, Csrf } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

export type DraftRow = Pick<Draft, "id" | "input" | "sourceUrl" | "updatedAt" | "publishAt">;

/** An "Import from a web page" form: a URL in, a draft out. */
export function ImportPageForm(props: { base: string; csrf: string; t: Translate; url?: string }) {
  const { t } = props;
  return (
    <form method="post" action={`${props.base}/imports/page`} class="stack">
      <Csrf token={props.csrf} />
      <label>
        {t("import.pageUrl")}
        <input name="url" type="url" required value={props.url ?? ""} aria-describedby="import-hint" />
      </label>
      <span class="hint" id="import-hint">
        {t("import.pageHint")}
      </span>
      <button type="submit">{t("import.submit")}</button>
    </form>
  );
}

/** On an account's admin page: its drafts (never public), and where imports start. */
export function DraftsSection(props: {
  base: string;
  drafts: DraftRow[];
  csrf: string;
  t: Translate;
  locale: Locale;
}) {
  const { base, t, locale, csrf } = props;
  return (
    <section aria-labelledby="drafts-title">
      <h2 id="drafts-title">{t("drafts.title")}</h2>
      <p class="meta">{t("drafts.notPublic")}</p>
      {props.drafts.length === 0 ? (
        <p>{t("drafts.none")}</p>
      ) : (
        <table>
          <tbody>
            {props.drafts.map((draft) => {
              const title = draft.input.title.trim() || t("drafts.untitled");
              return (
                <tr>
                  <td>
                    <a href={`${base}/drafts/${draft.id}`}>{title}</a>
                    <div class="meta">
                      {t("drafts.changed", { date: formatDate(locale, draft.updatedAt) })}
                      {draft.sourceUrl && ` · ${new URL(draft.sourceUrl).host}`}
                      {draft.publishAt &&
                        ` · ${t("schedule.pending", { date: formatDate(locale, draft.publishAt) })}`}
                    </div>
                  </td>
                  <td>
                    <ActionButton
                      action={`${base}/drafts/${draft.id}/delete`}
                      csrf={csrf}
                      label={t("admin.delete")}
                      target={title}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3>{t("import.page")}</h3>
      <ImportPageForm base={base} csrf={csrf} t={t} />
      <p>
        <a href={`${base}/imports`}>{t("feeds.link")}</a>
      </p>
    </section>
  );
}

/** Under a draft's editor: where it came from, and deleting it. */
export function DraftFooter(props: {
  base: string;
  draft: Pick<Draft, "id" | "sourceUrl" | "sourcePublished" | "publishAt" | "scheduleError">;
  csrf: string;
  t: Translate;
  locale: Locale;
}) {
  const { t, draft } = props;
  return (
    <>
      {draft.publishAt && (
        <form method="post" action={`${props.base}/drafts/${draft.id}/unschedule`} class="inline">
          <Csrf token={props.csrf} />
          <p role="status">
            {t("schedule.pending", { date: formatDate(props.locale, draft.publishAt) })}{" "}
            <button type="submit" class="secondary">
              {t("schedule.cancel")}
            </button>
          </p>
        </form>
      )}
      {!draft.publishAt && draft.scheduleError && (
        <p class="error" role="alert">
          {t("schedule.failed", { reason: draft.scheduleError })}
        </p>
      )}
      {draft.sourceUrl && (
        <p class="meta">
          {t("drafts.source")} <a href={draft.sourceUrl}>{draft.sourceUrl}</a>
          {draft.sourcePublished &&
            ` · ${t("drafts.sourcePublished", { date: formatDate(props.locale, draft.sourcePublished) })}`}
        </p>
      )}
      <form method="post" action={`${props.base}/drafts/${draft.id}/delete`} class="inline">
        <Csrf token={props.csrf} />
        <button type="submit" class="danger">
          {t("admin.delete")}
        </button>
      </form>
    </>
  );
}
