import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * The address a request came from, for rate limits. X-Forwarded-For is believed only when the
 * operator says a reverse proxy sets it (TRUST_PROXY=true); otherwise anyone could forge it.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}
