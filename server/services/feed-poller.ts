import { getLogger } from "@logtape/logtape";
import { eq } from "drizzle-orm";
import { accounts } from "../db/schema/index.ts";
import type { Account } from "../domain/accounts.ts";
import { ValidationError } from "../domain/errors.ts";
import { claimDueFeeds, type FeedSource, recordFeedPoll } from "../domain/feed-sources.ts";
import { fetchFeed } from "../ingest/feed.ts";
import type { Services } from "./context.ts";
import { type FeedImportOptions, type FeedImportSummary, importFeedEntries } from "./imports.ts";
import { runPeriodically } from "./periodic.ts";

const logger = getLogger(["baltic", "feeds"]);

/** How often a worker looks for feeds that are due. */
const TICK_MS = 60_000;
/**
 * A feed's first poll takes in at most this many of its newest entries, as drafts whatever its
 * mode: attaching a website's feed must not send its archive to every follower. Older entries
 * come with `import feed` (the CLI backfill).
 */
export const FIRST_POLL_ENTRIES = 50;

/** Fetches a feed once and imports its new entries (the CLI backfill; the bench). */
export async function importFeedOnce(
  services: Services,
  account: Account,
  url: string,
  options: FeedImportOptions,
): Promise<FeedImportSummary> {
  const result = await fetchFeed(url, services.config);
  if (result.notModified) return { total: 0, imported: 0, skipped: 0, failed: [] };
  return importFeedEntries(services, account, result.feed, options);
}

/** One poll of one attached feed; its outcome (or error) is recorded on the feed for the admin page. */
export async function pollFeedSource(
  services: Services,
  source: FeedSource,
): Promise<FeedImportSummary | null> {
  const account = await services.db.query.accounts.findFirst({ where: eq(accounts.id, source.accountId) });
  if (!account) return null;
  try {
    const result = await fetchFeed(source.url, services.config, source);
    if (result.notModified) {
      await recordFeedPoll(services.db, source.id, { ok: true });
      return { total: 0, imported: 0, skipped: 0, failed: [] };
    }
    const first = source.lastFetchedAt == null;
    const summary = await importFeedEntries(services, account, result.feed, {
      mode: first ? "draft" : source.mode,
      limit: first ? FIRST_POLL_ENTRIES : undefined,
    });
    const failure = summary.failed[0];
    await recordFeedPoll(services.db, source.id, {
      ok: true,
      etag: result.etag,
      lastModified: result.lastModified,
      error: failure ? `${summary.failed.length} entries failed; ${failure.entry}: ${failure.reason}` : null,
    });
    if (summary.imported > 0) {
      logger.info("Imported {count} entries of {url} for {account}", {
        count: summary.imported,
        url: source.url,
        account: account.username,
      });
    }
    return summary;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    await recordFeedPoll(services.db, source.id, { ok: false, error: error.message });
    logger.warn("Feed {url} of {account}: {error}", {
      url: source.url,
      account: account.username,
      error: error.message,
    });
    return null;
  }
}

/** Polls every feed that is due, a batch at a time; returns how many were polled. */
export async function pollDueFeeds(services: Services, signal?: AbortSignal): Promise<number> {
  let polled = 0;
  while (!signal?.aborted) {
    const due = await claimDueFeeds(services.db);
    if (due.length === 0) break;
    for (const source of due) {
      if (signal?.aborted) break;
      try {
        await pollFeedSource(services, source);
      } catch (error) {
        // One broken feed (or a bug it triggers) must not stop the others.
        logger.error("Polling {url} failed: {error}", { url: source.url, error });
      }
      polled++;
    }
  }
  return polled;
}

/**
 * The worker's feed poller (NODE_TYPE=worker or all): every minute, the attached feeds that are
 * due. Several workers share the work through claimDueFeeds(). Resolves once `signal` aborts.
 */
export function runFeedPoller(services: Services, signal: AbortSignal): Promise<void> {
  return runPeriodically(
    TICK_MS,
    signal,
    () => pollDueFeeds(services, signal),
    (error) => logger.error("Feed polling failed: {error}", { error }),
  );
}
