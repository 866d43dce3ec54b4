import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Db } from "./client.ts";

/**
 * A small table kept in memory per process and per database client (the block lists: every inbox
 * POST asks, they are short and rarely change). A change made by any process (admin page, CLI,
 * another web process) sends a NOTIFY on the channel that empties every process's copy at once;
 * the copy is re-read every RECHECK_MS anyway, should a notification be lost (the listening
 * connection dropped). Concurrent readers share one load, so an emptied cache costs one query.
 */
const RECHECK_MS = 30_000;

interface Entry {
  values: Promise<Set<string>> | undefined;
  loadedAt: number;
  listening: Promise<unknown>;
}

/** Per database client, then per channel. */
const caches = new WeakMap<object, Map<string, Entry>>();

/** The postgres.js client under a Drizzle handle (a transaction has none: it is not cached). */
function clientOf(db: Db): postgres.Sql | undefined {
  return (db as unknown as { $client?: postgres.Sql }).$client;
}

function entryFor(client: postgres.Sql, channel: string): Entry {
  let byChannel = caches.get(client);
  if (!byChannel) {
    byChannel = new Map();
    caches.set(client, byChannel);
  }
  let entry = byChannel.get(channel);
  if (!entry) {
    const fresh: Entry = { values: undefined, loadedAt: 0, listening: Promise.resolve() };
    fresh.listening = client
      .listen(channel, () => {
        fresh.values = undefined;
      })
      .catch(() => {
        // Without LISTEN, RECHECK_MS bounds how stale the copy may be.
      });
    byChannel.set(channel, fresh);
    entry = fresh;
  }
  return entry;
}

/**
 * The cached set, loaded by `load` when empty or stale; null when `db` is a transaction (the
 * caller then asks the database directly).
 */
export async function notifiedSet(
  db: Db,
  channel: string,
  load: (db: Db) => Promise<Set<string>>,
): Promise<Set<string> | null> {
  const client = clientOf(db);
  if (!client) return null;
  const entry = entryFor(client, channel);
  // Listening first: a change committed after our read is then always heard.
  await entry.listening;
  if (!entry.values || Date.now() - entry.loadedAt > RECHECK_MS) {
    const loading = load(db);
    entry.values = loading;
    entry.loadedAt = Date.now();
    loading.catch(() => {
      if (entry.values === loading) entry.values = undefined;
    });
  }
  return entry.values;
}

/** Tells every process (this one at once) that the table behind `channel` changed. */
export async function announceChanged(db: Db, channel: string): Promise<void> {
  const client = clientOf(db);
  const entry = client ? caches.get(client)?.get(channel) : undefined;
  if (entry) entry.values = undefined;
  await db.execute(sql`SELECT pg_notify(${channel}, '')`);
}
