import { getLogger } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import { isBlockedActor } from "../domain/actor-blocks.ts";
import type { AppEnv } from "./env.ts";

const INBOX_PATH = /^\/(inbox|users\/[^/]+\/inbox)\/?$/;
const logger = getLogger(["baltic", "http", "inbox"]);

/** The key id a request claims to be signed with (draft-cavage or RFC 9421). */
function claimedKeyId(request: Request): string | null {
  const header = request.headers.get("signature-input") ?? request.headers.get("signature") ?? "";
  return /keyid="([^"]{1,2048})"/i.exec(header)?.[1] ?? null;
}

/**
 * Refuses inbox POSTs signed by a blocked actor's key, before the body is read: a key id names
 * its actor (`<actor>#main-key`), and Fedify's signature check ties the activity to that key,
 * so a blocked actor's Follows, Creates and Flags alike never reach a handler. One in-memory set
 * lookup per request (server/domain/actor-blocks.ts).
 */
export function actorBlockGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    const keyId = claimedKeyId(c.req.raw);
    if (keyId && (await isBlockedActor(c.get("deps").db, keyId))) {
      logger.info("Inbox: refused an activity signed by {keyId}, whose actor is blocked", { keyId });
      return Response.json({ error: "this actor is blocked on this server" }, { status: 403 });
    }
    return next();
  };
}
