import {
  type SafeFetchOptions,
  safeFetch,
  UnresolvableHostError,
  UnsafeUrlError,
} from "../ingest/safe-fetch.ts";

/** The WebFinger link a server names its "interact with this account" page by (Mastodon and most others). */
export const SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";

/** Why a remote follow could not start; the profile page says it next to the field. */
export type RemoteFollowProblem = "handle" | "unknown" | "private" | "unreachable";

export class RemoteFollowError extends Error {
  override name = "RemoteFollowError";
  constructor(
    readonly problem: RemoteFollowProblem,
    /** The host the handle names (empty when the handle could not be read). */
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

const HANDLE = /^@?([^@\s/?#:]+)@([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?)$/i;

/** `@you@your.server` (the leading @ optional) → user and host; null when it is not one. */
export function parseHandle(text: string): { user: string; host: string } | null {
  const match = HANDLE.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  return { user: match[1], host: match[2].toLowerCase() };
}

interface WebFingerLink {
  rel?: unknown;
  template?: unknown;
}

/**
 * Where to send a visitor who wants to follow `actorUri` from their own account `handle`: their
 * server's subscribe template from WebFinger with `{uri}` filled in, or Mastodon's
 * /authorize_interaction when it names none. WebFinger goes through the SSRF-safe fetcher.
 * Over https; over http only when private addresses are allowed (tests and the local demo,
 * whose loopback instances have no TLS) and https could not connect.
 */
export async function remoteFollowUrl(
  handle: string,
  actorUri: string,
  options: Pick<SafeFetchOptions, "allowPrivateAddress" | "lookup" | "timeoutMs">,
): Promise<URL> {
  const parsed = parseHandle(handle);
  if (!parsed) throw new RemoteFollowError("handle", "", `not a handle: ${handle.slice(0, 100)}`);
  const { user, host } = parsed;
  const schemes = options.allowPrivateAddress ? ["https:", "http:"] : ["https:"];
  let lastError: unknown;
  for (const scheme of schemes) {
    const origin = `${scheme}//${host}`;
    const url = new URL("/.well-known/webfinger", origin);
    url.searchParams.set("resource", `acct:${user}@${host}`);
    let response: Awaited<ReturnType<typeof safeFetch>>;
    try {
      response = await safeFetch(url, {
        ...options,
        accept: "application/jrd+json, application/json",
        maxBytes: 256 * 1024,
        maxRedirects: 3,
      });
    } catch (error) {
      if (error instanceof UnsafeUrlError) {
        throw new RemoteFollowError("private", host, error.message);
      }
      if (error instanceof UnresolvableHostError) {
        throw new RemoteFollowError("unknown", host, error.message);
      }
      lastError = error; // refused, TLS, timeout: the next scheme, if any, may answer
      continue;
    }
    if (response.status === 404 || response.status === 410) {
      throw new RemoteFollowError("unknown", host, `${host} has no account ${user}`);
    }
    if (response.status < 200 || response.status > 299) {
      throw new RemoteFollowError("unreachable", host, `WebFinger answered ${response.status}`);
    }
    return subscribeUrlFrom(response, origin, actorUri, host);
  }
  throw new RemoteFollowError("unreachable", host, (lastError as Error | undefined)?.message ?? "no answer");
}

function subscribeUrlFrom(
  response: { json(): unknown },
  origin: string,
  actorUri: string,
  host: string,
): URL {
  let document: unknown;
  try {
    document = response.json();
  } catch {
    throw new RemoteFollowError("unreachable", host, "WebFinger answered something other than JSON");
  }
  const links = (document as { links?: unknown } | null)?.links;
  const template = Array.isArray(links)
    ? (links as WebFingerLink[]).find((l) => l?.rel === SUBSCRIBE_REL && typeof l.template === "string")
        ?.template
    : undefined;
  if (typeof template === "string" && template.includes("{uri}")) {
    try {
      const target = new URL(template.replaceAll("{uri}", encodeURIComponent(actorUri)));
      // Only a web page: a javascript: or data: "template" must not become our redirect.
      if (target.protocol === "https:" || target.protocol === "http:") return target;
    } catch {
      // not a URL: use the usual address below
    }
  }
  const fallback = new URL("/authorize_interaction", origin);
  fallback.searchParams.set("uri", actorUri);
  return fallback;
}
