import { and, asc, eq, gte, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type EventLocation, items } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import type { Item } from "./items.ts";

const MAX_EVENTS = 500;

/**
 * A hub's shared calendar: besides the account's own events, every event received from the
 * sources it follows (accepted), less those curators hid (curation, migration 0016), filtered.
 */
export interface SharedCalendarFilter {
  country?: string;
  mode?: "online" | "onsite";
  language?: string;
}

/** The shared calendar's filters from a query string; a bad one is a ValidationError naming it. */
export function parseSharedFilter(query: Record<string, string | undefined>): SharedCalendarFilter {
  const country = query.country?.trim().toUpperCase() || undefined;
  if (country && !/^[A-Z]{2}$/.test(country))
    throw new ValidationError("country", "use a two-letter code (LT, LV…)");
  const mode = query.mode?.trim() || undefined;
  if (mode && mode !== "online" && mode !== "onsite")
    throw new ValidationError("mode", "use online or onsite");
  const language = query.language?.trim().toLowerCase() || undefined;
  if (language && !/^[a-z]{2,8}$/.test(language))
    throw new ValidationError("language", "use a language code (lt, lv, en…)");
  return { country, mode: mode as SharedCalendarFilter["mode"], language };
}

/** Whose events: one account's, or (shared) also those received by the hub's account. */
function whose(accountId: string, shared: SharedCalendarFilter | undefined): SQL | undefined {
  if (!shared) return eq(items.accountId, accountId);
  const conditions: SQL[] = [
    sql`(${items.accountId} = ${accountId} OR ${items.remoteActorId} IN (
      SELECT actor_id FROM following WHERE account_id = ${accountId} AND state = 'accepted'))`,
    sql`NOT EXISTS (SELECT 1 FROM curation WHERE curation.item_id = ${items.id} AND curation.state = 'hidden')`,
  ];
  if (shared.country) {
    conditions.push(sql`(${items.remoteActorId} IN (SELECT id FROM remote_actors WHERE country = ${shared.country})
      OR (${items.accountId} IS NOT NULL AND EXISTS (SELECT 1 FROM accounts WHERE accounts.id = ${items.accountId} AND accounts.country = ${shared.country})))`);
  }
  if (shared.language) conditions.push(eq(items.language, shared.language));
  if (shared.mode === "online") conditions.push(sql`${items.details} #>> '{location,online}' IS NOT NULL`);
  if (shared.mode === "onsite")
    conditions.push(sql`${items.details} #>> '{location,place,name}' IS NOT NULL`);
  return and(...conditions);
}

/** One account's events (or a hub's shared ones) that overlap [from, to), by start time. */
export function eventsBetween(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
  shared?: SharedCalendarFilter,
): Promise<Item[]> {
  return db
    .select()
    .from(items)
    .where(
      and(
        whose(accountId, shared),
        isNull(items.deletedAt),
        lt(items.startsAt, to),
        // An event without an end is over when it starts.
        sql`coalesce(${items.endsAt}, ${items.startsAt}) >= ${from.toISOString()}`,
      ),
    )
    .orderBy(asc(items.startsAt))
    .limit(MAX_EVENTS);
}

/** One account's events not yet over, soonest first. */
export function upcomingEvents(
  db: Db,
  accountId: string,
  limit = 50,
  now = new Date(),
  shared?: SharedCalendarFilter,
): Promise<Item[]> {
  return db
    .select()
    .from(items)
    .where(
      and(
        whose(accountId, shared),
        sql`${items.startsAt} IS NOT NULL`,
        isNull(items.deletedAt),
        or(gte(items.startsAt, now), gte(items.endsAt, now)),
      ),
    )
    .orderBy(asc(items.startsAt))
    .limit(limit);
}

/** Events for a feed: the coming ones and those of the last 90 days, soonest first. */
export function feedEvents(
  db: Db,
  accountId: string,
  now = new Date(),
  shared?: SharedCalendarFilter,
): Promise<Item[]> {
  const since = new Date(now.getTime() - 90 * 24 * 3600 * 1000);
  return eventsBetween(db, accountId, since, new Date(now.getTime() + 5 * 365 * 24 * 3600 * 1000), shared);
}

/**
 * What a calendar shows of a scheduled item: its zone and where it happens. An event has both;
 * a live webcast happens online, at its stream (or its page). Null for anything unscheduled.
 */
export function scheduleOf(item: Item): { timeZone: string; location: EventLocation } | null {
  if (!item.startsAt) return null;
  if (item.details?.kind === "event") {
    return { timeZone: item.details.timeZone ?? "UTC", location: item.details.location };
  }
  if (item.details?.kind === "webcast" && item.details.live) {
    return {
      timeZone: item.details.timeZone ?? "UTC",
      location: { online: item.details.streamUrl ?? item.url ?? item.iri },
    };
  }
  return null;
}
