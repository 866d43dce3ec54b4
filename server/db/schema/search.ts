import { sql } from "drizzle-orm";
import { customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { items } from "./items.ts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * What search reads: one narrow row per searchable item (ids, date, facet columns and the
 * tsvector, kept off-row by the migration's storage settings), written only by the triggers on
 * items, accounts and remote_actors (migration 0013). The text to show stays in items.
 */
export const searchEntries = pgTable(
  "search_entries",
  {
    itemId: uuid("item_id")
      .primaryKey()
      .references(() => items.id, { onDelete: "cascade" }),
    /** The account (ours) or remote actor (received) that published it. */
    libraryId: uuid("library_id").notNull(),
    /** ISO 3166-1 alpha-2, upper case, when known. */
    country: text("country"),
    /** news, webcast, event, resource, practice or other (server/domain/hub-kinds.ts). */
    kind: text("kind").notNull(),
    /** Its own language and those of its translations, primary subtags in lower case. */
    languages: text("languages").array().notNull().default(sql`'{}'`),
    /** Lower case, as tag links are. */
    tags: text("tags").array().notNull().default(sql`'{}'`),
    /** A good practice's target audiences and digital skill level. */
    audiences: text("audiences").array().notNull().default(sql`'{}'`),
    skill: text("skill"),
    published: timestamp("published", { withTimezone: true }).notNull(),
    /** Title (A), summary (B) and content (C) of every version, each in its language's configuration. */
    document: tsvector("document").notNull(),
    /** Every facet value in one array ('k:news', 'c:LT', 't:reading', …) for one-pass counts (migration 0022). */
    facetKeys: text("facet_keys")
      .array()
      .notNull()
      .generatedAlwaysAs(
        sql`search_facet_keys(kind, country, library_id, languages, tags, audiences, skill, published)`,
      ),
  },
  (t) => [
    index("search_entries_document_idx").using("gin", t.document),
    index("search_entries_published_idx").on(t.published.desc(), t.itemId.desc()),
    index("search_entries_country_kind_idx").on(t.country, t.kind, t.published.desc(), t.itemId.desc()),
    index("search_entries_country_published_idx").on(t.country, t.published.desc(), t.itemId.desc()),
    index("search_entries_library_idx").on(t.libraryId, t.published.desc(), t.itemId.desc()),
    index("search_entries_tags_idx").using("gin", t.tags),
    index("search_entries_languages_idx").using("gin", t.languages),
  ],
);

/** Distinct title words (lower case, unaccented), trigram-indexed: what a mistyped word is corrected to. */
export const searchWords = pgTable("search_words", { word: text("word").primaryKey() }, (t) => [
  index("search_words_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`),
]);

/**
 * How many entries hold each frequent lexeme (from ts_stat, by refresh_search_terms()): the query
 * picks its plan by it, since the planner misjudges rare terms under ORDER BY published LIMIT.
 */
export const searchTerms = pgTable("search_terms", {
  lexeme: text("lexeme").primaryKey(),
  entries: integer("entries").notNull(),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
});
