import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { PostgresKvStore } from "@fedify/postgres";
import type postgres from "postgres";

const TABLE = "fedify_kv_v2";
const SWEEP_INTERVAL_MS = 60_000;
const MAX_CACHED = 10_000;

/**
 * Keys Fedify reads around every delivery whose values rarely change, cached in this process
 * (how long, in ms, for a value and for an absent key):
 * - which signature standard a server speaks: a stale hint costs one extra signing attempt, and
 *   rewriting the same value is skipped;
 * - a host's circuit-breaker state, read before and after each delivery and almost always
 *   absent. Our own writes update the cache. Should another process open a host's circuit, we
 *   send to it at most once more: that failure's `cas` finds the stored state, which forgets
 *   the entry. A stored state (held deliveries) is re-read after a few seconds.
 */
function cacheMsFor(key: KvKey, value: unknown): number {
  if (key[0] !== "_fedify") return 0;
  if (key[1] === "httpMessageSignaturesSpec") return 60_000;
  if (key[1] === "circuit") return value === undefined ? 60_000 : 3_000;
  if (DOCUMENT_CACHES.has(String(key[1]))) return value === undefined ? 0 : 60_000;
  return 0;
}

/**
 * - the senders' keys and documents (actors, keys, contexts) Fedify has cached for a day, read
 *   several times for every inbox POST (a hub's hot path: bench:ingest). A rotated key fails
 *   verification once, and Fedify then deletes the entry, here as well. Absent keys are not
 *   remembered: Fedify fetches and stores them at once.
 */
const DOCUMENT_CACHES = new Set(["publicKey", "remoteDocument"]);
/** Documents larger than this are read from the table each time (they would fill memory). */
const MAX_CACHED_JSON = 32 * 1024;

/** Whether reads of `key` may be served from memory. */
const isCached = (key: KvKey) =>
  key[0] === "_fedify" &&
  (key[1] === "httpMessageSignaturesSpec" || key[1] === "circuit" || DOCUMENT_CACHES.has(String(key[1])));

/**
 * Fedify's key–value store on @fedify/postgres's table (created by migration 0001), with what
 * version 1.8 lacks or does slowly:
 * - `list()` and `cas()` from Fedify 2's interface (the delivery circuit breaker needs `cas`);
 * - `set()`/`delete()` without the full-table sweep of expired rows that 1.8 runs on every write
 *   (several writes per delivery); expired rows are swept once a minute instead, and reads
 *   already ignore them.
 */
export class KvStoreWithList extends PostgresKvStore implements KvStore {
  readonly #sql: postgres.Sql;
  #lastSweep = Date.now();
  readonly #cache = new Map<string, { json: string; value: unknown; until: number }>();

  constructor(sql: postgres.Sql) {
    super(sql, { tableName: TABLE });
    this.#sql = sql;
  }

  override async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    if (!isCached(key)) return super.get<T>(key);
    const cacheKey = JSON.stringify(key);
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.value as T;
    const value = await super.get<T>(key);
    this.#remember(key, cacheKey, value);
    return value;
  }

  override async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (isCached(key)) {
      const cacheKey = JSON.stringify(key);
      const cached = this.#cache.get(cacheKey);
      if (cached && cached.until > Date.now() && cached.json === JSON.stringify(value ?? null)) return;
      this.#remember(key, cacheKey, value);
    }
    const ttl = options?.ttl == null ? null : options.ttl.toString();
    await this.#sql`
      INSERT INTO ${this.#sql(TABLE)} (key, value, ttl, created)
      VALUES (${[...key]}::text[], ${JSON.stringify(value)}::jsonb, ${ttl}::interval, CURRENT_TIMESTAMP)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, ttl = EXCLUDED.ttl, created = EXCLUDED.created`;
    await this.#sweepNowAndThen();
  }

  override async delete(key: KvKey): Promise<void> {
    this.#cache.delete(JSON.stringify(key));
    await this.#sql`DELETE FROM ${this.#sql(TABLE)} WHERE key = ${[...key]}::text[]`;
  }

  #remember(key: KvKey, cacheKey: string, value: unknown): void {
    const ms = cacheMsFor(key, value);
    const json = JSON.stringify(value ?? null);
    if (ms === 0 || json.length > MAX_CACHED_JSON) {
      this.#cache.delete(cacheKey);
      return;
    }
    // Bounded: past the bound, start over rather than track recency.
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(cacheKey, { json, value, until: Date.now() + ms });
  }

  async *list(prefix: KvKey = [] as unknown as KvKey): AsyncIterable<KvStoreListEntry> {
    const keyPrefix = [...prefix];
    const rows = await this.#sql<{ key: string[]; value: unknown }[]>`
      SELECT key, value FROM ${this.#sql(TABLE)}
      WHERE key[1:${keyPrefix.length}] = ${keyPrefix}::text[]
        AND (ttl IS NULL OR created + ttl > CURRENT_TIMESTAMP)
      ORDER BY key`;
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }

  /** Compare-and-swap; the comparison is jsonb equality, so key order inside objects does not matter. */
  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const ttl = options?.ttl == null ? null : options.ttl.toString();
    const keyArray = [...key];
    const cacheKey = JSON.stringify(key);
    this.#cache.delete(cacheKey);
    const swapped = (await this.#sql.begin(async (tx) => {
      const [row] = await tx<{ same: boolean }[]>`
        SELECT value = ${JSON.stringify(expectedValue ?? null)}::jsonb AS same FROM ${tx(TABLE)}
        WHERE key = ${keyArray}::text[] AND (ttl IS NULL OR created + ttl > CURRENT_TIMESTAMP)
        FOR UPDATE`;
      // No live row matches only an expected `undefined`; a row matches only an equal value.
      if (row ? expectedValue === undefined || !row.same : expectedValue !== undefined) return false;
      if (newValue === undefined) {
        await tx`DELETE FROM ${tx(TABLE)} WHERE key = ${keyArray}::text[]`;
      } else {
        await tx`
          INSERT INTO ${tx(TABLE)} (key, value, ttl, created)
          VALUES (${keyArray}::text[], ${JSON.stringify(newValue)}::jsonb, ${ttl}::interval, CURRENT_TIMESTAMP)
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, ttl = EXCLUDED.ttl, created = EXCLUDED.created`;
      }
      return true;
    })) as boolean;
    if (swapped && isCached(key)) this.#remember(key, cacheKey, newValue);
    return swapped;
  }

  async #sweepNowAndThen(): Promise<void> {
    if (Date.now() - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = Date.now();
    await this
      .#sql`DELETE FROM ${this.#sql(TABLE)} WHERE ttl IS NOT NULL AND created + ttl < CURRENT_TIMESTAMP`;
  }
}
