import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * Hands every request to Fedify first (WebFinger, NodeInfo, actors, objects, collections,
 * inboxes). What Fedify does not serve, or serves only as JSON to a browser asking for HTML,
 * falls through to our Hono routes. (@fedify/hono 2.x is not published; this is its logic.)
 */
export function federationBridge(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { federation, db, config } = c.get("deps");
    let fallThrough = false;
    const response = await federation.fetch(c.req.raw, {
      contextData: { db, config },
      onNotFound: () => {
        fallThrough = true;
        return new Response(null, { status: 404 });
      },
      onNotAcceptable: () => {
        fallThrough = true;
        return new Response(null, { status: 406 });
      },
    });
    if (!fallThrough) return response;
    await next();
  };
}
