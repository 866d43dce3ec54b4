import { getLogger } from "@logtape/logtape";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { projectPath } from "../paths.ts";
import type { Database } from "./client.ts";

const logger = getLogger(["baltic", "db"]);

export const migrationsFolder = projectPath("migrations");

// An arbitrary constant: the advisory lock every process takes while migrating.
const MIGRATION_LOCK = 72_411_903;

/**
 * Applies pending migrations; safe when several processes start at once (web, worker, a CLI
 * command): the first takes the lock and migrates, the others wait and then find nothing to do.
 */
export async function runMigrations(database: Pick<Database, "sql" | "db">): Promise<void> {
  // The lock lives on a reserved connection of the pool; the migration runs on another.
  const lock = await database.sql.reserve();
  try {
    await lock`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(database.db, { migrationsFolder });
    logger.debug("Migrations applied");
  } finally {
    await lock`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    lock.release();
  }
}
