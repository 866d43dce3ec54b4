import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { items } from "./items.ts";

/**
 * A Like or an Announce (boost) of one of our items by a remote actor. Kept to count them per
 * item; the actor need not be one we follow. Undo removes the row.
 */
export const interactions = pgTable(
  "interactions",
  {
    id: uuid("id").primaryKey(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => items.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"like" | "announce">().notNull(),
    actorIri: text("actor_iri").notNull(),
    /** The Like's or Announce's id: what an Undo names. */
    activityIri: text("activity_iri").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One like and one boost per actor and item, however often a server resends them.
    uniqueIndex("interactions_item_kind_actor_idx").on(t.itemId, t.kind, t.actorIri),
    index("interactions_actor_idx").on(t.actorIri),
  ],
);
