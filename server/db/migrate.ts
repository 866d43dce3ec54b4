import { fileURLToPath } from "node:url";
import { getLogger } from "@logtape/logtape";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";

const logger = getLogger(["baltic", "db"]);

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

// An arbitrary constant: the advisory lock every process takes while migrating.
const MIGRATION_LOCK = 72_411_903;

/** Applies pending migrations; safe when several processes start at once. */
export async function runMigrations(database: Database): Promise<void> {
  const reserved = await database.sql.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(database.db, { migrationsFolder });
    logger.debug("Migrations applied");
  } finally {
    await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    reserved.release();
  }
}
