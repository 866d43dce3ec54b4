import { Hono } from "hono";
import { AuditPage } from "../../../web/pages/audit.tsx";
import { listAudit } from "../../domain/audit-log.ts";
import type { AppEnv } from "../env.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";

/** /admin/audit: the audit log, for admins and curators. */
export const auditRoutes = new Hono<AppEnv>();

auditRoutes.use(requireRole("admin", "curator"));

auditRoutes.get("/", async (c) => {
  const t = c.get("t");
  const action = c.req.query("action")?.trim() ?? "";
  if (action.length > 100 || (action !== "" && !/^[a-z.-]+$/.test(action))) {
    return render(c, { title: t("audit.title") }, <p role="alert">action: {t("audit.badAction")}</p>, 400);
  }
  const before = c.req.query("before")?.trim();
  if (before && !/^[0-9a-f-]{36}$/i.test(before)) {
    return render(c, { title: t("audit.title") }, <p role="alert">before: {t("audit.badBefore")}</p>, 400);
  }
  const page = await listAudit(c.get("deps").db, { action: action || undefined, before, limit: 50 });
  return render(
    c,
    { title: t("audit.title") },
    <AuditPage entries={page.entries} next={page.next} action={action} t={t} locale={c.get("locale")} />,
  );
});
