import { getLogger } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import { isBlockedHost } from "../domain/domain-blocks.ts";
import { clientAddress } from "./client-address.ts";
import type { AppEnv } from "./env.ts";
import { foreignContexts, signatureHolds } from "./foreign-contexts.ts";
import { publicRequest } from "./public-request.ts";
import type { RateLimiter } from "./rate-limit.ts";

export const MAX_INBOX_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_ARRAY = 1000;
/**
 * JSON-LD resolves relative IRIs with RFC 3986 dot-segment removal, which in jsonld.js costs the
 * square of the number of "/" in the string: 1 MB of "a/../" blocked the event loop for minutes,
 * before any signature check. Which strings are IRIs depends on the contexts, so the budget
 * covers every string: one text with 10,000 slashes passes, a megabyte of paths does not.
 */
const MAX_SLASH_COST = 10_000 ** 2;
/**
 * Fedify expands the JSON-LD before it checks the HTTP signature, and the work grows with every
 * context entry and with scoped contexts (applied again at each use): 900 entries took 1 s and
 * a 120 kB body with one scoped context 4 s, unsigned (999 of a signer's own context URL, 20 s).
 * Real servers send 2–4 entries and no scoped contexts.
 */
const MAX_CONTEXTS = 32;
const INBOX_PATH = /^\/(inbox|users\/[^/]+\/inbox)\/?$/;

const logger = getLogger(["baltic", "http", "inbox"]);

function problem(status: 400 | 401 | 403 | 429, message: string): Response {
  return Response.json({ error: message }, { status });
}

/**
 * 413 before the body is read: the connection is closed after it, and says so. (Left open, the
 * server drains the rest or drops the socket mid-upload, and the client's next request on that
 * connection failed with "other side closed".)
 */
function tooLarge(): Response {
  return Response.json(
    { error: `body larger than ${MAX_INBOX_BYTES} bytes` },
    { status: 413, headers: { Connection: "close" } },
  );
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

function slashCost(text: string): number {
  let n = 0;
  for (let i = text.indexOf("/"); i >= 0; i = text.indexOf("/", i + 1)) n++;
  return n * n;
}

interface Spent {
  slashCost: number;
  contexts: number;
}

function walk(value: unknown, depth: number, inContext: boolean, spent: Spent): string | null {
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
  if (typeof value === "string") {
    if (unstorable(value)) return "a string holds a NUL character or an unpaired surrogate";
    spent.slashCost += slashCost(value);
    return spent.slashCost > MAX_SLASH_COST ? "too many path segments (slashes) in its strings" : null;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY) return `an array has more than ${MAX_ARRAY} elements`;
    for (const v of value) {
      const reason = walk(v, depth + 1, inContext, spent);
      if (reason) return reason;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (unstorable(key)) return "a key holds a NUL character or an unpaired surrogate";
      // JSON-LD refuses a non-string id only when Fedify's queue parses it again, after the
      // sender was told 202 (found by fuzzing: `"id": 5`).
      if (!inContext && (key === "id" || key === "@id") && typeof v !== "string") {
        return "an id must be a string (an IRI)";
      }
      let context = inContext;
      if (key === "@context") {
        if (inContext) return "scoped contexts (an @context inside a context) are not accepted";
        if (badContext(v)) return "@context must be URLs or context objects";
        spent.contexts += Array.isArray(v) ? v.length : 1;
        if (spent.contexts > MAX_CONTEXTS) return `more than ${MAX_CONTEXTS} @context entries`;
        context = true;
      }
      const reason = walk(key, depth + 1, context, spent) ?? walk(v, depth + 1, context, spent);
      if (reason) return reason;
    }
  }
  return null;
}

/**
 * Rejects documents nested too deep, with huge arrays, with strings PostgreSQL cannot store, too
 * costly to resolve as IRIs, with a malformed `@context` or too many, before any JSON-LD work.
 */
export function checkShape(value: unknown): string | null {
  return walk(value, 0, false, { slashCost: 0, contexts: 0 });
}

/**
 * Reads at most `limit` bytes of a body; null when it is larger. A body of a declared length (every
 * fediverse server declares it) is read in one piece: @hono/node-server then reads it straight from
 * Node's request, without a web stream and a Request around it (50–100 µs less per POST), and
 * Node's parser never delivers more than the declared length. Others are read in chunks, counted.
 */
async function readCapped(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d{1,9}$/.test(declared) && Number(declared) <= limit) {
    const body = new Uint8Array(await request.arrayBuffer());
    return body.byteLength > limit ? null : body;
  }
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
 * The host of the key a request claims to be signed with (draft-cavage `Signature` or RFC 9421
 * `Signature-Input`): which server sends it, if the signature holds.
 */
export function claimedSigner(request: Request): string | null {
  const header = request.headers.get("signature-input") ?? request.headers.get("signature") ?? "";
  const keyId = /keyid="([^"]{1,2048})"/i.exec(header)?.[1];
  if (!keyId) return null;
  try {
    return new URL(keyId).host.toLowerCase();
  } catch {
    return null;
  }
}

export interface InboxLimits {
  /** POSTs per client address, counted before anything is read. */
  perAddress: RateLimiter;
  /**
   * Activities per sending server. Counted only when Fedify accepted the activity (its signature
   * held), and checked against the server the request claims, so forgeries naming a real server
   * are refused with it once it is over its budget but never spend that budget themselves.
   */
  perServer: RateLimiter;
}

function tooMany(message: string): Response {
  const response = problem(429, message);
  response.headers.set("Retry-After", "60");
  return response;
}

/**
 * DESIGN.md §5 rule 4 at the door of every inbox: over 1 MB → 413, malformed JSON → 400, too
 * deep or too wide → 400, too many requests from one address or one server → 429. Signatures are
 * checked after this by Fedify, on the same bytes.
 */
export function inboxGuard(limits: InboxLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    const address = clientAddress(c);
    if (!(await limits.perAddress.take(address))) return tooMany("too many requests; slow down");
    const server = claimedSigner(c.req.raw);
    if (server && (await isBlockedHost(c.get("deps").db, server))) {
      logger.info("Inbox: refused an activity from {server}, which is blocked", { server });
      return problem(403, `${server} is blocked on this server`);
    }
    if (server && (await limits.perServer.spent(server))) {
      logger.info("Inbox: {server} is over its rate limit; answering 429", { server });
      return tooMany(`too many activities from ${server}; slow down`);
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_INBOX_BYTES) return tooLarge();
    const body = await readCapped(c.req.raw, MAX_INBOX_BYTES);
    if (body == null) return tooLarge();
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
    await next();
    if (server && c.res.status >= 200 && c.res.status < 300) await limits.perServer.take(server);
  };
}
