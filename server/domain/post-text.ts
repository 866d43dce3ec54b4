import { marked } from "marked";
import { htmlToText, sanitizeHtml } from "../ingest/sanitize.ts";
import { ValidationError } from "./errors.ts";

/** Misskey stores `name` in 256 characters and `summary` in 512; longer ones lose the post. */
export const MAX_TITLE = 250;
export const MAX_SUMMARY = 500;
export const MAX_CONTENT = 200_000;

/** The words of a post in one language, as the editor typed them. */
export interface TextInput {
  title: string;
  summary?: string;
  content: string;
  format?: "html" | "markdown";
}

export interface PreparedText {
  title: string;
  summary: string;
  /** Sanitized HTML. */
  content: string;
  /** What was typed (Markdown or HTML). */
  source: string;
}

/** A summary Mastodon can show alone: the first sentences of the text, cut at a word. */
export function summarize(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const sentences = clean.match(/[^.!?]+[.!?]+/g) ?? [];
  let out = "";
  for (const sentence of sentences) {
    if ((out + sentence).length > max) break;
    out += sentence;
  }
  if (out.trim()) return out.trim();
  return `${clean.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/**
 * Validates and cleans the title, summary and body of one language version. `facts` (in that
 * language) lead the summary: Mastodon shows only the summary of an Article, Event or Video.
 * Errors name the field, prefixed for a translation ("lv title: …").
 */
export function prepareText(input: TextInput, facts: string, prefix = ""): PreparedText {
  const field = (name: string) => `${prefix}${name}`;
  const title = input.title.trim();
  if (!title) throw new ValidationError(field("title"), "must not be empty");
  if (title.length > MAX_TITLE) {
    throw new ValidationError(
      field("title"),
      `must be at most ${MAX_TITLE} characters (it has ${title.length})`,
    );
  }
  if (!input.content.trim()) throw new ValidationError(field("content"), "must not be empty");
  if (input.content.length > MAX_CONTENT) {
    throw new ValidationError(field("content"), `must be at most ${MAX_CONTENT} characters`);
  }
  const html =
    input.format === "markdown" ? (marked.parse(input.content, { async: false }) as string) : input.content;
  const content = sanitizeHtml(html);
  if (!htmlToText(content).trim()) {
    throw new ValidationError(field("content"), "has no text left after cleaning");
  }
  // Plain text: Misskey and others show the summary as a raw-text content warning.
  const written = input.summary?.trim() ? htmlToText(input.summary).trim() : "";
  const room = MAX_SUMMARY - (facts ? facts.length + 2 : 0);
  const text = written || summarize(htmlToText(content), Math.min(280, Math.max(0, room)));
  // "… · 50 min." ends a sentence already: no second full stop.
  const joiner = /[.!?]$/.test(facts) ? " " : ". ";
  const summary = facts ? (text ? `${facts}${joiner}${text}` : facts) : text;
  if (summary.length > MAX_SUMMARY) {
    throw new ValidationError(
      field("summary"),
      facts
        ? `must be at most ${room} characters with the facts before it (it has ${text.length})`
        : `must be at most ${MAX_SUMMARY} characters (it has ${summary.length})`,
    );
  }
  return { title, summary, content, source: input.content };
}

/** The editor's summary without the facts we put before it (for the edit form). */
export function withoutFacts(summary: string, facts: string): string {
  if (!facts || !summary.startsWith(facts)) return summary;
  return summary.slice(facts.length).replace(/^\.? /, "");
}
