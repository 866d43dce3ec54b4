import { getLogger } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import postgres from "postgres";
import { shapeResponse } from "../federation/json-shape.ts";
import { installParsedKeyCache } from "../federation/key-import-cache.ts";
import type { AppEnv } from "./env.ts";
import { publicRequest } from "./public-request.ts";

const logger = getLogger(["baltic", "inbox"]);

/** Errors of the database or the network under us: those are 500s whatever the input was. */
function isOwnFailure(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_\w+)$/.test(code);
}

/**
 * Hands every request to Fedify first (WebFinger, NodeInfo, actors, objects, collections,
 * inboxes). What Fedify does not serve, or serves only as JSON to a browser asking for HTML,
 * falls through to our Hono routes. (@fedify/hono 2.x is not published; this is its logic.)
 */
export function federationBridge(): MiddlewareHandler<AppEnv> {
  // Inbox POSTs would otherwise parse their sender's cached key document each time.
  installParsedKeyCache();
  return async (c, next) => {
    const { federation, db, config } = c.get("deps");
    let fallThrough = false;
    const request = publicRequest(c.req.raw, config.publicUrl);
    const url = new URL(request.url);
    let response: Response;
    try {
      response = await federation.fetch(request, {
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
    } catch (error) {
      // A body Fedify's JSON-LD processing chokes on is the sender's mistake, not ours: 400 with a
      // log line, so a real sender stops retrying. Our own failures (the database) stay 500s.
      if (request.method !== "POST" || isOwnFailure(error)) throw error;
      logger.warn("Refused a malformed activity on {path}: {error}", { path: url.pathname, error });
      return Response.json({ error: "malformed activity" }, { status: 400 });
    }
    // Served documents get the same last touches as sent ones (json-shape.ts).
    if (!fallThrough) return shapeResponse(response, { origin: config.publicUrl, arrays: true });
    await next();
  };
}
