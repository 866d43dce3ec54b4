import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
