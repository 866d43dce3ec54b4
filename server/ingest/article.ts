import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { htmlToText, sanitizeHtml } from "./sanitize.ts";
import { httpUrlOrNull } from "./urls.ts";

/** What a web page's article is, once extracted and sanitized. */
export interface ExtractedArticle {
  title: string;
  byline: string | null;
  /** Plain text. */
  excerpt: string | null;
  /** Sanitized HTML, safe to store and render. */
  content: string;
  /** Absolute http(s). */
  leadImage: string | null;
  leadImageAlt: string | null;
  published: Date | null;
  /** Primary language subtag of `<html lang>` ("lt" for "lt-LT"). */
  language: string | null;
  /** `<link rel="canonical">` when it is http(s), else the page's own URL. */
  canonicalUrl: string;
}

/** Less text than this after cleaning is a navigation page or an error page, not an article. */
export const MIN_ARTICLE_TEXT = 200;

/** The parts of the DOM we read; linkedom's document, typed only as far as we use it. */
interface Element {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface PageDocument {
  documentElement: Element | null;
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): Iterable<Element>;
}

function meta(doc: PageDocument, ...keys: string[]): string | null {
  for (const key of keys) {
    const element = doc.querySelector(`meta[property="${key}"]`) ?? doc.querySelector(`meta[name="${key}"]`);
    const value = element?.getAttribute("content")?.trim();
    if (value) return value;
  }
  return null;
}

function absolute(value: string | null | undefined, base: string): string | null {
  if (!value) return null;
  try {
    return httpUrlOrNull(new URL(value.trim(), base).href);
  } catch {
    return null;
  }
}

/** A date a page states, or null; one in the future (a clock or a typo) is not believed. */
function dateOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime()) || date.getTime() > Date.now() + 24 * 3600_000) return null;
  return date;
}

type JsonRecord = Record<string, unknown>;

/** JSON-LD objects of the page, flattened through arrays and `@graph` (bounded: pages are hostile). */
function jsonLdObjects(doc: PageDocument): JsonRecord[] {
  const out: JsonRecord[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || out.length > 50 || value == null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 50)) visit(v, depth + 1);
      return;
    }
    const record = value as JsonRecord;
    out.push(record);
    if (record["@graph"]) visit(record["@graph"], depth + 1);
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ""), 0);
    } catch {
      // A broken JSON-LD block is ignored; the meta tags may still say enough.
    }
  }
  return out;
}

function jsonLdString(objects: JsonRecord[], key: string): string | null {
  for (const object of objects) {
    const value = object[key];
    if (typeof value === "string" && value.trim()) return value.trim();
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const name = (value as JsonRecord).name;
      if (typeof name === "string" && name.trim()) return name.trim();
    }
    if (Array.isArray(value)) {
      const first = value[0] as unknown;
      if (typeof first === "string") return first;
      if (first && typeof first === "object" && typeof (first as JsonRecord).name === "string") {
        return ((first as JsonRecord).name as string).trim();
      }
    }
  }
  return null;
}

function languageOf(doc: PageDocument): string | null {
  const lang = doc.documentElement?.getAttribute("lang") ?? meta(doc, "og:locale")?.replace("_", "-") ?? null;
  const primary = lang?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/**
 * Extracts the article of a page with Readability (over linkedom), with the metadata pages
 * state about themselves: OpenGraph, `article:published_time`, JSON-LD, `<time>`, `<html lang>`.
 * The content passes the one sanitizer. Null when the page holds no article.
 */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle | null {
  const { document } = parseHTML(html);
  // Readability resolves relative links and images against the document's URL; linkedom has none.
  Object.defineProperty(document, "baseURI", { value: pageUrl });
  Object.defineProperty(document, "documentURI", { value: pageUrl });
  const doc = document as unknown as PageDocument;
  // Read before Readability, which takes the document apart.
  const jsonLd = jsonLdObjects(doc);
  const language = languageOf(doc);
  const canonicalUrl = absolute(doc.querySelector('link[rel="canonical"]')?.getAttribute("href"), pageUrl);
  const leadImage = absolute(meta(doc, "og:image", "og:image:url", "twitter:image"), pageUrl);
  const leadImageAlt = meta(doc, "og:image:alt", "twitter:image:alt");
  const published =
    dateOf(meta(doc, "article:published_time", "og:published_time", "date")) ??
    dateOf(jsonLdString(jsonLd, "datePublished")) ??
    dateOf(doc.querySelector("article time[datetime], time[datetime]")?.getAttribute("datetime"));
  const metaTitle = meta(doc, "og:title", "twitter:title");
  const metaAuthor = meta(doc, "author", "article:author") ?? jsonLdString(jsonLd, "author");
  const metaExcerpt = meta(doc, "og:description", "description", "twitter:description");

  const parsed = new Readability(document as unknown as Document, {
    charThreshold: MIN_ARTICLE_TEXT,
  }).parse();
  if (!parsed?.content) return null;
  const content = sanitizeHtml(parsed.content);
  if (htmlToText(content).length < MIN_ARTICLE_TEXT) return null;
  const title = htmlToText(metaTitle ?? parsed.title ?? "");
  const excerpt = htmlToText(metaExcerpt ?? parsed.excerpt ?? "");
  return {
    title,
    byline: htmlToText(parsed.byline ?? metaAuthor ?? "") || null,
    excerpt: excerpt || null,
    content,
    leadImage,
    leadImageAlt: leadImageAlt ? htmlToText(leadImageAlt) : null,
    published,
    language,
    canonicalUrl: canonicalUrl ?? pageUrl,
  };
}
