import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connect, type Database } from "../../server/db/client.ts";

/** The PostgreSQL every machine here has (DESIGN.md §3); TEST_DATABASE_HOST overrides. */
const HOST = process.env.TEST_DATABASE_HOST ?? "postgres@127.0.0.1:5432";
export const ADMIN_URL = `postgres://${HOST}/postgres`;
/** Per test run, so that runs in parallel (two checkouts, CI and a developer) do not collide. */
export const TEMPLATE_DB = process.env.BALTIC_TEMPLATE_DB ?? "baltic_test_template";

export function databaseUrl(name: string): string {
  return `postgres://${HOST}/${name}`;
}

export interface TestDatabase extends Database {
  name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template (~0.1 s), dropped by `drop()`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `baltic_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await admin.end();
  const database = connect(databaseUrl(name), 10);
  return {
    ...database,
    name,
    async drop() {
      await database.close();
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Messages waiting in the durable queue (their shared parts not counted). */
export async function queuedMessages(db: Pick<Database, "sql">): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM queue_messages WHERE queue <> '$shared'`;
  return row?.n ?? 0;
}
