/**
 * The request as its sender made it: behind a TLS-terminating proxy it arrives as
 * http://internal:port, but signatures cover the public URL and Host, and Fedify builds links
 * from them. `body` replaces the (already read) body when given.
 */
export function publicRequest(raw: Request, publicUrl: URL, body?: Uint8Array): Request {
  const original = new URL(raw.url);
  const url = new URL(original.pathname + original.search, publicUrl);
  if (body == null && url.href === raw.url && raw.headers.get("host") === url.host) return raw;
  const headers = new Headers(raw.headers);
  headers.set("host", url.host);
  // `duplex` is required by Node for a streamed body but missing from lib.dom's RequestInit.
  return new Request(url, {
    method: raw.method,
    headers,
    body: body ?? raw.body,
    duplex: "half",
  } as RequestInit);
}
