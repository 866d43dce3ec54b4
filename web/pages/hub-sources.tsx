import type { Backfill } from "../../server/domain/backfills.ts";
import type { HubSource } from "../../server/domain/hub-sources.ts";
import { Csrf } from "../components/forms.tsx";
import type { Translate } from "../i18n/index.ts";
import { Flash } from "./admin.tsx";

function backfillText(t: Translate, backfill: Backfill | null): string {
  if (!backfill) return t("hub.backfill.none");
  if (backfill.state === "running") {
    return t("hub.backfill.running", { done: backfill.fetched, total: backfill.total ?? "?" });
  }
  if (backfill.state === "failed") return t("hub.backfill.failed", { error: backfill.error ?? "?" });
  return t("hub.backfill.done", { stored: backfill.stored, read: backfill.fetched });
}

/** One button posting the source's actor URL to `action`. */
function SourceAction(props: { action: string; iri: string; label: string; csrf: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf token={props.csrf} />
      <input type="hidden" name="target" value={props.iri} />
      <button type="submit">{props.label}</button>
    </form>
  );
}

/** /admin/hub/sources: the libraries the hub follows (curators and admins; no JavaScript). */
export function HubSourcesPage(props: {
  sources: HubSource[];
  isHub: boolean;
  csrf: string;
  t: Translate;
  error?: string;
  notice?: string;
}) {
  const { t, csrf } = props;
  if (!props.isHub) return <p>{t("hub.notHub")}</p>;
  return (
    <>
      <h1>{t("hub.title")}</h1>
      <p>{t("hub.intro")}</p>
      <Flash error={props.error} notice={props.notice} />
      <form method="post" action="/admin/hub/sources" class="stack">
        <Csrf token={csrf} />
        <label>
          {t("hub.add")}
          <input name="target" required placeholder="@library@library.example" />
        </label>
        <button type="submit">{t("hub.follow")}</button>
      </form>
      <form method="post" action="/admin/hub/sources/instance" class="stack">
        <Csrf token={csrf} />
        <label>
          {t("hub.addInstance")}
          <input name="instance" required placeholder="library.example" />
        </label>
        <button type="submit">{t("hub.follow")}</button>
      </form>
      {props.sources.length === 0 ? (
        <p class="meta">{t("hub.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("hub.library")}</th>
              <th scope="col">{t("hub.state")}</th>
              <th scope="col">{t("hub.items")}</th>
              <th scope="col">{t("hub.backfill")}</th>
              <th scope="col">{t("hub.consent")}</th>
              <th scope="col">{t("hub.country")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("hub.unfollow")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sources.map((source) => (
              <tr>
                <td>
                  <a href={source.actor.url ?? source.actor.iri} rel="noopener noreferrer">
                    {source.actor.name || source.actor.handle}
                  </a>
                  <br />
                  <span class="meta">@{source.actor.handle}</span>
                </td>
                <td>{t(`hub.state.${source.state}`)}</td>
                <td>{source.items}</td>
                <td>{backfillText(t, source.backfill)}</td>
                <td>
                  {source.actor.indexable && source.actor.discoverable
                    ? t("hub.indexable")
                    : t("hub.notIndexable")}
                </td>
                <td>
                  <form method="post" action="/admin/hub/sources/country" class="inline">
                    <Csrf token={csrf} />
                    <input type="hidden" name="target" value={source.actor.iri} />
                    <input
                      name="country"
                      size={2}
                      maxlength={2}
                      value={source.actor.country ?? ""}
                      aria-label={t("hub.country")}
                    />
                    <button type="submit">{t("hub.setCountry")}</button>
                  </form>
                </td>
                <td>
                  <SourceAction
                    action="/admin/hub/sources/backfill"
                    iri={source.actor.iri}
                    label={t("hub.backfillNow")}
                    csrf={csrf}
                  />
                  <SourceAction
                    action="/admin/hub/sources/unfollow"
                    iri={source.actor.iri}
                    label={t("hub.unfollow")}
                    csrf={csrf}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
