import { type Context, Hono } from "hono";
import { findAccount } from "../../domain/accounts.ts";
import { RemoteFollowError, remoteFollowUrl } from "../../services/remote-follow.ts";
import { clientAddress } from "../client-address.ts";
import { CSRF_FIELD, validCsrf } from "../csrf.ts";
import type { AppEnv } from "../env.ts";
import type { RateLimiter } from "../rate-limit.ts";
import { render } from "../render.tsx";
import { profilePage } from "./public.tsx";

/**
 * The way to the visitor's server after the form. Not a 303: the Content-Security-Policy's
 * form-action 'self' covers a form's redirects too, so browsers would refuse a redirect to
 * another site. A Refresh (a navigation of this page, not of the form) goes there at once, and
 * the link does when a browser ignores Refresh.
 */
function continuePage(c: Context<AppEnv>, target: URL) {
  const t = c.get("t");
  c.header("Refresh", `0; url=${target.href}`);
  c.header("Cache-Control", "no-store");
  return render(
    c,
    { title: t("profile.remoteFollow.continueTitle") },
    <>
      <h1>{t("profile.remoteFollow.continueTitle")}</h1>
      <p>
        <a href={target.href} rel="noopener noreferrer">
          {t("profile.remoteFollow.continue", { host: target.host })}
        </a>
      </p>
    </>,
  );
}

/**
 * POST /users/:username/remote-follow: the visitor's handle → WebFinger on their server → on
 * to its follow page for this account (continuePage). Every problem is said next to the field (400), never a
 * 500. Per client address rate-limited: each attempt makes this server fetch from another.
 * The form carries the CSRF token every page's forms carry (csrf.ts), so another site cannot
 * make a visitor's browser send us WebFinger work.
 */
export function remoteFollowRoutes(limiter: RateLimiter) {
  const routes = new Hono<AppEnv>();

  routes.post("/users/:username/remote-follow", async (c) => {
    const { db, config } = c.get("deps");
    const t = c.get("t");
    const account = await findAccount(db, c.req.param("username"));
    if (!account) return render(c, { title: t("error.notFound") }, <h1>{t("error.notFound")}</h1>, 404);
    const form = await c.req.parseBody();
    const handle = typeof form.handle === "string" ? form.handle.trim().slice(0, 300) : "";
    if (!validCsrf(c, form[CSRF_FIELD]))
      return profilePage(c, account, { handle, error: t("form.csrf") }, 403);
    if (!(await limiter.take(clientAddress(c)))) {
      return profilePage(c, account, { handle, error: t("profile.remoteFollow.tooMany") }, 429);
    }
    const actorUri = new URL(`/users/${account.username}`, config.publicUrl).href;
    try {
      const target = await remoteFollowUrl(handle, actorUri, {
        allowPrivateAddress: config.allowPrivateAddress,
      });
      return continuePage(c, target);
    } catch (error) {
      if (!(error instanceof RemoteFollowError)) throw error;
      const message =
        error.problem === "handle"
          ? t("profile.remoteFollow.notHandle", { value: handle })
          : t(`profile.remoteFollow.${error.problem}`, { host: error.host });
      return profilePage(c, account, { handle, error: message }, 400);
    }
  });

  return routes;
}
