import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Fixed-window hit counters of the rate limits (login, inbox), shared by every web process.
 * The migration makes it UNLOGGED: counters are cheap to lose in a crash, not worth the WAL.
 */
export const rateLimitHits = pgTable("rate_limit_hits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});
