import { ValidationError } from "../domain/errors.ts";
import { type ExtractedArticle, extractArticle, MIN_ARTICLE_TEXT } from "./article.ts";
import { SafeFetchError, type SafeFetchOptions, type SafeResponse, safeFetch } from "./safe-fetch.ts";

/** A news page is well under this; anything bigger is not worth parsing. */
export const MAX_PAGE_BYTES = 3 * 1024 * 1024;

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

export type FetchOptions = Pick<SafeFetchOptions, "allowPrivateAddress" | "isAllowedAddress">;

/** A page fetched for import, and its article. */
export interface ImportedPage extends ExtractedArticle {
  /** Where the page was finally read, after redirects. */
  url: string;
}

function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
  };
  return phrases[status] ? `${status} ${phrases[status]}` : String(status);
}

/**
 * Fetches `url` through the one SSRF-safe fetcher and returns the response when it is a 200.
 * Each failure is a ValidationError on `field` that says what was wrong with the address.
 */
export async function fetchForImport(
  field: string,
  url: string,
  options: FetchOptions & { accept: string; maxBytes: number; headers?: Record<string, string> },
): Promise<SafeResponse> {
  let response: SafeResponse;
  try {
    response = await safeFetch(url, options);
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new ValidationError(field, `could not be fetched: ${error.message}`);
    }
    throw error;
  }
  if (response.status === 304) return response;
  if (response.status !== 200) {
    throw new ValidationError(field, `${response.url} answered ${reasonPhrase(response.status)}`);
  }
  return response;
}

function mediaType(response: SafeResponse): string {
  return (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * Reads the article of a web page: fetched safely, refused unless it is HTML, extracted with
 * Readability and sanitized. Errors name the field (`url`) and the problem; nothing is stored.
 */
export async function importPage(url: string, options: FetchOptions, field = "url"): Promise<ImportedPage> {
  const response = await fetchForImport(field, url, {
    ...options,
    accept: "text/html, application/xhtml+xml;q=0.9",
    maxBytes: MAX_PAGE_BYTES,
  });
  const type = mediaType(response);
  if (!HTML_TYPES.has(type)) {
    throw new ValidationError(field, `is not a web page: ${response.url} is ${type || "of no stated type"}`);
  }
  const article = extractArticle(response.text(), response.url);
  if (!article) {
    throw new ValidationError(
      field,
      `no article found on ${response.url} (no block of at least ${MIN_ARTICLE_TEXT} characters of text)`,
    );
  }
  return { ...article, url: response.url };
}
