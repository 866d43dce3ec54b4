import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { LOCALES, type Locale, negotiateLocale, translator } from "../../web/i18n/index.ts";
import { setUserLocale } from "../domain/users.ts";
import type { AppEnv } from "./env.ts";

const isLocale = (value: string | undefined): value is Locale =>
  value != null && (LOCALES as readonly string[]).includes(value);

/**
 * The interface language of a page: the language switch (`?lang=`, then kept in a cookie and, for
 * a signed-in user, as their setting), else the user's setting, else the cookie, else the
 * browser's Accept-Language, else English. Runs after the session is loaded.
 */
export function pickLocale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const chosen = c.req.query("lang");
    const user = c.get("user");
    if (isLocale(chosen)) {
      setCookie(c, "lang", chosen, {
        path: "/",
        sameSite: "Lax",
        maxAge: 31_536_000,
        secure: c.get("deps").config.publicUrl.protocol === "https:",
      });
      if (user && user.locale !== chosen) await setUserLocale(c.get("deps").db, user.id, chosen);
    }
    const explicit = isLocale(chosen) ? chosen : (user?.locale ?? getCookie(c, "lang"));
    const locale = negotiateLocale(explicit ?? undefined, c.req.header("accept-language"));
    c.set("locale", locale);
    c.set("t", translator(locale));
    await next();
  };
}
