import { type Context, Hono } from "hono";
import { DomainBlocksPage } from "../../../web/pages/domain-blocks.tsx";
import { listDomainBlocks, normalizeDomain } from "../../domain/domain-blocks.ts";
import { ValidationError } from "../../domain/errors.ts";
import { blockDomainAudited, unblockDomainAudited } from "../../domain/moderation-actions.ts";
import { auditActor } from "../audit-actor.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";

/** /admin/domains: block and unblock servers (admins only). */
export const domainBlockRoutes = new Hono<AppEnv>();

domainBlockRoutes.use(requireRole("admin"));

/** The signed-in admin, as the audit log names them. */

async function page(
  c: Context<AppEnv>,
  extra: { error?: string; notice?: string; values?: { domain: string; reason: string } } = {},
  status: 200 | 400 = 200,
) {
  const t = c.get("t");
  const blocks = await listDomainBlocks(c.get("deps").db);
  return render(
    c,
    { title: t("domains.title") },
    <DomainBlocksPage blocks={blocks} csrf={c.get("csrfToken")} t={t} locale={c.get("locale")} {...extra} />,
    status,
  );
}

async function postedFields(c: Context<AppEnv>): Promise<{ domain: string; reason: string } | null> {
  const form = await c.req.parseBody();
  if (!validCsrf(c, form[CSRF_FIELD])) return null;
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
  return { domain: text("domain"), reason: text("reason") };
}

domainBlockRoutes.get("/", (c) => {
  const t = c.get("t");
  const notice = c.req.query("blocked")
    ? t("domains.blocked", { domain: c.req.query("blocked") ?? "", count: c.req.query("purged") ?? "0" })
    : c.req.query("unblocked")
      ? t("domains.unblocked", { domain: c.req.query("unblocked") ?? "" })
      : undefined;
  return page(c, { notice });
});

domainBlockRoutes.post("/", async (c) => {
  const fields = await postedFields(c);
  if (!fields) return c.text(c.get("t")("form.csrf"), 403);
  try {
    const { domain, purgedActors } = await blockDomainAudited(
      c.get("deps").db,
      auditActor(c),
      fields.domain,
      fields.reason,
    );
    const query = new URLSearchParams({ blocked: domain, purged: String(purgedActors) });
    return c.redirect(`/admin/domains?${query}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return page(c, { error: error.message, values: fields }, 400);
  }
});

domainBlockRoutes.post("/unblock", async (c) => {
  const fields = await postedFields(c);
  if (!fields) return c.text(c.get("t")("form.csrf"), 403);
  try {
    await unblockDomainAudited(c.get("deps").db, auditActor(c), fields.domain);
    return c.redirect(
      `/admin/domains?${new URLSearchParams({ unblocked: normalizeDomain(fields.domain) })}`,
      303,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return page(c, { error: error.message }, 400);
  }
});
