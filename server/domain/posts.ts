import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { type ItemAttachment, type ItemTranslations, items } from "../db/schema/index.ts";
import { detectLanguage } from "../ingest/language.ts";
import { htmlToText } from "../ingest/sanitize.ts";
import type { Account } from "./accounts.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField } from "./fields.ts";
import type { Item } from "./items.ts";
import { type DetailsInput, detailsFacts, type PreparedDetails, prepareDetails } from "./post-details.ts";
import type { ImageInput } from "./post-images.ts";
import { prepareText, type TextInput, withoutFacts } from "./post-text.ts";

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

/** One more language version of a post. */
export interface TranslationInput extends TextInput {
  language: string;
}

/** What the editor's form and the CLI give; the details of its type are required. */
export interface PostInput extends DetailsInput {
  /** Default article. */
  type?: PostType;
  /** Versions in other languages than `language` (nameMap, summaryMap, contentMap). */
  translations?: TranslationInput[];
  /** When it first appeared (ISO 8601), for an import that keeps its source's date; else now. */
  published?: string;
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

export { MAX_CONTENT, MAX_SUMMARY, MAX_TITLE, summarize } from "./post-text.ts";

/** How many language versions an item may carry besides its own. */
const MAX_TRANSLATIONS = 5;

export type PreparedPost = ReturnType<typeof preparePost>;

/** Validates and normalizes editor input into the fields an item stores. */
export function preparePost(input: PostInput) {
  const tags = [...new Set((input.tags ?? []).map((t) => t.trim().replace(/^#/, "")).filter(Boolean))];
  for (const tag of tags) {
    if (!TAG.test(tag)) throw new ValidationError("tag", `"${tag}" may hold only letters, digits and _`);
  }
  const type: PostType = input.type ?? "article";
  if (!(type in POST_TYPES))
    throw new ValidationError("type", `must be one of ${Object.keys(POST_TYPES).join(", ")}`);
  const prepared = prepareDetails(type, input);
  // Every item says its language (readers, search and Mastodon's filters need it): the editor's
  // choice, else what the text shows.
  const language =
    languageField("language", input.language) ??
    detectLanguage(`${input.title}. ${htmlToText(input.content)}`);
  if (!language) {
    prepareText(input, ""); // what is wrong with the text itself is said first
    throw new ValidationError(
      "language",
      "is required: the text is too short to tell which language it is in",
    );
  }
  const text = prepareText(input, detailsFacts(prepared, language));
  const translations = prepareTranslations(input, language, prepared);
  const attachments: ItemAttachment[] = [];
  const imageUrl = httpUrlField("image", input.imageUrl);
  if (imageUrl) {
    if (!input.imageAlt?.trim())
      throw new ValidationError(
        "image-alt",
        "describe the image for people who cannot see it",
        "alt-missing",
      );
    // Type and size come from the image itself: services/publishing.ts fetches it.
    attachments.push({ url: imageUrl, name: input.imageAlt.trim() });
  }
  return {
    type: POST_TYPES[type].activityType,
    published: publishedField(input.published),
    ...text,
    language,
    translations,
    tags,
    attachments,
    ...prepared,
  };
}

/** A source's publication date: a real instant, not in the future (it would pin the post on top). */
function publishedField(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1990) {
    throw new ValidationError("published", `"${value}" is not a date and time`);
  }
  return date.getTime() > Date.now() ? undefined : date;
}

function languageField(field: string, value: string | undefined): string | null {
  const language = value?.trim() || null;
  if (language && !LANGUAGE_TAG.test(language)) {
    throw new ValidationError(field, "must be a language code such as lt, lv or en");
  }
  return language;
}

/** The other language versions: each with its title and body, its summary led by its facts. */
function prepareTranslations(
  input: PostInput,
  language: string,
  prepared: PreparedDetails,
): ItemTranslations {
  const versions = (input.translations ?? []).filter(
    (v) => v.title.trim() || v.content.trim() || v.summary?.trim(),
  );
  if (versions.length > MAX_TRANSLATIONS) {
    throw new ValidationError("translations", `at most ${MAX_TRANSLATIONS} other languages`);
  }
  const out: ItemTranslations = {};
  for (const version of versions) {
    const lang = languageField("translation language", version.language);
    if (!lang) throw new ValidationError("translation language", "is required for each version");
    if (lang === language) throw new ValidationError(`${lang} title`, `${lang} is the post's own language`);
    if (out[lang]) throw new ValidationError(`${lang} title`, `${lang} is given twice`);
    out[lang] = prepareText(
      { ...version, format: version.format ?? input.format },
      detailsFacts(prepared, lang),
      `${lang} `,
    );
  }
  return out;
}

/** The editor's summary without the facts we put before it (for the edit form). */
export function writtenSummary(
  item: Pick<Item, "summary" | "details" | "startsAt" | "endsAt" | "language">,
  version?: { language: string; summary: string },
): string {
  const language = version?.language ?? item.language;
  return withoutFacts(version?.summary ?? item.summary, detailsFacts(item, language));
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
    .values({
      id,
      iri,
      url: iri,
      accountId: account.id,
      ...fields,
      published: fields.published ?? new Date(),
    })
    .returning();
  if (!item) throw new Error("insert returned no row");
  return item;
}

export async function updatePost(db: Db | Tx, item: Item, fields: PreparedPost): Promise<Item> {
  // An article stays an article and an event an event: their ids say which they are.
  if (postTypeOf(fields) !== postTypeOf(item)) {
    throw new ValidationError("type", `stays ${postTypeOf(item)}`);
  }
  // An edit never moves the post in time.
  const { published: _published, ...changed } = fields;
  const [updated] = await db
    .update(items)
    .set({ ...changed, updated: new Date() })
    .where(and(eq(items.id, item.id), isNull(items.deletedAt)))
    .returning();
  if (!updated) throw new ValidationError("post", "was deleted");
  return updated;
}

/** Marks our item deleted; its URL then answers 410 Gone with a Tombstone. */
export async function deletePost(db: Db | Tx, item: Item): Promise<Item> {
  const [deleted] = await db
    .update(items)
    .set({ deletedAt: new Date(), content: "", summary: "", source: null, translations: {} })
    .where(eq(items.id, item.id))
    .returning();
  if (!deleted) throw new Error("update returned no row");
  return deleted;
}

/** An item's versions in other languages as input again (an edit that does not change them). */
export function translationInputs(item: Item): TranslationInput[] {
  return Object.entries(item.translations ?? {}).map(([language, version]) => ({
    language,
    title: version.title,
    summary: writtenSummary(item, { language, summary: version.summary }),
    content: version.source ?? version.content,
    // What was typed is kept as the source; its format is not, so HTML is the safe reading.
    format: version.source && !/<[a-z]/i.test(version.source) ? "markdown" : "html",
  }));
}
