import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
