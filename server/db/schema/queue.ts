import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Fedify's message queue, at-least-once: a worker leases a row (`locked_until`) and deletes it only
 * after the handler succeeded, so a killed process leaves its messages to be taken again.
 */
export const queueMessages = pgTable(
  "queue_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Fedify's three queues (inbox, outbox, fanout) share the table; each has its own workers. */
    queue: text("queue").notNull().default("default"),
    message: jsonb("message").notNull(),
    orderingKey: text("ordering_key"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("queue_messages_queue_run_at_idx").on(t.queue, t.runAt),
    index("queue_messages_ordering_key_idx").on(t.orderingKey, t.id),
  ],
);
