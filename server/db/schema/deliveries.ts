import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Deliveries a remote inbox refused or could not be reached for, as Fedify reports them (each
 * failed attempt, and the final give-up marked permanent): what the editors' dashboard shows.
 * Kept for 30 days (server/domain/delivery-failures.ts prunes as it writes).
 */
export const deliveryFailures = pgTable(
  "delivery_failures",
  {
    id: uuid("id").primaryKey(),
    /** Who sent it: one of our accounts' actor IRIs (or the instance actor's). */
    actorIri: text("actor_iri"),
    /** Null when the error did not say (a network error before any response). */
    inbox: text("inbox"),
    activityId: text("activity_id"),
    activityType: text("activity_type"),
    status: integer("status"),
    error: text("error").notNull(),
    permanent: boolean("permanent").notNull().default(false),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("delivery_failures_failed_at_idx").on(t.failedAt.desc())],
);
