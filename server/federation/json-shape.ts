import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";

/**
 * The last touches on the JSON Fedify writes, for what Mastodon and Misskey read (DESIGN.md §4):
 *
 * - `attachment` and `tag` are always arrays in the documents we serve. JSON-LD compaction writes
 *   a one-element list as a single value, and Mastodon reads profile fields only from an array.
 * - Our actors list `attributionDomains` (Mastodon's term, not in Fedify's vocabulary), so link
 *   cards of our pages credit the library via `<meta name="fediverse:creator">`.
 *
 * Sent activities are signed before they reach us, so only what cannot wait is changed there:
 * `attributionDomains` in an `Update` of our actor (Mastodon would otherwise clear it). That one
 * change is outside the activity's Object Integrity Proof and Linked Data signature, which then
 * no longer verify; receivers fall back to the HTTP signature, which covers the body as sent.
 * (Fedify already turns a single `attachment` of sent activities into an array before signing,
 * and Mastodon and Misskey read a single `tag` in an activity as well as an array.)
 */
export interface ShapeOptions {
  /** Our public origin: only our own actors get attributionDomains. */
  origin: URL;
  /** Wrap single `attachment` and `tag` values in arrays (served documents only, see above). */
  arrays: boolean;
}

const ALWAYS_ARRAYS = ["attachment", "tag"] as const;
const ACTOR_TYPES = new Set(["Organization", "Person", "Service", "Application", "Group"]);
const ATTRIBUTION_DOMAINS_TERM = {
  attributionDomains: { "@id": "http://joinmastodon.org/ns#attributionDomains", "@type": "@id" },
};
// Deeper than any document we write; a bound keeps the walk cheap and safe.
const MAX_DEPTH = 32;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value != null && !Array.isArray(value);
}

/** Returns whether an actor of ours was found (so the root context needs the term). */
function shapeNode(node: Json, options: ShapeOptions, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(node)) {
    let found = false;
    for (const child of node) found = shapeNode(child, options, depth + 1) || found;
    return found;
  }
  if (!isObject(node)) return false;
  let found = false;
  if (options.arrays) {
    for (const key of ALWAYS_ARRAYS) {
      const value = node[key];
      if (value !== undefined && !Array.isArray(value)) node[key] = [value];
    }
  }
  const id = typeof node.id === "string" ? node.id : null;
  if (typeof node.type === "string" && ACTOR_TYPES.has(node.type) && id?.startsWith(options.origin.href)) {
    node.attributionDomains = [options.origin.host];
    found = true;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== "@context" && typeof child === "object") {
      found = shapeNode(child, options, depth + 1) || found;
    }
  }
  return found;
}

/** Shapes a JSON-LD document in place (see above) and returns it. */
export function shapeJson<T>(document: T, options: ShapeOptions): T {
  const root = document as unknown as Json;
  if (!isObject(root)) return document;
  if (shapeNode(root, options, 0)) {
    const context = root["@context"];
    const list = Array.isArray(context) ? context : context == null ? [] : [context];
    const hasTerm = list.some((entry) => isObject(entry) && "attributionDomains" in entry);
    if (!hasTerm) root["@context"] = [...list, ATTRIBUTION_DOMAINS_TERM];
  }
  return document;
}

const JSON_LD_TYPE = /^application\/(activity\+json|ld\+json)/;

/** A served ActivityPub document, shaped; any other response is returned as it is. */
export async function shapeResponse(response: Response, options: ShapeOptions): Promise<Response> {
  if (!JSON_LD_TYPE.test(response.headers.get("content-type") ?? "") || response.body == null) {
    return response;
  }
  const document: unknown = await response.json();
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(shapeJson(document, options)), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * Fedify's outgoing activities are serialized and signed before they are enqueued; this queue
 * shapes each message's `activity` on its way in, so what is delivered is shaped too.
 */
export class ShapingQueue implements MessageQueue {
  readonly nativeRetrial: boolean;

  constructor(
    private readonly inner: MessageQueue & Required<Pick<MessageQueue, "enqueueMany">>,
    private readonly options: ShapeOptions,
  ) {
    this.nativeRetrial = inner.nativeRetrial ?? false;
  }

  #shape(message: unknown): unknown {
    if (isObject(message) && isObject(message.activity)) shapeJson(message.activity, this.options);
    return message;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.inner.enqueue(this.#shape(message), options);
  }

  enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.inner.enqueueMany(
      messages.map((m) => this.#shape(m)),
      options,
    );
  }

  listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) {
    return this.inner.listen(handler, options);
  }
}
