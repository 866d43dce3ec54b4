import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env.ts";

export const CSRF_COOKIE = "csrf";
export const CSRF_FIELD = "_csrf";

/**
 * CSRF protection for every form: a random value in a SameSite=Strict cookie, and in the form's
 * hidden field its HMAC under SECRET_KEY. A cross-site form cannot read the cookie, and a cookie
 * planted from a sibling subdomain is useless without the matching HMAC only we can make.
 * Federation routes are signed and the JSON API is read-only, so neither needs it.
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
    c.set("csrfToken", formToken(c.get("deps").config.secretKey, token));
    await next();
  };
}

function formToken(secret: string, cookie: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookie}`).digest("base64url");
}

/** Checks the submitted token of a parsed form body against the request's cookie. */
export function validCsrf(c: Context<AppEnv>, submitted: unknown): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  if (typeof submitted !== "string" || !cookie) return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(formToken(c.get("deps").config.secretKey, cookie));
  return a.length === b.length && timingSafeEqual(a, b);
}
