import type { CuratedItem, CurationState } from "../../server/domain/curation.ts";
import { safeHref } from "../../server/ingest/urls.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { Csrf } from "../components/forms.tsx";
import { formatDate, type Locale, type Translate } from "../i18n/index.ts";

export type QueueView = CurationState | "featured";
export const QUEUE_VIEWS: QueueView[] = ["pending", "approved", "hidden", "featured"];

export interface QueueSource {
  id: string;
  iri: string;
  name: string;
  autoApprove: boolean;
}

/** The actions a row offers in its state (restore only for hidden ones). */
function rowActions(entry: CuratedItem): ("approve" | "hide" | "restore" | "feature" | "unfeature")[] {
  const { state, featuredAt } = entry.curation;
  if (state === "hidden") return ["restore"];
  const actions: ("approve" | "hide" | "feature" | "unfeature")[] = state === "pending" ? ["approve"] : [];
  actions.push(featuredAt ? "unfeature" : "feature", "hide");
  return actions;
}

/**
 * The curation queue: one form, so that it works without JavaScript. Each row's buttons post
 * `one=<action>:<id>`; the bulk buttons post `action` with the checked `item`s. curation.js adds
 * keyboard shortcuts that press the same buttons.
 */
export function CurationPage(props: {
  view: QueueView;
  counts: Record<CurationState, number>;
  entries: CuratedItem[];
  nextHref: string | null;
  sources: QueueSource[];
  isHub: boolean;
  csrf: string;
  t: Translate;
  locale: Locale;
  notice?: string;
  error?: string;
}) {
  const { t, locale, view } = props;
  if (!props.isHub) return <p>{t("curation.notHub")}</p>;
  return (
    <>
      <h1>{t("curation.title")}</h1>
      {props.notice && <p role="status">{props.notice}</p>}
      {props.error && (
        <p role="alert" class="error">
          {props.error}
        </p>
      )}
      <nav aria-label={t("curation.states")}>
        <ul class="tabs">
          {QUEUE_VIEWS.map((v) => (
            <li>
              <a href={`/admin/curation?state=${v}`} aria-current={v === view ? "page" : undefined}>
                {t(`curation.state.${v}`)}
                {v !== "featured" && ` (${props.counts[v]})`}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="hint">{t("curation.keys")}</p>
      <form method="post" action={`/admin/curation?state=${view}`} id="curation-queue">
        <Csrf token={props.csrf} />
        <fieldset class="bulk">
          <legend>{t("curation.bulk")}</legend>
          {(view === "hidden" ? ["restore"] : ["approve", "feature", "unfeature", "hide"]).map((action) => (
            <button type="submit" name="action" value={action} data-bulk={action}>
              {t(`curation.${action as "approve"}`)}
            </button>
          ))}
        </fieldset>
        {props.entries.length === 0 ? (
          <EmptyState message={t("curation.empty")} />
        ) : (
          <ol class="curation-list">
            {props.entries.map((entry) => {
              const { item, source, curation } = entry;
              const title = item.title || item.summary.slice(0, 80) || item.iri;
              const link = safeHref(item.url ?? item.iri);
              return (
                <li data-item={item.id} tabindex={-1}>
                  <label class="select">
                    <input type="checkbox" name="item" value={item.id} />
                    <span class="visually-hidden">{t("curation.select", { title })}</span>
                  </label>
                  <div class="entry" lang={item.language ?? undefined}>
                    <h2>{title}</h2>
                    <p class="meta">
                      {source.name || source.handle} · {source.country ?? "–"} · {item.language ?? "–"} ·{" "}
                      {item.type} · {formatDate(locale, item.published)}
                      {curation.featuredAt && ` · ${t("curation.state.featured")}`}
                    </p>
                    <p>{item.summary.slice(0, 300)}</p>
                    {link && (
                      <p>
                        <a href={link}>{t("curation.original")}</a>
                      </p>
                    )}
                    <p class="actions">
                      {rowActions(entry).map((action) => (
                        <button
                          type="submit"
                          name="one"
                          value={`${action}:${item.id}`}
                          data-action={action}
                          aria-label={`${t(`curation.${action}`)}: ${title}`}
                        >
                          {t(`curation.${action}`)}
                        </button>
                      ))}
                    </p>
                    <p class="topics">
                      <label>
                        {t("curation.topics")}
                        <input type="text" name={`topics:${item.id}`} value={curation.topics.join(", ")} />
                      </label>
                      <button type="submit" name="one" value={`topics:${item.id}`}>
                        {t("curation.saveTopics")}
                      </button>
                    </p>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </form>
      {props.nextHref && (
        <p>
          <a href={props.nextHref} rel="next">
            {t("curation.next")}
          </a>
        </p>
      )}
      {props.sources.length > 0 && (
        <section aria-labelledby="auto-approve">
          <h2 id="auto-approve">{t("curation.sources")}</h2>
          <ul>
            {props.sources.map((s) => (
              <li>
                <form method="post" action="/admin/curation/auto-approve" class="inline">
                  <Csrf token={props.csrf} />
                  <input type="hidden" name="source" value={s.iri} />
                  <label>
                    <input type="checkbox" name="on" value="on" checked={s.autoApprove} />
                    {t("curation.autoApprove", { name: s.name })}
                  </label>{" "}
                  <button type="submit" aria-label={`${t("form.submit")}: ${s.name}`}>
                    {t("form.submit")}
                  </button>{" "}
                  <span class="meta">({s.autoApprove ? t("curation.autoOn") : t("curation.autoOff")})</span>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
      <script src="/admin/curation/curation.js" defer />
    </>
  );
}
