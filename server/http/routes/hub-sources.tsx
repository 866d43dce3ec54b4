import { type Context, Hono } from "hono";
import { HubSourcesPage } from "../../../web/pages/hub-sources.tsx";
import { ValidationError } from "../../domain/errors.ts";
import { findSourceActor, hubAccount, listHubSources, setSourceCountry } from "../../domain/hub-sources.ts";
import { backfillSource, followInstance, followSource, unfollowSource } from "../../services/hub-sources.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import { render } from "../render.tsx";
import { requireRole } from "../session.ts";

/** /admin/hub/sources: follow, unfollow and backfill the hub's sources (curators and admins). */
export const hubSourceRoutes = new Hono<AppEnv>();

hubSourceRoutes.use(requireRole("admin", "curator"));

async function page(
  c: Context<AppEnv>,
  extra: { error?: string; notice?: string } = {},
  status: 200 | 400 = 200,
) {
  const t = c.get("t");
  const { db, config } = c.get("deps");
  const isHub = config.instanceRole === "hub";
  const account = isHub ? await hubAccount(db).catch(() => null) : null;
  const sources = account ? await listHubSources(db, account.id) : [];
  return render(
    c,
    { title: t("hub.title") },
    <HubSourcesPage sources={sources} isHub={isHub} csrf={c.get("csrfToken")} t={t} {...extra} />,
    status,
  );
}

/** The posted form's text fields, or null when its CSRF token is not valid. */
async function posted(c: Context<AppEnv>): Promise<Record<string, string> | null> {
  const form = await c.req.parseBody();
  if (!validCsrf(c, form[CSRF_FIELD])) return null;
  return Object.fromEntries(
    Object.entries(form).map(([key, value]) => [key, typeof value === "string" ? value : ""]),
  );
}

/** Runs a curator's action; a mistake shows on the page (400), success redirects with a notice. */
function action(run: (c: Context<AppEnv>, fields: Record<string, string>) => Promise<string>) {
  return async (c: Context<AppEnv>) => {
    const fields = await posted(c);
    if (!fields) return c.text(c.get("t")("form.csrf"), 403);
    try {
      const notice = await run(c, fields);
      return c.redirect(`/admin/hub/sources?${new URLSearchParams({ notice })}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return page(c, { error: error.message }, 400);
    }
  };
}

const services = (c: Context<AppEnv>) => c.get("deps");

hubSourceRoutes.get("/", (c) => page(c, { notice: c.req.query("notice")?.slice(0, 300) }));

hubSourceRoutes.post(
  "/",
  action(async (c, fields) => {
    await followSource(services(c), fields.target ?? "");
    return c.get("t")("hub.followed", { count: 1 });
  }),
);

hubSourceRoutes.post(
  "/instance",
  action(async (c, fields) => {
    const result = await followInstance(services(c), fields.instance ?? "");
    if (result.failed.length > 0 && result.followed.length === 0) {
      throw new ValidationError("instance", result.failed.map((f) => `${f.target}: ${f.error}`).join("; "));
    }
    return c.get("t")("hub.followed", { count: result.followed.length });
  }),
);

hubSourceRoutes.post(
  "/unfollow",
  action(async (c, fields) => {
    const actor = await unfollowSource(services(c), fields.target ?? "");
    return c.get("t")("hub.unfollowed", { name: actor.name || actor.handle });
  }),
);

hubSourceRoutes.post(
  "/backfill",
  action(async (c, fields) => {
    await backfillSource(services(c), fields.target ?? "", { queue: true });
    const actor = await findSourceActor(services(c).db, fields.target ?? "");
    return c.get("t")("hub.backfillStarted", { name: actor?.name || actor?.handle || "" });
  }),
);

hubSourceRoutes.post(
  "/country",
  action(async (c, fields) => {
    const actor = await findSourceActor(services(c).db, fields.target ?? "");
    if (!actor) throw new ValidationError("target", `${fields.target} is not a source of this hub`);
    await setSourceCountry(services(c).db, actor.id, fields.country || null);
    return c.get("t")("hub.countrySaved");
  }),
);
