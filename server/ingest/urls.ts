/**
 * The one check for URLs that came from elsewhere (remote documents, imports, forms): only
 * absolute http(s) URLs pass. Used where they are stored and again where pages link them, so a
 * `javascript:` or `data:` URL never becomes a link, an image or a redirect.
 */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  if (typeof value !== "string" || value.length > 4096) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** For JSX attributes: the URL if it is http(s), else no attribute at all. */
export function safeHref(value: string | null | undefined): string | undefined {
  return httpUrlOrNull(value) ?? undefined;
}
