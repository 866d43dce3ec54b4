import {
  boolean,
  doublePrecision,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/** A remote actor we have met: followers, accounts we follow, authors of received items. */
export const remoteActors = pgTable("remote_actors", {
  id: uuid("id").primaryKey(),
  iri: text("iri").notNull().unique(),
  type: text("type").notNull(),
  handle: text("handle").notNull(),
  name: text("name").notNull().default(""),
  url: text("url"),
  iconUrl: text("icon_url"),
  inboxUrl: text("inbox_url").notNull(),
  sharedInboxUrl: text("shared_inbox_url"),
  /** Its bio as plain text (for a hub's directory). */
  summary: text("summary").notNull().default(""),
  /** FEP-5feb consent: false keeps its items out of a hub's search and shared feed. */
  indexable: boolean("indexable").notNull().default(true),
  discoverable: boolean("discoverable").notNull().default(true),
  /** Where the library is, from its fields and `location` (a hub's facets and map). */
  country: text("country"),
  /** Set when a curator corrected the country: profile updates then leave it alone. */
  countryByCurator: boolean("country_by_curator").notNull().default(false),
  city: text("city"),
  latitude: doublePrecision("latitude"),
  longitude: doublePrecision("longitude"),
  website: text("website"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const backfillState = pgEnum("backfill_state", ["running", "done", "failed"]);

/** A walk of a followed actor's outbox, ingesting what it published before we followed it. */
export const backfills = pgTable("backfills", {
  id: uuid("id").primaryKey(),
  actorId: uuid("actor_id")
    .notNull()
    .references(() => remoteActors.id, { onDelete: "cascade" }),
  state: backfillState("state").notNull().default("running"),
  /** Objects read from the outbox, and how many of them became items. */
  fetched: integer("fetched").notNull().default(0),
  stored: integer("stored").notNull().default(0),
  /** The outbox's totalItems when it says. */
  total: integer("total"),
  error: text("error"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
