import {
  type Object as APObject,
  Article,
  Audio,
  Document,
  Event,
  Hashtag,
  Image,
  Link,
  Note,
  Page,
  Place,
  Question,
  Video,
} from "@fedify/vocab";
import { LanguageString } from "@fedify/vocab-runtime";
import { and, eq, sql } from "drizzle-orm";
import { builtOnce, type Db, PER_ACTIVITY } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import {
  type EventDetails,
  type EventLocation,
  type ItemAttachment,
  type ItemDetails,
  type ItemTranslations,
  items,
  type WebcastDetails,
} from "../db/schema/index.ts";
import type { Item } from "../domain/items.ts";
import type { RemoteActor } from "../domain/remote-actors.ts";
import { detectLanguage } from "./language.ts";
import { htmlToText, sanitizeHtml } from "./sanitize.ts";
import { httpUrlOrNull } from "./urls.ts";

/** The object types we keep as items (the list); anything else is ignored. */
export const INGESTED_TYPES = [Note, Article, Page, Video, Event, Question, Document] as const;

export function isIngestedObject(object: unknown): object is APObject {
  // Image and Audio are Documents in ActivityStreams, but pictures and sounds are no publications.
  if (object instanceof Image || object instanceof Audio) return false;
  return INGESTED_TYPES.some((cls) => object instanceof cls);
}

const MAX_TAGS = 50;
const MAX_ATTACHMENTS = 8;
const MAX_FIELD = 500_000;
/** Titles and summaries keep 1,000 and 5,000 characters of text: more HTML than this is no title
 * or summary, and parsing it blocked the event loop for seconds. */
const MAX_TEXT_SOURCE = 20_000;
/** Language detection reads 1,000 characters of text: the start of the content's HTML holds them. */
const LANGUAGE_SAMPLE_HTML = 6_000;

function firstText(values: (string | LanguageString)[]): { text: string; language: string | null } {
  const value = values[0];
  if (value == null) return { text: "", language: null };
  // Fedify lists plain `content` before `contentMap`: the language comes from the tagged one.
  // With several languages (contentMap), the one whose text is the plain value is the object's own.
  const tagged =
    values.find(
      (v): v is LanguageString => v instanceof LanguageString && v.toString() === value.toString(),
    ) ?? values.find((v): v is LanguageString => v instanceof LanguageString);
  // A LanguageString is a String object; normalize it to a primitive.
  return { text: value.toString().slice(0, MAX_FIELD), language: tagged?.locale.baseName ?? null };
}

function hrefOf(url: URL | Link | null | undefined): string | null {
  if (url == null) return null;
  if (url instanceof URL) return url.href;
  return url.href?.href ?? null;
}

const dateOf = (instant: { epochMilliseconds: number } | null | undefined) =>
  instant ? new Date(instant.epochMilliseconds) : null;

/**
 * An Event's times and place (FEP-8a8e). A Place with coordinates or a name is the venue; one
 * whose only use is its http(s) `url` is the online room (as we and Mobilizon send it).
 */
async function eventFields(object: Event) {
  const location: EventLocation = {};
  for await (const where of object.getLocations({ suppressError: true })) {
    if (!(where instanceof Place)) continue;
    const name = where.name ? htmlToText(where.name.toString().slice(0, 2000)).slice(0, 300) : "";
    const online = httpUrlOrNull(hrefOf(where.url as URL | Link | null));
    const hasCoordinates = where.latitude != null && where.longitude != null;
    if (online && !hasCoordinates && !location.online) location.online = online;
    else if ((name || hasCoordinates) && !location.place) {
      location.place = {
        name,
        ...(hasCoordinates && {
          latitude: where.latitude ?? undefined,
          longitude: where.longitude ?? undefined,
        }),
      };
    }
  }
  const startsAt = dateOf(object.startTime);
  const details: EventDetails = { kind: "event", location };
  return { details, startsAt, endsAt: startsAt ? dateOf(object.endTime) : null };
}

/**
 * A Video's webcast fields: a video attachment is the recording (what Mastodon plays), its
 * duration and thumbnail, and a start time makes it a live webcast.
 */
