import { and, eq, isNull } from "drizzle-orm";
import { marked } from "marked";
import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { type ItemAttachment, items } from "../db/schema/index.ts";
import { htmlToText, sanitizeHtml } from "../ingest/sanitize.ts";
import type { Account } from "./accounts.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField } from "./fields.ts";
import type { Item } from "./items.ts";
import { type DetailsInput, detailsFacts, prepareDetails } from "./post-details.ts";
import type { ImageInput } from "./post-images.ts";

/** What an editor publishes: an article (news, stories), a training event, a research resource, a
 * good-practice record or a webcast. */
export type PostType = "article" | "event" | "resource" | "practice" | "webcast";

/** ActivityStreams type and path segment of our objects, per kind. */
export const POST_TYPES: Record<PostType, { activityType: string; path: string }> = {
  article: { activityType: "Article", path: "articles" },
  event: { activityType: "Event", path: "events" },
  // An Article too (Fedify serves one object type per path): its details tell it apart.
  resource: { activityType: "Article", path: "articles" },
  practice: { activityType: "Article", path: "articles" },
  webcast: { activityType: "Video", path: "videos" },
};

/** What the editor's form and the CLI give; the details of its type are required. */
export interface PostInput extends DetailsInput {
  /** Default article. */
  type?: PostType;
  title: string;
  summary?: string;
  content: string;
  format?: "html" | "markdown";
  language?: string;
  tags?: string[];
  imageUrl?: string;
  imageAlt?: string;
  /** More images after that one (post-images.ts): uploads of ours or links, each with alt text. */
  images?: ImageInput[];
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
  const type: PostType = input.type ?? "article";
  if (!(type in POST_TYPES))
    throw new ValidationError("type", `must be one of ${Object.keys(POST_TYPES).join(", ")}`);
  const prepared = prepareDetails(type, input);
  // Plain text: Misskey and others show the summary as a raw-text content warning.
  const written = input.summary?.trim() ? htmlToText(input.summary).trim() : "";
  const facts = detailsFacts(prepared, language);
  const room = MAX_SUMMARY - (facts ? facts.length + 2 : 0);
  const text = written || summarize(htmlToText(content), Math.min(280, Math.max(0, room)));
  // "… · 50 min." ends a sentence already: no second full stop.
  const joiner = /[.!?]$/.test(facts) ? " " : ". ";
  const summary = facts ? (text ? `${facts}${joiner}${text}` : facts) : text;
  if (summary.length > MAX_SUMMARY) {
    throw new ValidationError(
      "summary",
      facts
        ? `must be at most ${room} characters with the ${type}'s facts before it (it has ${text.length})`
        : `must be at most ${MAX_SUMMARY} characters (it has ${summary.length})`,
    );
  }
  const attachments: ItemAttachment[] = [];
  const imageUrl = httpUrlField("image", input.imageUrl);
  if (imageUrl) {
    if (!input.imageAlt?.trim())
      throw new ValidationError("image-alt", "describe the image for people who cannot see it");
    // Type and size come from the image itself: services/publishing.ts fetches it.
    attachments.push({ url: imageUrl, name: input.imageAlt.trim() });
  }
  return {
    type: POST_TYPES[type].activityType,
    title,
    summary,
    content,
    source: input.content,
    language,
    tags,
    attachments,
    ...prepared,
  };
}

/** The editor's summary without the facts we put before it (for the edit form). */
export function writtenSummary(
  item: Pick<Item, "summary" | "details" | "startsAt" | "endsAt" | "language">,
): string {
  const facts = detailsFacts(item, item.language);
  if (!facts || !item.summary.startsWith(facts)) return item.summary;
  return item.summary.slice(facts.length).replace(/^\.? /, "");
}

export function objectIri(origin: URL, username: string, type: PostType, id: string): string {
  return new URL(`/users/${username}/${POST_TYPES[type].path}/${id}`, origin).href;
}

export function postTypeOf(item: Pick<Item, "type" | "details">): PostType {
  if (item.type === "Event") return "event";
  if (item.type === "Video") return "webcast";
  if (item.details?.kind === "resource") return "resource";
  return item.details?.kind === "practice" ? "practice" : "article";
}

export async function createPost(
  db: Db | Tx,
  origin: URL,
  account: Account,
  fields: PreparedPost,
): Promise<Item> {
  const id = uuidv7();
  const iri = objectIri(origin, account.username, postTypeOf(fields), id);
  const [item] = await db
    .insert(items)
    .values({ id, iri, url: iri, accountId: account.id, published: new Date(), ...fields })
    .returning();
  if (!item) throw new Error("insert returned no row");
  return item;
}

export async function updatePost(db: Db | Tx, item: Item, fields: PreparedPost): Promise<Item> {
  // An article stays an article and an event an event: their ids say which they are.
  if (postTypeOf(fields) !== postTypeOf(item)) {
    throw new ValidationError("type", `stays ${postTypeOf(item)}`);
  }
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
