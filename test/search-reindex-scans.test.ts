import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../server/domain/accounts.ts";
import { createTestDatabase, type TestDatabase } from "./support/db.ts";

/**
 * search_reindex keeps one generic plan per session (migration 0024). A session that made it on a
 * new hub's empty tables must still read only the items it is given as the tables grow: with
 * sequential scans, each new item read every item before it (migration 0025).
 */
describe("search indexing in a session that began on empty tables", () => {
  let database: TestDatabase;
  let session: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    session = postgres(database.url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await session?.end();
    await database?.drop();
  });

  /** Rows read by sequential scans of the search path's tables, as the statistics show them now. */
  async function rowsReadBySequentialScans(): Promise<number> {
    await session`SELECT pg_stat_force_next_flush()`;
    const [row] = await session<{ n: string }[]>`
      SELECT coalesce(sum(seq_tup_read), 0)::text AS n FROM pg_stat_user_tables
      WHERE relname IN ('items', 'search_entries', 'accounts')`;
    return Number(row?.n);
  }

  it("reads items by id, however many the table holds", async () => {
    const account = await createAccount(database.db, { username: "vilnius", name: "Vilnius", country: "LT" });
    const insert = (n: number) => session`
      INSERT INTO items (id, iri, type, title, content, language, account_id, published)
      VALUES (gen_random_uuid(), ${`https://lib.example/items/${n}`}, 'Article', ${`Biblioteka ${n}`},
        '<p>Skaitymas bibliotekose</p>', 'lt', ${account.id}, now())`;
    // The first item makes this session's plans while the tables are empty.
    await insert(0);
    const before = await rowsReadBySequentialScans();
    for (let n = 1; n <= 300; n++) await insert(n);
    const read = (await rowsReadBySequentialScans()) - before;
    // With sequential scans this read 181,500 rows: every table, in full, for each item.
    expect(read).toBeLessThan(1000);
    const [entries] = await session<{ n: number }[]>`SELECT count(*)::int AS n FROM search_entries`;
    expect(entries?.n).toBe(301);
  });
});