async function webcastFields(object: Video, attachments: ItemAttachment[]) {
  const file = attachments.find((a) => a.mediaType?.startsWith("video/"));
  const image = await object.getImage({ suppressError: true }).catch(() => null);
  const thumbnail = image instanceof Image ? httpUrlOrNull(hrefOf(image.url as URL | Link | null)) : null;
  const total = object.duration ? Math.round(object.duration.total({ unit: "seconds" })) : 0;
  const startsAt = dateOf(object.startTime);
  const details: WebcastDetails = { kind: "webcast", live: startsAt != null };
  if (file) Object.assign(details, { videoUrl: file.url, videoType: file.mediaType });
  if (total > 0 && total <= 7 * 24 * 3600) details.durationSeconds = total;
  if (thumbnail) details.thumbnailUrl = thumbnail;
  return { details, startsAt, endsAt: startsAt ? dateOf(object.endTime) : null };
}

const MAX_TRANSLATIONS = 5;

/** The versions in other languages than the item's own, from nameMap, summaryMap and contentMap. */
function translationsOf(object: APObject, language: string | null): ItemTranslations {
  const byLanguage = new Map<string, { title?: string; summary?: string; content?: string }>();
  const collect = (values: (string | LanguageString)[], key: "title" | "summary" | "content") => {
    for (const value of values) {
      if (!(value instanceof LanguageString)) continue;
      const tag = value.locale.baseName.slice(0, 35);
      if (tag === language) continue;
      if (!byLanguage.has(tag) && byLanguage.size >= MAX_TRANSLATIONS) continue;
      const entry = byLanguage.get(tag) ?? {};
      entry[key] ??= value.toString().slice(0, key === "content" ? MAX_FIELD : MAX_TEXT_SOURCE);
      byLanguage.set(tag, entry);
    }
  };
  collect(object.names, "title");
  collect(object.summaries, "summary");
  collect(object.contents, "content");
  const out: ItemTranslations = {};
  for (const [tag, entry] of byLanguage) {
    // A version needs words of its own: a title or a body.
    if (!entry.title && !entry.content) continue;
    out[tag] = {
      title: htmlToText(entry.title ?? "").slice(0, 1000),
      summary: htmlToText(entry.summary ?? "").slice(0, 5000),
      content: sanitizeHtml(entry.content ?? ""),
    };
  }
  return out;
}

/** What the caller read of the object beyond Fedify's vocabulary (our JSON-LD terms). */
export interface ReceivedDetails {
  details?: ItemDetails | null;
}

/** An attachment's width or height in pixels, when it is a plausible one. */
const pixels = (n: number | null) => (n && Number.isInteger(n) && n > 0 && n <= 100_000 ? n : undefined);

/** A received resource's document: its first PDF attachment, else its first attachment. */
function withDocument(details: ItemDetails | null, attachments: ItemAttachment[]): ItemDetails | null {
  if (details?.kind !== "resource" || details.documentUrl) return details;
  const document = attachments.find((a) => a.mediaType === "application/pdf") ?? attachments[0];
  return document ? { ...details, documentUrl: document.url, documentType: document.mediaType } : details;
}

