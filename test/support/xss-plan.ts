import { marked } from "marked";
import { sanitizeHtml } from "../../server/ingest/sanitize.ts";
import {
  batches,
  chunks,
  HTML_PAYLOADS,
  MARKDOWN_PAYLOADS,
  type Payload,
  URL_PAYLOADS,
} from "./xss-corpus.ts";

/**
 * How the corpus is laid out in posts. A payload after which our pipeline drops the rest of the
 * document (sanitizer or Markdown) goes last in its batch (see `batches`), so every payload gets
 * rendered and its sentinel shown.
 */
const swallowsHtml = (p: Payload) => !sanitizeHtml(`${p.value}<p>⟦0⟧</p>`).includes("⟦0⟧");
const markdownHtml = (md: string) => sanitizeHtml(marked.parse(md, { async: false }) as string);
const swallowsMarkdown = (p: Payload) => !markdownHtml(`${p.value}\n\n⟦0⟧\n`).includes("⟦0⟧");

export const HTML_BATCHES = batches(HTML_PAYLOADS, 36, swallowsHtml);
/**
 * Markdown's own payloads and every other HTML one: raw HTML passes Markdown unchanged, and the
 * HTML format takes them all; those that cut a Markdown document short are left out here.
 */
export const MARKDOWN_BATCHES = chunks(
  [...MARKDOWN_PAYLOADS, ...HTML_PAYLOADS.filter((_, i) => i % 2 === 0)].filter((p) => !swallowsMarkdown(p)),
  150,
);
/** URL values that are still http(s) URLs: for fields that refuse anything else. */
export const HTTP_URLS = URL_PAYLOADS.filter((p) => /^\s*https?:\/\/[a-z]/i.test(p.value));
