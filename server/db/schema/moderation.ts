import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Servers this instance will not federate with (Mastodon's "suspend"): their activities and
 * signed fetches are refused, and what we had from them is purged when the block is made.
 * `domain` is a host, lower-case, in ASCII (punycode), with a port only if the block names one;
 * it covers its subdomains.
 */
export const domainBlocks = pgTable("domain_blocks", {
  domain: text("domain").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One actor this instance will not hear from (migration 0017): its activities and follows are
 * refused; when the block was made its items were hidden from the hub, or purged with `purge`.
 */
export const actorBlocks = pgTable("actor_blocks", {
  actorIri: text("actor_iri").primaryKey(),
  purge: boolean("purge").notNull().default(false),
  reason: text("reason").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const reportState = pgEnum("report_state", ["open", "resolved"]);

/** A received `Flag`: who reported (usually a server's instance actor), whom and what, and why. */
export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey(),
    activityIri: text("activity_iri").notNull().unique(),
    reporterIri: text("reporter_iri").notNull(),
    /** The reporter's host: what the per-domain rate limit counts. */
    reporterDomain: text("reporter_domain").notNull(),
    targetActorIri: text("target_actor_iri"),
    objectIris: jsonb("object_iris").$type<string[]>().notNull().default([]),
    comment: text("comment").notNull().default(""),
    state: reportState("state").notNull().default("open"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("reports_state_received_idx").on(t.state, t.receivedAt.desc()),
    index("reports_domain_received_idx").on(t.reporterDomain, t.receivedAt.desc()),
  ],
);
