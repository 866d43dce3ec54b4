import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { remoteActors } from "./actors.ts";

/** Where an event happens: a place, online, or both (a hybrid event). */
export interface EventLocation {
  /** A venue: its name and address as one line, and coordinates when known. */
  place?: { name: string; latitude?: number; longitude?: number };
  /** Where to join online (http(s)). */
  online?: string;
}

/** The facts of an `Event` (FEP-8a8e), ours or received. Times are in startsAt/endsAt. */
export interface EventDetails {
  kind: "event";
  /** IANA time zone the event is planned in (ours); received events may lack it. */
  timeZone?: string;
  location: EventLocation;
  registrationUrl?: string;
  organizer?: string;
  audience?: string;
}

export const RESOURCE_TYPES = ["research", "methodological-guideline", "report", "presentation"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A research or methodology resource: a document (PDF or link) and who wrote it when. */
export interface ResourceDetails {
  kind: "resource";
  resourceType: ResourceType;
  authors: string[];
  year?: number;
  /** The document itself: a PDF or a page (http(s)). */
  documentUrl?: string;
  /** Its media type when known (application/pdf). */
  documentType?: string;
}

export const PRACTICE_SCOPES = ["local", "regional", "national", "international"] as const;
export type PracticeScope = (typeof PRACTICE_SCOPES)[number];
/** DigComp's proficiency groups, which seed 001's "digital skill level" follows. */
export const SKILL_LEVELS = ["basic", "intermediate", "advanced", "specialised"] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];
export const FUNDING_TYPES = ["public", "private", "mixed", "none"] as const;
export type FundingType = (typeof FUNDING_TYPES)[number];

/**
 * A good-practice record's structured metadata (seed 001): what a hub facets on. Its topics are
 * the item's tags. Federated as PropertyValues and as terms of our JSON-LD context.
 */
export interface PracticeDetails {
  kind: "practice";
  scope: PracticeScope;
  audiences: string[];
  skillLevel?: SkillLevel;
  /** ISO 3166-1 alpha-2 codes of the countries it runs in. */
  countries: string[];
  fundingType?: FundingType;
  /** Who funds it: a programme or organization. */
  funder?: string;
  partners: string[];
  /** `YYYY-MM` or `YYYY-MM-DD`. */
  periodStart?: string;
  periodEnd?: string;
  /** Participants and reach, as written ("40 librarians from 28 libraries"). */
  reach?: string;
  results?: string;
  contact?: string;
}

/**
 * A webcast: a recording (a video file or a page on a video host) or a live stream at a time
 * (startsAt); a live webcast gets its recording afterwards. Times are in startsAt/endsAt.
 */
export interface WebcastDetails {
  kind: "webcast";
  live: boolean;
  /** IANA zone a live webcast is announced in. */
  timeZone?: string;
  /** Where to watch it live. */
  streamUrl?: string;
  /** The recording: a file (videoType set) or a page on a video host. */
  videoUrl?: string;
  /** video/mp4 or video/webm when videoUrl is a file, read from its bytes. */
  videoType?: string;
  /** The allow-listed player for a page on YouTube, Vimeo or a listed PeerTube server. */
  embedUrl?: string;
  durationSeconds?: number;
  thumbnailUrl?: string;
}

/** Type-specific fields of an item; more kinds join this union. */
export type ItemDetails = EventDetails | ResourceDetails | PracticeDetails | WebcastDetails;

/** One language version of an item besides its own language (nameMap, summaryMap, contentMap). */
export interface ItemTranslation {
  title: string;
  /** Plain text, with the facts in this language before it, as the item's own summary. */
  summary: string;
  /** Sanitized HTML. */
  content: string;
  /** As the editor typed it (ours only). */
  source?: string;
}

/** Versions by language tag (lt, lv, en…); the item's own language is not among them. */
export type ItemTranslations = Record<string, ItemTranslation>;

export interface ItemAttachment {
  url: string;
  mediaType?: string;
  /** Alt text. */
  name?: string;
  width?: number;
  height?: number;
  /** A smaller copy for galleries (our uploads only: media.variants.small). */
  previewUrl?: string;
}

/**
 * One model for every piece of content: what our accounts publish and what we receive from the
 * actors we follow. Exactly one of accountId (ours) and remoteActorId (received) is set.
 */
export const items = pgTable(
  "items",
  {
    id: uuid("id").primaryKey(),
    iri: text("iri").notNull().unique(),
    url: text("url"),
    type: text("type").notNull(),
    title: text("title").notNull().default(""),
    summary: text("summary").notNull().default(""),
    content: text("content").notNull().default(""),
    /** Source as the editor typed it (Markdown or HTML); only for our own items. */
    source: text("source"),
    language: text("language"),
    translations: jsonb("translations").$type<ItemTranslations>().notNull().default({}),
    /** For a reply: the id of the object it answers (ours or not). */
    inReplyTo: text("in_reply_to"),
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    attachments: jsonb("attachments").$type<ItemAttachment[]>().notNull().default([]),
    details: jsonb("details").$type<ItemDetails>(),
    /** When an event (or a live webcast) starts and ends: what calendars sort and filter by. */
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    remoteActorId: uuid("remote_actor_id").references(() => remoteActors.id, { onDelete: "cascade" }),
    published: timestamp("published", { withTimezone: true }).notNull(),
    updated: timestamp("updated", { withTimezone: true }),
    /** Set when our own item is deleted: its URL then answers 410 with a Tombstone. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("items_published_id_idx").on(t.published.desc(), t.id.desc()),
    index("items_account_idx").on(t.accountId, t.published.desc()).where(sql`${t.accountId} IS NOT NULL`),
    index("items_remote_actor_idx").on(t.remoteActorId),
    index("items_starts_at_idx").on(t.startsAt).where(sql`${t.startsAt} IS NOT NULL`),
    index("items_in_reply_to_idx").on(t.inReplyTo).where(sql`${t.inReplyTo} IS NOT NULL`),
  ],
);
