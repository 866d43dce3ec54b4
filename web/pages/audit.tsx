import type { AuditEntry } from "../../server/domain/audit-log.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { Pager } from "../components/pager.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

/** /admin/audit: what curators and admins did, newest first, filterable by action. */
export function AuditPage(props: {
  entries: AuditEntry[];
  action: string;
  next: string | null;
  t: Translate;
  locale: Locale;
}) {
  const { t, locale } = props;
  const more = new URLSearchParams();
  if (props.action) more.set("action", props.action);
  if (props.next) more.set("before", props.next);
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <form method="get" action="/admin/audit" class="filters" aria-label={t("audit.filter")}>
        <label>
          {t("audit.action")}
          <input name="action" value={props.action} placeholder="actor.block" />
        </label>
        <button type="submit">{t("audit.apply")}</button>
      </form>
      {props.entries.length === 0 ? (
        <EmptyState message={t("audit.empty")} />
      ) : (
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">{t("audit.when")}</th>
              <th scope="col">{t("audit.who")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("audit.target")}</th>
              <th scope="col">{t("audit.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td>
                  <time datetime={e.createdAt.toISOString()}>{formatDate(locale, e.createdAt)}</time>
                </td>
                <td>{e.actorLabel}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td class="wrap">{e.target}</td>
                <td class="wrap">
                  {Object.entries(e.detail)
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join("; ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager older={props.next ? `/admin/audit?${more}` : null} t={t} />
    </>
  );
}
