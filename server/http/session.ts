import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Role } from "../domain/users.ts";
import { sessionUser } from "../domain/users.ts";
import type { AppEnv } from "./env.ts";

export const SESSION_COOKIE = "session";

/** Loads the signed-in user (if any) from the session cookie. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set("user", token ? await sessionUser(c.get("deps").db, token) : null);
    await next();
  };
}

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: c.get("deps").config.publicUrl.protocol === "https:",
    maxAge: 14 * 86_400,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** Admin routes: signed in, with one of the given roles; otherwise to the login page or 403. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get("user");
    if (!user) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!roles.includes(user.role)) return c.text(c.get("t")("admin.forbidden"), 403);
    await next();
  };
}
