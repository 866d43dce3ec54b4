import { type Context, Hono } from "hono";
import { ReportsPage } from "../../../web/pages/reports.tsx";
import { blockActor } from "../../domain/actor-blocks.ts";
import { ValidationError } from "../../domain/errors.ts";
import { blockDomainAudited } from "../../domain/moderation-actions.ts";
import { findReport, listReports, resolveReport } from "../../domain/reports.ts";
import { auditActor } from "../audit-actor.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";

/** /admin/reports: received Flags (curators and admins); resolve, or block the reported actor or domain. */
export const reportRoutes = new Hono<AppEnv>();

reportRoutes.use(requireRole("admin", "curator"));

async function page(
  c: Context<AppEnv>,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 400 = 200,
) {
  const t = c.get("t");
  const reports = await listReports(c.get("deps").db);
  return render(
    c,
    { title: t("reports.title") },
    <ReportsPage reports={reports} csrf={c.get("csrfToken")} t={t} locale={c.get("locale")} {...extra} />,
    status,
  );
}

reportRoutes.get("/", (c) => {
  const done = c.req.query("done");
  return page(c, { notice: done ? c.get("t")("reports.done", { target: done }) : undefined });
});

type Act = "resolve" | "block-actor" | "block-domain";

async function act(c: Context<AppEnv>, action: Act) {
  const form = await c.req.parseBody();
  if (!validCsrf(c, form[CSRF_FIELD])) return c.text(c.get("t")("form.csrf"), 403);
  const { db } = c.get("deps");
  const who = auditActor(c);
  try {
    const report = await findReport(db, c.req.param("id") ?? "");
    const target = report.targetActorIri;
    if (action !== "resolve" && !target) throw new ValidationError("report", "names no actor to block");
    if (action === "block-actor" && target) await blockActor(db, who, target, { reason: "report" });
    if (action === "block-domain" && target) await blockDomainAudited(db, who, target, "report");
    await resolveReport(db, who, report.id);
    return c.redirect(`/admin/reports?${new URLSearchParams({ done: target ?? report.id })}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return page(c, { error: error.message }, 400);
  }
}

reportRoutes.post("/:id/resolve", (c) => act(c, "resolve"));
reportRoutes.post("/:id/block-actor", (c) => act(c, "block-actor"));
reportRoutes.post("/:id/block-domain", (c) => act(c, "block-domain"));
