import type { MiddlewareHandler } from "hono";
import { clientAddress } from "./client-address.ts";
import type { AppEnv } from "./env.ts";
import { foreignContexts, signatureHolds } from "./foreign-contexts.ts";
import { publicRequest } from "./public-request.ts";
import type { RateLimiter } from "./rate-limit.ts";

export const MAX_INBOX_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_ARRAY = 1000;
const INBOX_PATH = /^\/(inbox|users\/[^/]+\/inbox)\/?$/;

function problem(status: 400 | 401 | 413 | 429, message: string): Response {
  return Response.json({ error: message }, { status });
}

/**
 * PostgreSQL's jsonb refuses NUL characters and unpaired surrogates (`\u0000`, `\ud800`): an
 * activity holding one could never be queued or stored, and its sender would retry forever.
 */
function unstorable(text: string): boolean {
  return text.includes("\u0000") || !text.isWellFormed();
}

/**
 * `@context` must be a URL, an inline context object, or a list of those; anything else makes
 * JSON-LD processing throw. (Which URLs are loaded is the context loader's business.)
 */
function badContext(context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context];
  return entries.some((entry) => {
    if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) return false;
    if (typeof entry !== "string") return true;
    try {
      return !/^https?:$/.test(new URL(entry).protocol);
    } catch {
      return true;
    }
  });
}

/**
 * Rejects documents nested too deep, with huge arrays, with strings PostgreSQL cannot store or
 * with a malformed `@context`, before any JSON-LD work is done.
 */
export function checkShape(value: unknown, depth = 0): string | null {
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
  if (typeof value === "string") {
    return unstorable(value) ? "a string holds a NUL character or an unpaired surrogate" : null;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY) return `an array has more than ${MAX_ARRAY} elements`;
    for (const v of value) {
      const reason = checkShape(v, depth + 1);
      if (reason) return reason;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (unstorable(key)) return "a key holds a NUL character or an unpaired surrogate";
      if (key === "@context" && badContext(v)) return "@context must be URLs or context objects";
      const reason = checkShape(v, depth + 1);
      if (reason) return reason;
    }
  }
  return null;
}

/** Reads at most `limit` bytes of a body; null when it is larger. */
async function readCapped(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * DESIGN.md §5 rule 4 at the door of every inbox: over 1 MB → 413, malformed JSON → 400, too
 * deep or too wide → 400, too many requests from one address → 429. Signatures are checked after
 * this by Fedify, on the same bytes.
 */
export function inboxGuard(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    const address = clientAddress(c);
    if (!(await limiter.take(address))) return problem(429, "too many requests; slow down");
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_INBOX_BYTES) return problem(413, `body larger than ${MAX_INBOX_BYTES} bytes`);
    const body = await readCapped(c.req.raw, MAX_INBOX_BYTES);
    if (body == null) return problem(413, `body larger than ${MAX_INBOX_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return problem(400, "body is not valid JSON");
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      return problem(400, "body must be a JSON object (an activity)");
    }
    const reason = checkShape(json);
    if (reason) return problem(400, `activity rejected: ${reason}`);
    if (foreignContexts(json).size > 0) {
      const signed = publicRequest(c.req.raw, c.get("deps").config.publicUrl, body);
      if (!(await signatureHolds(signed, c.get("deps")))) {
        return problem(401, "an activity naming other @context documents needs a valid signature first");
      }
    }
    // Hand Fedify a fresh request with the bytes we read (the signature digest covers them).
    c.req.raw = new Request(c.req.raw.url, {
      method: "POST",
      headers: c.req.raw.headers,
      body: new Uint8Array(body),
    });
    return next();
  };
}
