import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { PostgresKvStore } from "@fedify/postgres";
import type postgres from "postgres";

const TABLE = "fedify_kv_v2";

/**
 * @fedify/postgres 1.8's store lacks Fedify 2's `list()` and `cas()`; without them Fedify falls back
 * to slower paths.
 * The table is created by our migrations (0001_fedify_kv.sql).
 */
export class KvStoreWithList extends PostgresKvStore implements KvStore {
  readonly #sql: postgres.Sql;

  constructor(sql: postgres.Sql) {
    // Not `initialized: true`: initialize() also detects how postgres.js serializes JSON. Its
    // CREATE TABLE IF NOT EXISTS is a no-op because our migration made the table.
    super(sql, { tableName: TABLE });
    this.#sql = sql;
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

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const ttl = options?.ttl == null ? null : options.ttl.toString();
    const keyArray = [...key];
    return this.#sql.begin(async (tx) => {
      const rows = await tx<{ value: unknown }[]>`
        SELECT value FROM ${tx(TABLE)}
        WHERE key = ${keyArray}::text[] AND (ttl IS NULL OR created + ttl > CURRENT_TIMESTAMP)
        FOR UPDATE`;
      const current = rows[0]?.value;
      if (JSON.stringify(current) !== JSON.stringify(expectedValue)) return false;
      if (newValue === undefined) {
        await tx`DELETE FROM ${tx(TABLE)} WHERE key = ${keyArray}::text[]`;
      } else {
        await tx`
          INSERT INTO ${tx(TABLE)} (key, value, ttl, created)
          VALUES (${keyArray}::text[], ${JSON.stringify(newValue)}::jsonb, ${ttl}::interval, CURRENT_TIMESTAMP)
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, ttl = EXCLUDED.ttl, created = EXCLUDED.created`;
      }
      return true;
    }) as Promise<boolean>;
  }
}
