import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect, type Database } from "../../server/db/client.ts";

/** The pid and port PostgreSQL recorded for DATA_DIR's embedded server, if it is running. */
export function postmaster(dataDir: string): { pid: number; port: number } | null {
  const file = join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** Whether the process lives (a zombie, dead but not yet reaped by its parent, does not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state …"; Z is a zombie.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (not Linux): the signal check has to do
  }
}

/** A connection of the test's own to the embedded database a server of DATA_DIR runs. */
export function connectEmbedded(dataDir: string): Database {
  const server = postmaster(dataDir);
  if (!server) throw new Error(`no embedded database runs for ${dataDir}`);
  const password = readFileSync(join(dataDir, "postgres.password"), "utf8").trim();
  return connect(`postgres://postgres:${password}@127.0.0.1:${server.port}/baltic`, 2, "test");
}

/** The number of rows of a table, on a short-lived connection. */
export async function countRows(database: Database, table: string): Promise<number> {
  const [row] = await database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${database.sql(table)}`;
  return row?.n ?? 0;
}
