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
    // Behind a TLS-terminating proxy the request arrives as http://internal:port; Fedify must see
    // the public URL, or RFC 9421 signatures (which cover the URL) and generated links break.
    const url = new URL(c.req.path + new URL(c.req.url).search, config.publicUrl);
    const request = url.href === c.req.url ? c.req.raw : new Request(url, c.req.raw);
    const response = await federation.fetch(request, {
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
