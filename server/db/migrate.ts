import { fileURLToPath } from "node:url";
import { getLogger } from "@logtape/logtape";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Database } from "./client.ts";

const logger = getLogger(["baltic", "db"]);

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

// An arbitrary constant: the advisory lock every process takes while migrating.
const MIGRATION_LOCK = 72_411_903;

/**
 * Applies pending migrations; safe when several processes start at once. The lock is held on a
 * connection of its own, so a pool of one (the embedded database) stays free for the migration.
 */
export async function runMigrations(database: Database): Promise<void> {
  const lock = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await lock`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(database.db, { migrationsFolder });
    logger.debug("Migrations applied");
  } finally {
    await lock`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await lock.end({ timeout: 5 });
  }
}
