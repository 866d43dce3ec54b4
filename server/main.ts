import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { getLogger } from "@logtape/logtape";
import { type Config, loadConfig } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { runMigrations } from "./db/migrate.ts";
import { buildFederation } from "./federation/federation.ts";
import { createApp } from "./http/app.ts";
import { installAddressGuard } from "./ingest/address-guard.ts";
import { setupLogging } from "./logging.ts";
import { runDeliveryThread } from "./services/delivery-thread.ts";
import { runWorkers } from "./services/workers.ts";
import { StartupError } from "./startup-error.ts";
import { openMediaStorage } from "./storage/index.ts";

const logger = getLogger(["baltic", "main"]);

/** Starts listening; a port that is taken becomes a StartupError instead of a crash. */
function listen(config: Config, fetch: Parameters<typeof serve>[0]["fetch"]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }) as Server;
    // Idle keep-alive sockets live longer than any client's or proxy's (Node's 5 s default is
    // shorter than nginx's and close to undici's 4 s): else a busy server may close a socket just
    // as the client reuses it, and that request fails with ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.once("listening", () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new StartupError(`PORT ${config.port} is already in use`));
      else if (error.code === "EACCES") reject(new StartupError(`PORT ${config.port}: permission denied`));
      else reject(error);
    });
  });
}

/** config → database → migrations → federation → HTTP and/or queue workers. */
async function main(): Promise<void> {
  const config = loadConfig();
  await setupLogging(config.logLevel);
  // Fedify delivers (and looks up WebFinger) with the global fetch: it gets our address rules.
  installAddressGuard({ allowPrivateAddress: config.allowPrivateAddress });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: 20,
    role: config.nodeType,
  });
  try {
    await serveAndWork(config, database);
  } catch (error) {
    // Leave nothing running behind a failed start (the embedded database in particular).
    await database.close().catch(() => {});
    throw error;
  }
}

async function serveAndWork(config: Config, database: Database): Promise<void> {
  await runMigrations(database);
  const setup = buildFederation(config, database);
  const { federation } = setup;
  const storage = openMediaStorage(config);
  const contextData = { db: database.db, config, storage };
  const workerAbort = new AbortController();

  let server: Server | undefined;
  if (config.nodeType !== "worker") {
    const app = createApp({ config, db: database.db, federation, storage });
    server = await listen(config, app.fetch);
    logger.info("Listening on port {port}; public URL {url} ({role}, {nodeType}, {database})", {
      port: config.port,
      url: config.publicUrl.href,
      role: config.instanceRole,
      nodeType: config.nodeType,
      database: config.databaseUrl ? "PostgreSQL" : "embedded PostgreSQL",
    });
  }
  let queueDone: Promise<void> = Promise.resolve();
  if (config.nodeType === "worker") {
    queueDone = runWorkers(setup, { ...contextData, federation }, workerAbort.signal);
    logger.info("Queue worker started");
  } else if (config.nodeType === "all") {
    queueDone = runDeliveryThread({ env: process.env, databaseUrl: database.url }, workerAbort.signal);
    logger.info("Queue worker started in a thread of its own");
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

try {
  await main();
} catch (error) {
  // A set-up problem (configuration, DATA_DIR, the embedded database, the port) is one clear
  // line and exit code 2; anything else is a bug and keeps its stack.
  if (!(error instanceof StartupError)) throw error;
  console.error(error.message);
  process.exit(2);
}
