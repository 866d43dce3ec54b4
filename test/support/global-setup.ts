import postgres from "postgres";
import { connect } from "../../server/db/client.ts";
import { runMigrations } from "../../server/db/migrate.ts";
import { ADMIN_URL, databaseUrl } from "./db.ts";

/** Migrates a template database once; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(): Promise<() => Promise<void>> {
  // Workers start after this and inherit the environment: they clone this run's template.
  const TEMPLATE_DB = `baltic_tpl_${process.pid}_${Date.now().toString(36)}`;
  process.env.BALTIC_TEMPLATE_DB = TEMPLATE_DB;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  const template = connect(databaseUrl(TEMPLATE_DB), 2);
  await runMigrations({ ...template, embedded: false });
  await template.close();
  await admin.end();
  return async () => {
    const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await cleanup.end();
  };
}
