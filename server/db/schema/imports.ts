import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { PostInput } from "../../domain/posts.ts";
import { accounts } from "./accounts.ts";
import { items } from "./items.ts";

/**
 * What an editor is still working on: the post form's input as typed or imported. Drafts are not
 * items: they are never federated, never listed publicly, and need not be valid yet.
 */
export const drafts = pgTable(
  "drafts",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    input: jsonb("input").$type<PostInput>().notNull(),
    /** Where it was imported from (a web page or a feed entry's link). */
    sourceUrl: text("source_url"),
    /** When the source says it was published (article:published_time, the feed entry's date). */
    sourcePublished: timestamp("source_published", { withTimezone: true }),
    /** Dedup key of an import: a feed entry's guid (else link), a page's canonical URL. */
    importKey: text("import_key"),
    /** When the worker is to publish it (scheduled publishing); null for a draft nobody scheduled. */
    publishAt: timestamp("publish_at", { withTimezone: true }),
    /** Why the worker could not publish it when it was due; the schedule is then cleared. */
    scheduleError: text("schedule_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("drafts_account_idx").on(t.accountId, t.updatedAt.desc()),
    index("drafts_publish_at_idx").on(t.publishAt).where(sql`${t.publishAt} IS NOT NULL`),
    uniqueIndex("drafts_import_key_idx").on(t.accountId, t.importKey).where(sql`${t.importKey} IS NOT NULL`),
  ],
);

/**
 * Every import key an account has taken in, as a draft or a post, kept after the draft is
 * published or deleted: a feed entry an editor threw away must not come back at the next poll.
 */
export const importedEntries = pgTable(
  "imported_entries",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    importKey: text("import_key").notNull(),
    sourceUrl: text("source_url"),
    /** The post it became, when published. */
    itemId: uuid("item_id").references(() => items.id, { onDelete: "set null" }),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.importKey] })],
);

export const FEED_MODES = ["draft", "publish"] as const;
export type FeedMode = (typeof FEED_MODES)[number];

/** A library website's RSS or Atom feed, polled by the worker: new entries become drafts or posts. */
export const feedSources = pgTable(
  "feed_sources",
  {
    id: uuid("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    mode: text("mode").$type<FeedMode>().notNull().default("draft"),
    /** When a worker should fetch it next; claiming a feed moves this forward (no two workers poll it). */
    nextFetchAt: timestamp("next_fetch_at", { withTimezone: true }).notNull().defaultNow(),
    lastFetchedAt: timestamp("last_fetched_at", { withTimezone: true }),
    /** The last fetch's failure, cleared by the next success. */
    lastError: text("last_error"),
    /** Conditional GET: what the feed's server answered last time. */
    etag: text("etag"),
    lastModified: text("last_modified"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("feed_sources_account_url_idx").on(t.accountId, t.url),
    index("feed_sources_next_fetch_idx").on(t.nextFetchAt),
  ],
);
