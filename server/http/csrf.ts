import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env.ts";

export const CSRF_COOKIE = "csrf";
export const CSRF_FIELD = "_csrf";

/**
 * Double-submit CSRF protection for every form: a random token in a SameSite=Strict cookie
 * must come back in the form's hidden field. Federation and JSON API routes are exempt (the
 * former are signed, the latter carry no cookies' authority).
 */
export function csrfToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{32,64}$/.test(token)) {
      token = randomBytes(24).toString("base64url");
      setCookie(c, CSRF_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: c.get("deps").config.publicUrl.protocol === "https:",
      });
    }
    c.set("csrfToken", token);
    await next();
  };
}

/** Checks the submitted token of a parsed form body. */
export function validCsrf(c: Context<AppEnv>, submitted: unknown): boolean {
  const expected = getCookie(c, CSRF_COOKIE);
  if (typeof submitted !== "string" || !expected) return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
