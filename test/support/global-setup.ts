import postgres from "postgres";
import { connect } from "../../server/db/client.ts";
import { runMigrations } from "../../server/db/migrate.ts";
import { ADMIN_URL, databaseUrl, TEMPLATE_DB } from "./db.ts";

/** Migrates a template database once; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(): Promise<() => Promise<void>> {
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
