import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { FEED_MODES, type FeedMode, feedSources } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { httpUrlField } from "./fields.ts";

export type FeedSource = typeof feedSources.$inferSelect;

/** How often one feed is fetched. A library website posts a few times a week. */
export const FEED_INTERVAL_MINUTES = 30;

export function feedMode(value: string | undefined): FeedMode {
  const mode = value?.trim() || "draft";
  if (!(FEED_MODES as readonly string[]).includes(mode)) {
    throw new ValidationError("mode", "must be draft or publish");
  }
  return mode as FeedMode;
}

export async function addFeedSource(
  db: Db,
  accountId: string,
  input: { url: string; mode?: string },
): Promise<FeedSource> {
  const url = httpUrlField("feed", input.url);
  if (!url) throw new ValidationError("feed", "must not be empty");
  const [row] = await db
    .insert(feedSources)
    .values({ id: uuidv7(), accountId, url, mode: feedMode(input.mode) })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ValidationError("feed", `${url} is already attached to this account`);
  return row;
}

export function listFeedSources(db: Db, accountId: string): Promise<FeedSource[]> {
  return db.query.feedSources.findMany({
    where: eq(feedSources.accountId, accountId),
    orderBy: [asc(feedSources.createdAt)],
  });
}

export async function removeFeedSource(db: Db, accountId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const rows = await db
    .delete(feedSources)
    .where(and(eq(feedSources.id, id), eq(feedSources.accountId, accountId)))
    .returning({ id: feedSources.id });
  return rows.length > 0;
}

/**
 * Takes up to `limit` feeds that are due and moves their next fetch one interval on, in one
 * statement with SKIP LOCKED: workers that poll at the same moment never take the same feed.
 */
export async function claimDueFeeds(db: Db, limit = 10): Promise<FeedSource[]> {
  const due = db
    .select({ id: feedSources.id })
    .from(feedSources)
    .where(lte(feedSources.nextFetchAt, sql`now()`))
    .orderBy(asc(feedSources.nextFetchAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(feedSources)
    .set({ nextFetchAt: sql`now() + make_interval(mins => ${FEED_INTERVAL_MINUTES})` })
    .where(inArray(feedSources.id, due))
    .returning();
}

/** What one poll found: success (with the server's validators) or the error to show the editor. */
export async function recordFeedPoll(
  db: Db,
  id: string,
  result:
    | { ok: true; etag?: string | null; lastModified?: string | null; error?: string | null }
    | { ok: false; error: string },
): Promise<void> {
  await db
    .update(feedSources)
    .set(
      result.ok
        ? {
            lastFetchedAt: new Date(),
            lastError: result.error ?? null,
            ...(result.etag !== undefined && {
              etag: result.etag,
              lastModified: result.lastModified ?? null,
            }),
          }
        : { lastError: result.error.slice(0, 2000) },
    )
    .where(eq(feedSources.id, id));
}
