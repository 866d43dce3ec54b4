import { serve } from "@hono/node-server";
import { getLogger } from "@logtape/logtape";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { runMigrations } from "./db/migrate.ts";
import { buildFederation } from "./federation/federation.ts";
import { createApp } from "./http/app.ts";
import { setupLogging } from "./logging.ts";
import { runWorkers } from "./services/workers.ts";

const logger = getLogger(["baltic", "main"]);

/** config → database → migrations → federation → HTTP and/or queue workers. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  await setupLogging(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 20,
  });
  await runMigrations(database);
  const setup = buildFederation(config, database);
  const { federation } = setup;
  const contextData = { db: database.db, config };
  const workerAbort = new AbortController();

  let queueDone: Promise<void> = Promise.resolve();
  if (config.nodeType !== "web") {
    queueDone = runWorkers(setup, { ...contextData, federation }, workerAbort.signal);
    logger.info("Queue worker started");
  }
  let server: ReturnType<typeof serve> | undefined;
  if (config.nodeType !== "worker") {
    const app = createApp({ config, db: database.db, federation });
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      logger.info("Listening on port {port}; public URL {url} ({role}, {nodeType}, {database})", {
        port: info.port,
        url: config.publicUrl.href,
        role: config.instanceRole,
        nodeType: config.nodeType,
        database: config.databaseUrl ? "PostgreSQL" : "embedded PGlite",
      });
    });
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("Received {signal}; shutting down", { signal });
    workerAbort.abort();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // Let in-flight deliveries finish (up to 10 s); what does not is retried after its lease.
    await Promise.race([queueDone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
