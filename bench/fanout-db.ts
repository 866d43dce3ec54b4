import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { connect, type Database } from "../server/db/client.ts";
import { runMigrations } from "../server/db/migrate.ts";

export interface BenchDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the server `adminUrl` points at, dropped by `drop()`. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `baltic_bench_${randomBytes(6).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  // The bench's own connection: set-up, queue depth, statistics (the instance opens its own).
  const database = connect(url.href, 4, "bench");
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
    drop,
  };
}

/**
 * Transactions committed or rolled back in this database so far (each statement outside a
 * transaction is one): what the instance asks of PostgreSQL. Backends report them within ~1 s.
 */
export async function transactionsSoFar(database: Database): Promise<number> {
  const [row] = await database.sql<{ n: string }[]>`
    SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`;
  return Number(row?.n ?? Number.NaN);
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
