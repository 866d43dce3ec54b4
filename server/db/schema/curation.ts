import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { remoteActors } from "./actors.ts";
import { items } from "./items.ts";

export const curationState = pgEnum("curation_state", ["pending", "approved", "hidden"]);

/** A curator's choice per source: its new items are approved at once, or wait in the queue. */
export const curationSources = pgTable("curation_sources", {
  actorId: uuid("actor_id")
    .primaryKey()
    .references(() => remoteActors.id, { onDelete: "cascade" }),
  autoApprove: boolean("auto_approve").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A received item's place on the hub: filled by a trigger when the item is stored (migration
 * 0016), changed by curators. `published` is the item's, copied for the feed's index.
 */
export const curation = pgTable(
  "curation",
  {
    itemId: uuid("item_id")
      .primaryKey()
      .references(() => items.id, { onDelete: "cascade" }),
    remoteActorId: uuid("remote_actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    state: curationState("state").notNull().default("pending"),
    published: timestamp("published", { withTimezone: true }).notNull(),
    featuredAt: timestamp("featured_at", { withTimezone: true }),
    /** The id of the Announce sent when it was featured: what the Undo names. */
    announceIri: text("announce_iri"),
    /** Curator-assigned topics, besides the source's own tags. */
    topics: jsonb("topics").$type<string[]>().notNull().default([]),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    index("curation_state_published_idx").on(t.state, t.published.desc(), t.itemId.desc()),
    index("curation_featured_idx")
      .on(t.published.desc(), t.itemId.desc())
      .where(sql`${t.featuredAt} IS NOT NULL`),
    index("curation_actor_idx").on(t.remoteActorId, t.state, t.published.desc()),
  ],
);
