import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { getLogger } from "@logtape/logtape";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

const logger = getLogger(["baltic", "db"]);

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; domain functions that may run inside one take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** An open database: Drizzle for queries, the raw postgres.js client for Fedify's KV and queue. */
export interface Database {
  db: Db;
  sql: postgres.Sql;
  /** The connection string other processes (the CLI) can use while this one runs. */
  url: string;
  /** True when this process hosts the embedded PGlite database. */
  embedded: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Pool size; the embedded socket server accepts a few more than this. */
  maxConnections?: number;
}

/** Drizzle and postgres.js over any PostgreSQL connection string. */
export function connect(url: string, maxConnections = 10): Omit<Database, "embedded"> {
  const sql = postgres(url, { max: maxConnections, onnotice: () => {} });
  return { sql, db: drizzle(sql, { schema }), url, close: () => sql.end({ timeout: 5 }) };
}

interface EmbeddedServerFile {
  pid: number;
  port: number;
}

function portFilePath(dataDir: string): string {
  return join(dataDir, "pglite.json");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded database of a running server in this DATA_DIR, if one is running. */
export function findRunningEmbedded(dataDir: string): string | undefined {
  const path = portFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as EmbeddedServerFile;
    if (info.pid !== process.pid && isAlive(info.pid)) return embeddedUrl(info.port);
  } catch {
    // A half-written or stale file: treat as no server.
  }
  return undefined;
}

function embeddedUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/**
 * Opens the configured database. Without DATABASE_URL it starts PGlite persisted in DATA_DIR and
 * serves it on a loopback port, so postgres.js, Drizzle and Fedify run unchanged; if another
 * process of ours already hosts it, we connect to that one instead of opening the files twice.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const max = options.maxConnections ?? 10;
  if (options.databaseUrl) return { ...connect(options.databaseUrl, max), embedded: false };

  const running = findRunningEmbedded(options.dataDir);
  if (running) {
    logger.debug("Using the embedded database of the running server at {url}", { url: running });
    return { ...connect(running, 1), embedded: false };
  }

  const dir = join(options.dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  logger.info("Opening the embedded database in {dir}", { dir });
  const pglite = await PGlite.create(dir, { extensions: { pg_trgm, unaccent } });
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: max + 8 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  const file = portFilePath(options.dataDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, port } satisfies EmbeddedServerFile));
  // PGlite is one session: pglite-socket interleaves protocol messages of concurrent connections,
  // so two of ours could mix up each other's Parse/Bind. One connection keeps queries whole.
  const client = connect(embeddedUrl(port), 1);
  return {
    ...client,
    embedded: true,
    async close() {
      await client.close();
      rmSync(file, { force: true });
      await server.stop();
      await pglite.close();
    },
  };
}
