import type { Report } from "../../server/domain/reports.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { ActionButton } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";
import { Flash } from "./admin.tsx";

function hostOf(iri: string): string {
  try {
    return new URL(iri).host;
  } catch {
    return iri;
  }
}

/** /admin/reports: Flags received from other servers, for curators to resolve or act on. */
export function ReportsPage(props: {
  reports: Report[];
  csrf: string;
  t: Translate;
  locale: Locale;
  notice?: string;
  error?: string;
}) {
  const { t, locale } = props;
  return (
    <>
      <h1>{t("reports.title")}</h1>
      <p>{t("reports.intro")}</p>
      <Flash error={props.error} notice={props.notice} />
      {props.reports.length === 0 ? (
        <EmptyState message={t("reports.empty")} />
      ) : (
        <ul class="reports">
          {props.reports.map((r) => (
            <li>
              <article aria-labelledby={`report-${r.id}`}>
                <h2 id={`report-${r.id}`}>{t("reports.about", { target: r.targetActorIri ?? "?" })}</h2>
                <p>
                  {t("reports.from", { reporter: r.reporterIri })} ·{" "}
                  <time datetime={r.receivedAt.toISOString()}>{formatDate(locale, r.receivedAt)}</time>
                </p>
                {r.comment && <blockquote>{r.comment}</blockquote>}
                {r.objectIris.length > 0 && (
                  <ul>
                    {r.objectIris.map((iri) => (
                      <li>
                        <a href={iri} rel="nofollow noopener">
                          {iri}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                <ActionButton
                  action={`/admin/reports/${r.id}/resolve`}
                  csrf={props.csrf}
                  label={t("reports.resolve")}
                  target={r.targetActorIri ?? r.id}
                />
                {r.targetActorIri && (
                  <>
                    <ActionButton
                      action={`/admin/reports/${r.id}/block-actor`}
                      csrf={props.csrf}
                      label={t("reports.blockActor")}
                      target={r.targetActorIri}
                    />
                    <ActionButton
                      action={`/admin/reports/${r.id}/block-domain`}
                      csrf={props.csrf}
                      label={t("reports.blockDomain")}
                      target={hostOf(r.targetActorIri)}
                    />
                  </>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
