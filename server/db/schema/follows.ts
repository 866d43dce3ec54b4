import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { remoteActors } from "./actors.ts";

export const followState = pgEnum("follow_state", ["pending", "accepted", "rejected"]);

/** Remote actors following one of our accounts (incoming `Follow`). */
export const followers = pgTable(
  "followers",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    followIri: text("follow_iri").notNull(),
    state: followState("state").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.actorId] })],
);

/** Remote actors one of our accounts follows (outgoing `Follow`). */
export const following = pgTable(
  "following",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    followIri: text("follow_iri").notNull(),
    state: followState("state").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // By actor: every activity a hub receives asks whether it follows the sender.
  (t) => [primaryKey({ columns: [t.accountId, t.actorId] }), index("following_actor_idx").on(t.actorId)],
);
