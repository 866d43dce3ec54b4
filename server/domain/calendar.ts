import { and, asc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type EventLocation, items } from "../db/schema/index.ts";
import type { Item } from "./items.ts";

const MAX_EVENTS = 500;

/** One account's events that overlap [from, to), by start time. */
export function eventsBetween(db: Db, accountId: string, from: Date, to: Date): Promise<Item[]> {
  return db
    .select()
    .from(items)
    .where(
      and(
        eq(items.accountId, accountId),
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
export function upcomingEvents(db: Db, accountId: string, limit = 50, now = new Date()): Promise<Item[]> {
  return db
    .select()
    .from(items)
    .where(
      and(
        eq(items.accountId, accountId),
        isNull(items.deletedAt),
        or(gte(items.startsAt, now), gte(items.endsAt, now)),
      ),
    )
    .orderBy(asc(items.startsAt))
    .limit(limit);
}

/** Events for a feed: the coming ones and those of the last 90 days, soonest first. */
export function feedEvents(db: Db, accountId: string, now = new Date()): Promise<Item[]> {
  const since = new Date(now.getTime() - 90 * 24 * 3600 * 1000);
  return eventsBetween(db, accountId, since, new Date(now.getTime() + 5 * 365 * 24 * 3600 * 1000));
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