/** Maps a remote object to item fields: sanitized, sized, with only http(s) links kept. */
export async function objectToItemFields(object: APObject, known: ReceivedDetails = {}) {
  const content = firstText(object.contents);
  const name = firstText(object.names);
  const summary = firstText(object.summaries);
  const tags: string[] = [];
  for await (const tag of object.getTags({ suppressError: true })) {
    if (tags.length >= MAX_TAGS) break;
    if (tag instanceof Hashtag && tag.name) tags.push(tag.name.toString().replace(/^#/, "").slice(0, 64));
  }
  const attachments: ItemAttachment[] = [];
  for await (const attachment of object.getAttachments({ suppressError: true })) {
    if (attachments.length >= MAX_ATTACHMENTS) break;
    if (!(attachment instanceof Document || attachment instanceof Image || attachment instanceof Link))
      continue;
    const url =
      attachment instanceof Link
        ? httpUrlOrNull(attachment.href?.href ?? null)
        : httpUrlOrNull(hrefOf(attachment.url));
    if (!url) continue;
    attachments.push({
      url,
      mediaType: attachment.mediaType ?? undefined,
      name:
        attachment instanceof Link ? undefined : (attachment.name?.toString().slice(0, 1500) ?? undefined),
      // Pixel sizes, so pages reserve the image's room (only plausible ones are kept).
      width: attachment instanceof Link ? undefined : pixels(attachment.width),
      height: attachment instanceof Link ? undefined : pixels(attachment.height),
    });
  }
  const published = object.published ? new Date(object.published.epochMilliseconds) : new Date();
  const title = htmlToText(name.text.slice(0, MAX_TEXT_SOURCE)).slice(0, 1000);
  const plainSummary = htmlToText(summary.text.slice(0, MAX_TEXT_SOURCE)).slice(0, 5000);
  const sanitized = sanitizeHtml(content.text);
  // Untagged text (most servers send no contentMap) gets the language it is written in.
  const language =
    (content.language ?? name.language ?? summary.language)?.slice(0, 35) ??
    detectLanguage(`${title}. ${plainSummary} ${htmlToText(sanitized.slice(0, LANGUAGE_SAMPLE_HTML))}`);
  const event =
    object instanceof Event
      ? await eventFields(object)
      : object instanceof Video
        ? await webcastFields(object, attachments)
        : { details: withDocument(known.details ?? null, attachments), startsAt: null, endsAt: null };
  return {
    ...event,
    type: object.constructor.name,
    title,
    summary: plainSummary,
    content: sanitized,
    language,
    translations: translationsOf(object, language),
    tags,
    // A webcast's video is its recording (in details), not a picture to show.
    attachments:
      object instanceof Video ? attachments.filter((a) => !a.mediaType?.startsWith("video/")) : attachments,
    url: httpUrlOrNull(hrefOf(object.url)) ?? object.id?.href ?? null,
    inReplyTo: object.replyTargetId?.href.slice(0, 2000) ?? null,
    // A date in the future would pin the item to the top of every feed.
    published: published.getTime() > Date.now() + 60_000 ? new Date() : published,
    updated: object.updated ? new Date(object.updated.epochMilliseconds) : null,
  };
}

type ItemFields = Awaited<ReturnType<typeof objectToItemFields>>;

/**
 * The upsert of a received object, built once per database handle (builtOnce): one statement for
 * new and known objects (a hub stores hundreds a second), whose update applies only when the
 * stored item is this author's, so another author's item is left as it was and nothing is
 * returned. Building it cost 155–200 µs per activity. The nullable jsonb and timestamp columns
 * take raw placeholders, encoded by `encodedFields` (see builtOnce for why).
 */
const upsertItem = builtOnce((db) => {
  const value = (name: keyof ItemFields) => sql.placeholder(name);
  const raw = (name: keyof ItemFields) => sql`${sql.placeholder(name)}`;
  const fields = {
    type: value("type"),
    title: value("title"),
    summary: value("summary"),
    content: value("content"),
    language: value("language"),
    translations: value("translations"),
    tags: value("tags"),
    attachments: value("attachments"),
    url: value("url"),
    inReplyTo: value("inReplyTo"),
    published: value("published"),
    updated: raw("updated"),
    details: raw("details"),
    startsAt: raw("startsAt"),
    endsAt: raw("endsAt"),
  } satisfies Record<keyof ItemFields, unknown>;
  const excluded = Object.fromEntries(
    Object.keys(fields).map((key) => [key, sql.raw(`excluded."${items[key as keyof ItemFields].name}"`)]),
  );
  const author = sql.placeholder("author");
  return db
    .insert(items)
    .values({ id: sql.placeholder("id"), iri: sql.placeholder("iri"), remoteActorId: author, ...fields })
    .onConflictDoUpdate({ target: items.iri, set: excluded, setWhere: eq(items.remoteActorId, author) })
    .returning()
    .prepare(PER_ACTIVITY);
});

/** The raw placeholders' values as the database driver takes them (jsonb as text, times in ISO 8601). */
function encodedFields(fields: ItemFields) {
  return {
    ...fields,
    updated: fields.updated?.toISOString() ?? null,
    details: fields.details == null ? null : JSON.stringify(fields.details),
    startsAt: fields.startsAt?.toISOString() ?? null,
    endsAt: fields.endsAt?.toISOString() ?? null,
  };
}

/**
 * Stores or replaces a remote actor's object as an item. The caller has checked that the actor
 * is its author; an existing item of another author is never touched.
 */
export async function storeRemoteObject(
  db: Db,
  author: RemoteActor,
  object: APObject,
  known: ReceivedDetails = {},
): Promise<Item | null> {
  if (object.id == null) return null;
  const fields = encodedFields(await objectToItemFields(object, known));
  const [row] = await upsertItem(db).execute({
    id: uuidv7(),
    iri: object.id.href,
    author: author.id,
    ...fields,
  });
  return row ?? null;
}

/** Removes a received item, only if this actor is its author. */
export async function removeRemoteObject(db: Db, author: RemoteActor, iri: string): Promise<boolean> {
  const rows = await db
    .delete(items)
    .where(and(eq(items.iri, iri), eq(items.remoteActorId, author.id)))
    .returning({ id: items.id });
  return rows.length > 0;
}
