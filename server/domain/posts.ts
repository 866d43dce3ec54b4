import { and, eq, isNull } from "drizzle-orm";
import { marked } from "marked";
import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { type ItemAttachment, items } from "../db/schema/index.ts";
import { htmlToText, sanitizeHtml } from "../ingest/sanitize.ts";
import type { Account } from "./accounts.ts";
import { ValidationError } from "./errors.ts";
import type { Item } from "./items.ts";

export interface PostInput {
  title: string;
  summary?: string;
  content: string;
  format?: "html" | "markdown";
  language?: string;
  tags?: string[];
  imageUrl?: string;
  imageAlt?: string;
}

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const TAG = /^[\p{L}\p{N}_]{1,64}$/u;
/** Misskey stores `name` in 256 characters and `summary` in 512; longer ones lose the post. */
export const MAX_TITLE = 250;
export const MAX_SUMMARY = 500;
export const MAX_CONTENT = 200_000;

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

export type PreparedPost = ReturnType<typeof preparePost>;

/** Validates and normalizes editor input into the fields an item stores. */
export function preparePost(input: PostInput) {
  const title = input.title.trim();
  if (!title) throw new ValidationError("title", "must not be empty");
  if (title.length > MAX_TITLE) {
    throw new ValidationError("title", `must be at most ${MAX_TITLE} characters (it has ${title.length})`);
  }
  if (!input.content.trim()) throw new ValidationError("content", "must not be empty");
  if (input.content.length > MAX_CONTENT) {
    throw new ValidationError("content", `must be at most ${MAX_CONTENT} characters`);
  }
  const language = input.language?.trim() || null;
  if (language && !LANGUAGE_TAG.test(language)) {
    throw new ValidationError("language", "must be a language code such as lt, lv or en");
  }
  const tags = [...new Set((input.tags ?? []).map((t) => t.trim().replace(/^#/, "")).filter(Boolean))];
  for (const tag of tags) {
    if (!TAG.test(tag)) throw new ValidationError("tag", `"${tag}" may hold only letters, digits and _`);
  }
  const html =
    input.format === "markdown" ? (marked.parse(input.content, { async: false }) as string) : input.content;
  const content = sanitizeHtml(html);
  if (!htmlToText(content).trim()) throw new ValidationError("content", "has no text left after cleaning");
  // Plain text: Misskey and others show the summary as a raw-text content warning.
  const summary = input.summary?.trim() ? htmlToText(input.summary).trim() : summarize(htmlToText(content));
  if (summary.length > MAX_SUMMARY) {
    throw new ValidationError(
      "summary",
      `must be at most ${MAX_SUMMARY} characters (it has ${summary.length})`,
    );
  }
  const attachments: ItemAttachment[] = [];
  if (input.imageUrl) {
    let url: URL;
    try {
      url = new URL(input.imageUrl);
    } catch {
      throw new ValidationError("image", `"${input.imageUrl}" is not a URL`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new ValidationError("image", "must be an http(s) URL");
    }
    if (!input.imageAlt?.trim())
      throw new ValidationError("image-alt", "describe the image for people who cannot see it");
    // Type and size come from the image itself: services/publishing.ts fetches it.
    attachments.push({ url: url.href, name: input.imageAlt.trim() });
  }
  return { title, summary, content, source: input.content, language, tags, attachments };
}

export function articleIri(origin: URL, username: string, id: string): string {
  return new URL(`/users/${username}/articles/${id}`, origin).href;
}

export async function createPost(
  db: Db | Tx,
  origin: URL,
  account: Account,
  fields: PreparedPost,
): Promise<Item> {
  const id = uuidv7();
  const iri = articleIri(origin, account.username, id);
  const [item] = await db
    .insert(items)
    .values({ id, iri, url: iri, type: "Article", accountId: account.id, published: new Date(), ...fields })
    .returning();
  if (!item) throw new Error("insert returned no row");
  return item;
}

export async function updatePost(db: Db | Tx, item: Item, fields: PreparedPost): Promise<Item> {
  const [updated] = await db
    .update(items)
    .set({ ...fields, updated: new Date() })
    .where(and(eq(items.id, item.id), isNull(items.deletedAt)))
    .returning();
  if (!updated) throw new ValidationError("post", "was deleted");
  return updated;
}

/** Marks our item deleted; its URL then answers 410 Gone with a Tombstone. */
export async function deletePost(db: Db | Tx, item: Item): Promise<Item> {
  const [deleted] = await db
    .update(items)
    .set({ deletedAt: new Date(), content: "", summary: "", source: null })
    .where(eq(items.id, item.id))
    .returning();
  if (!deleted) throw new Error("update returned no row");
  return deleted;
}
