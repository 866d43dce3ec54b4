import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { connect, type Database } from "../server/db/client.ts";
import { runMigrations } from "../server/db/migrate.ts";
import * as schema from "../server/db/schema/index.ts";

/** Statements sent, by their first words: what the server asks of PostgreSQL per delivery. */
export type QueryCounts = Map<string, number>;

export interface BenchDatabase {
  database: Database;
  url: string;
  /** Filled only when counting was asked for (it costs a stack capture per query). */
  queries: QueryCounts | undefined;
  drop(): Promise<void>;
}

const POOL_SIZE = 20; // as server/main.ts opens it

function shapeOf(query: string): string {
  return query.replace(/\s+/g, " ").trim().slice(0, 90);
}

/**
 * A fresh, migrated database on the server `adminUrl` points at, dropped by `drop()`. With
 * `countQueries` the pool is postgres.js's `debug` hook away from `connect()`'s, nothing more.
 */
export async function createBenchDatabase(adminUrl: string, countQueries: boolean): Promise<BenchDatabase> {
  const name = `baltic_bench_${randomBytes(6).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  let database: Database;
  let queries: QueryCounts | undefined;
  if (countQueries) {
    const counts: QueryCounts = new Map();
    const sql = postgres(url.href, {
      max: POOL_SIZE,
      onnotice: () => {},
      debug: (_connection, query) => counts.set(shapeOf(query), (counts.get(shapeOf(query)) ?? 0) + 1),
    });
    database = {
      sql,
      db: drizzle(sql, { schema }),
      url: url.href,
      close: () => sql.end({ timeout: 5 }),
    };
    queries = counts;
  } else {
    database = connect(url.href, POOL_SIZE);
  }
  const drop = async () => {
    await database.close().catch(() => {});
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
  await runMigrations(database).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return {
    database,
    url: url.href,
    queries,
    drop,
  };
}

/** The counts that grew between two snapshots, divided by `per`, largest first. */
export function queriesPer(before: QueryCounts, after: QueryCounts, per: number): Record<string, number> {
  const out: [string, number][] = [];
  for (const [shape, n] of after) {
    const grown = n - (before.get(shape) ?? 0);
    if (grown > 0) out.push([shape, Math.round((grown / per) * 100) / 100]);
  }
  return Object.fromEntries(out.sort((a, b) => b[1] - a[1]));
}

/** CPU seconds a process on this machine has used, from /proc/<pid>/stat (utime + stime). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields 14 and 15, counted after the parenthesised command name; USER_HZ is 100 on Linux.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving this database: only possible when
 * the server runs on this machine; undefined otherwise.
 */
export async function postgresCpuSeconds(database: Database): Promise<number | undefined> {
  try {
    const rows = await database.sql<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    return rows.reduce((sum, { pid }) => sum + processCpuSeconds(pid), 0);
  } catch {
    return undefined;
  }
}
