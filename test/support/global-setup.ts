import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { ensureBuilt } from "../../scripts/build.ts";
import { connect } from "../../server/db/client.ts";
import { prepareCluster } from "../../server/db/embedded/cluster.ts";
import { runMigrations } from "../../server/db/migrate.ts";
import { ADMIN_URL, databaseUrl } from "./db.ts";

/**
 * Once per run, before the test files: migrate a template database that each file clones
 * (CREATE DATABASE … TEMPLATE), initialise one embedded data folder that tests copy instead of
 * running initdb each time, and build dist/ so spawned servers and CLI commands start at once.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Workers start after this and inherit the environment.
  const TEMPLATE_DB = `baltic_tpl_${process.pid}_${Date.now().toString(36)}`;
  process.env.BALTIC_TEMPLATE_DB = TEMPLATE_DB;
  const embeddedTemplate = mkdtempSync(join(tmpdir(), "baltic-embedded-template-"));
  process.env.BALTIC_EMBEDDED_TEMPLATE = embeddedTemplate;

  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  const template = connect(databaseUrl(TEMPLATE_DB), 2);
  await Promise.all([runMigrations(template), prepareCluster(embeddedTemplate), ensureBuilt()]);
  await template.close();
  // Spawned servers and CLI commands run the bundle just built (scripts/run.ts).
  process.env.BALTIC_BUNDLE_BUILT = "1";
  await admin.end();
  return async () => {
    rmSync(embeddedTemplate, { recursive: true, force: true });
    const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await cleanup.end();
  };
}
