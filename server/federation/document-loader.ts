import { type AuthenticatedDocumentLoaderFactory, type KvStore, kvCache, signRequest } from "@fedify/fedify";
import {
  type DocumentLoader,
  type DocumentLoaderFactory,
  getRemoteDocument,
  preloadedContexts,
  type RemoteDocument,
} from "@fedify/vocab-runtime";
import { safeFetch } from "../ingest/safe-fetch.ts";
import { hours } from "./temporal.ts";

const ACCEPT =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
/** Actors and objects are a few kB; anything this large is a mistake or an attack. */
const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** Real JSON-LD contexts are a few kB (Mastodon's, litepub's); 1.8 MB ones were an attack. */
const MAX_CONTEXT_BYTES = 256 * 1024;
/** Only small contexts are kept in the KV store, so nobody can fill it with big ones. */
const MAX_CACHED_CONTEXT_BYTES = 64 * 1024;
const CACHE_PREFIX = ["_fedify", "remoteDocument"] as const;

interface LoaderDefaults {
  allowPrivateAddress: boolean;
  kv: KvStore;
}

/**
 * A context loader's cache: preloaded contexts (ActivityStreams, security, …) are answered
 * without asking the KV store; others are kept there for a day (and read from memory for a
 * minute by KvStoreWithList), none above MAX_CACHED_CONTEXT_BYTES.
 */
function cacheSmall(loader: DocumentLoader, kv: KvStore): DocumentLoader {
  return async (url) => {
    const known = preloaded(url);
    if (known) return known;
    const key = [...CACHE_PREFIX, url] as const;
    const cached = await kv.get<Awaited<ReturnType<DocumentLoader>>>(key);
    if (cached) return cached;
    const loaded = await loader(url);
    if (JSON.stringify(loaded.document).length <= MAX_CACHED_CONTEXT_BYTES) {
      await kv.set(key, loaded, { ttl: hours(24) });
    }
    return loaded;
  };
}

/** One GET through the SSRF-safe fetcher, parsed as Fedify's loaders do. */
async function fetchDocument(
  url: string,
  options: { allowPrivateAddress: boolean; maxBytes: number; headers?: Record<string, string> },
  load: DocumentLoader,
): Promise<Awaited<ReturnType<DocumentLoader>>> {
  const fetched = await safeFetch(url, { ...options, accept: ACCEPT });
  const body = fetched.status === 204 || fetched.status === 304 ? null : new Uint8Array(fetched.body);
  const response = new Response(body, { status: fetched.status, headers: fetched.headers });
  return getRemoteDocument(fetched.url, response, load);
}

/**
 * A preloaded context, tagged "static": jsonld.js then keeps the context it resolved from it
 * across expansions (its shared cache; untagged, it resolves the document again in every
 * expansion). Every received activity is expanded at least twice (the inbox, the queue): parsing
 * a Create(Note) took 212–278 → 167–227 µs. Only these: a fetched context may change.
 */
function preloaded(url: string): Awaited<ReturnType<DocumentLoader>> | null {
  if (!Object.hasOwn(preloadedContexts, url)) return null;
  const known: RemoteDocument & { tag: "static" } = {
    contextUrl: null,
    documentUrl: url,
    document: preloadedContexts[url],
    tag: "static",
  };
  return known;
}

/**
 * Fedify's fetches of remote actors, objects and JSON-LD contexts, through our one SSRF-safe
 * fetcher (DESIGN.md §5 rule 5): address checks after DNS and on every redirect, pinned sockets,
 * a 10 s timeout and a size cap. Common contexts come preloaded; results are cached in the KV
 * store as Fedify's own loader does.
 */
export function safeDocumentLoaderFactory(
  defaults: LoaderDefaults,
  kind: "documents" | "contexts" = "documents",
): DocumentLoaderFactory {
  const maxBytes = kind === "contexts" ? MAX_CONTEXT_BYTES : MAX_DOCUMENT_BYTES;
  // Fedify asks for a loader per request and per queued message; the loader depends only on
  // whether private addresses are allowed, so each is built once: building Fedify's kvCache
  // parses Temporal durations and a URLPattern (60–72 µs each time).
  const loaders = new Map<boolean, DocumentLoader>();
  const build = (allowPrivateAddress: boolean): DocumentLoader => {
    const load: DocumentLoader = async (url) =>
      preloaded(url) ?? fetchDocument(url, { allowPrivateAddress, maxBytes }, load);
    if (kind === "contexts") return cacheSmall(load, defaults.kv);
    return kvCache({ loader: load, kv: defaults.kv, prefix: [...CACHE_PREFIX] });
  };
  return (options) => {
    // Fedify passes allowPrivateAddress=false explicitly in places; only configuration may allow it.
    const allowPrivateAddress = defaults.allowPrivateAddress || options?.allowPrivateAddress === true;
    let loader = loaders.get(allowPrivateAddress);
    if (!loader) {
      loader = build(allowPrivateAddress);
      loaders.set(allowPrivateAddress, loader);
    }
    return loader;
  };
}

/**
 * Signed fetches (the instance actor's, for servers in authorized-fetch mode) through the same
 * SSRF-safe fetcher, signed with draft-cavage HTTP signatures, which every such server accepts
 * for GET. Not cached, as Fedify's own authenticated loader: an answer may depend on the signer.
 */
export function authenticatedLoaderFactory(defaults: LoaderDefaults): AuthenticatedDocumentLoaderFactory {
  return (identity, options) => {
    const allowPrivateAddress = defaults.allowPrivateAddress || options?.allowPrivateAddress === true;
    const load: DocumentLoader = async (url) => {
      const known = preloaded(url);
      if (known) return known;
      const unsigned = new Request(url, { headers: { Accept: ACCEPT } });
      const signed = await signRequest(unsigned, identity.privateKey, identity.keyId, {
        spec: "draft-cavage-http-signatures-12",
      });
      const headers = Object.fromEntries(signed.headers);
      return fetchDocument(url, { allowPrivateAddress, maxBytes: MAX_DOCUMENT_BYTES, headers }, load);
    };
    return load;
  };
}
