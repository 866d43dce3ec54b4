import { getLogger } from "@logtape/logtape";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { APPLICATION_PREFIX, startEmbeddedDatabase } from "./embedded/server.ts";
import * as schema from "./schema/index.ts";

const logger = getLogger(["baltic", "db"]);

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; domain functions that may run inside one take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** An open database: Drizzle for queries, the raw postgres.js client for Fedify's KV and queue. */
export interface Database {
  db: Db;
  sql: postgres.Sql;
  /** The connection string (with its password: never log it). */
  url: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  maxConnections?: number;
  /**
   * Who we are in `pg_stat_activity` (web, worker, all, cli): the embedded database stops when
   * the last of our processes leaves it, and operators can tell connections apart.
   */
  role: string;
}

/**
 * For `.prepare(PER_ACTIVITY).execute()` on the statements every received activity runs (the
 * sender's lookup, the follow check, the item's upsert). Drizzle sends other statements unnamed:
 * PostgreSQL parses and plans them on every call, after a round trip that describes their
 * parameters. A named one is prepared once per connection by postgres.js (which picks its own
 * statement names, so one name serves all). The sender's lookup, 4 at a time: PostgreSQL CPU
 * 153–170 → 47–50 µs, ours 308–383 → 220–243 µs. Only for statements of a few fixed shapes
 * that read or write by a key: each shape stays prepared for the connection's life, and a
 * prepared statement may move to a generic plan.
 */
export const PER_ACTIVITY = "per_activity";

/**
 * A statement Drizzle builds once per database handle, run with `.execute({ name: value })` for
 * its `sql.placeholder(name)`s: building a query costs more than PostgreSQL's work on a prepared
 * one (the sender's lookup 80–100 µs, the follow check 45 µs, per received activity). Drizzle
 * encodes a placeholder's value with its column's encoder even when it is null (a jsonb column
 * would store the JSON `null`, a timestamp throws): a column that may be null there, other than
 * text or uuid, takes a raw placeholder (sql`${sql.placeholder(name)}`) with its value encoded
 * by the caller, as storeRemoteObject's upsert does.
 */
export function builtOnce<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}

/** Drizzle and postgres.js over any PostgreSQL connection string. */
export function connect(url: string, maxConnections = 10, role = "app"): Database {
  const sql = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    // JIT compilation off: it starts at a plan cost a search of a common word under a filter
    // reaches, and compiling took 10–13 ms of such a ~100 ms query (bench:search); nothing we
    // run is a long analytic query where it would pay off.
    connection: { application_name: `${APPLICATION_PREFIX}${role}`, jit: "off" },
  });
  return { sql, db: drizzle(sql, { schema }), url, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Opens the configured database: DATABASE_URL, or without it the embedded PostgreSQL in DATA_DIR
 * (started if no other process of ours runs it, and stopped by the last one to close it).
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const max = options.maxConnections ?? 10;
  if (options.databaseUrl) return connect(options.databaseUrl, max, options.role);
  const embedded = await startEmbeddedDatabase(options.dataDir);
  const database = connect(embedded.url, max, options.role);
  if (options.role !== "cli") {
    // The last of our processes to leave stops the database, counted by their connections. Pool
    // connections come and go (postgres.js recycles them), so a long-running process holds one
    // that lasts: postgres.js keeps a LISTEN connection open and reconnects it.
    await database.sql.listen("baltic_presence", () => {});
  }
  logger.debug("Connected to the embedded database ({how})", {
    how: embedded.started ? "started" : "adopted",
  });
  return {
    ...database,
    async close() {
      await database.close();
      await embedded.release();
    },
  };
}
