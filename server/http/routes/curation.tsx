import { type Context, Hono } from "hono";
import { CurationPage, QUEUE_VIEWS, type QueueView } from "../../../web/pages/curation.tsx";
import { curationSources } from "../../db/schema/index.ts";
import {
  CURATION_ACTIONS,
  type CurationAction,
  countByState,
  ItemGoneError,
  listCurated,
} from "../../domain/curation.ts";
import { ValidationError } from "../../domain/errors.ts";
import { hubAccount, listHubSources } from "../../domain/hub-sources.ts";
import { assignTopics, curate, setSourceAutoApprove } from "../../services/curation.ts";
import { auditActor } from "../audit-actor.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { publicFile } from "../public-file.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";

/** /admin/curation: the queue of received items, and each source's auto-approve (curators and admins). */
export const curationRoutes = new Hono<AppEnv>();

curationRoutes.get("/curation.js", publicFile("curation.js"));

curationRoutes.use(requireRole("admin", "curator"));

function viewOf(c: Context<AppEnv>): QueueView {
  const state = c.req.query("state") ?? "pending";
  return (QUEUE_VIEWS as string[]).includes(state) ? (state as QueueView) : "pending";
}

async function page(
  c: Context<AppEnv>,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 400 | 404 = 200,
) {
  const t = c.get("t");
  const { db, config } = c.get("deps");
  const isHub = config.instanceRole === "hub";
  const view = viewOf(c);
  const cursor = c.req.query("cursor") || undefined;
  const [counts, list, sources, choices] = isHub
    ? await Promise.all([
        countByState(db),
        listCurated(db, view === "featured" ? { featured: true, cursor } : { state: view, cursor }),
        hubAccount(db)
          .then((account) => listHubSources(db, account.id))
          .catch(() => []),
        db.select().from(curationSources),
      ])
    : [{ pending: 0, approved: 0, hidden: 0 }, { entries: [], next: null }, [], []];
  const auto = new Set(choices.filter((s) => s.autoApprove).map((s) => s.actorId));
  return render(
    c,
    { title: t("curation.title") },
    <CurationPage
      view={view}
      counts={counts}
      entries={list.entries}
      nextHref={
        list.next ? `/admin/curation?${new URLSearchParams({ state: view, cursor: list.next })}` : null
      }
      sources={sources.map((s) => ({
        id: s.actor.id,
        iri: s.actor.iri,
        name: s.actor.name || s.actor.handle,
        autoApprove: auto.has(s.actor.id),
      }))}
      isHub={isHub}
      csrf={c.get("csrfToken")}
      t={t}
      locale={c.get("locale")}
      {...extra}
    />,
    status,
  );
}

curationRoutes.get("/", (c) => page(c, { notice: c.req.query("notice")?.slice(0, 300) }));

function isAction(value: string): value is CurationAction {
  return (CURATION_ACTIONS as string[]).includes(value);
}

/** The queue's one form: a row's button (`one=action:id`) or a bulk button (`action` + checked `item`s). */
curationRoutes.post("/", async (c) => {
  const t = c.get("t");
  const form = await c.req.parseBody({ all: true });
  if (!validCsrf(c, form[CSRF_FIELD])) return c.text(t("form.csrf"), 403);
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
  const services = c.get("deps");
  const actor = auditActor(c);
  const back = (notice: string) =>
    c.redirect(`/admin/curation?${new URLSearchParams({ state: viewOf(c), notice })}`, 303);
  try {
    const [one, oneId = ""] = text("one").split(":");
    if (one === "topics") {
      const topics = await assignTopics(services, actor, oneId, text(`topics:${oneId}`));
      return back(`${t("curation.saveTopics")}: ${topics.join(", ") || "–"}`);
    }
    const action = one || text("action");
    if (!isAction(action)) throw new ValidationError("action", `"${action}" is not a curation action`);
    const raw = one ? [oneId] : form.item;
    const ids = (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(
      (v): v is string => typeof v === "string",
    );
    if (ids.length === 0) throw new ValidationError("item", t("curation.noneSelected"));
    const messages: string[] = [];
    let changed = 0;
    for (const id of ids.slice(0, 100)) {
      // In bulk, an item deleted meanwhile is reported and the others still go through.
      const outcome = await curate(services, actor, id, action).catch((error: unknown) => {
        if (ids.length > 1 && error instanceof ItemGoneError)
          return { changed: false, message: error.message };
        throw error;
      });
      if (outcome.changed) changed++;
      else messages.push(outcome.message);
    }
    return back(
      [t("curation.done", { action: t(`curation.${action}`), count: changed }), ...messages].join(" "),
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return page(c, { error: error.message }, error instanceof ItemGoneError ? 404 : 400);
  }
});

curationRoutes.post("/auto-approve", async (c) => {
  const form = await c.req.parseBody();
  if (!validCsrf(c, form[CSRF_FIELD])) return c.text(c.get("t")("form.csrf"), 403);
  const on = form.on === "on";
  try {
    const source = await setSourceAutoApprove(c.get("deps"), auditActor(c), String(form.source ?? ""), on);
    const name = source.name || source.handle;
    return c.redirect(
      `/admin/curation?${new URLSearchParams({ notice: `${c.get("t")("curation.autoApprove", { name })}: ${on ? "✓" : "–"}` })}`,
      303,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return page(c, { error: error.message }, 400);
  }
});
