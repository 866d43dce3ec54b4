/**
 * The delivery thread of a NODE_TYPE=all process (see delivery-thread.ts): Fedify's queues and
 * our item jobs, as a NODE_TYPE=worker process runs them, on the main thread's database.
 */
import { parentPort, workerData } from "node:worker_threads";
import { getLogger } from "@logtape/logtape";
import { loadConfig } from "../config.ts";
import { connect } from "../db/client.ts";
import { buildFederation } from "../federation/federation.ts";
import { installAddressGuard } from "../ingest/address-guard.ts";
import { setupLogging } from "../logging.ts";
import { openMediaStorage } from "../storage/index.ts";
import type { DeliveryThreadData } from "./delivery-thread.ts";
import { runWorkers } from "./workers.ts";

const logger = getLogger(["baltic", "worker"]);

const data = workerData as DeliveryThreadData;
const config = loadConfig({ ...data.env, NODE_TYPE: "worker" });
await setupLogging(config.logLevel);
installAddressGuard({ allowPrivateAddress: config.allowPrivateAddress });
const database = connect(data.databaseUrl, 10, "worker");
const setup = buildFederation(config, database);
const abort = new AbortController();
parentPort?.on("message", (message) => {
  if (message === "stop") abort.abort();
});
logger.debug("Delivery thread started");
try {
  await runWorkers(
    setup,
    { db: database.db, config, federation: setup.federation, storage: openMediaStorage(config) },
    abort.signal,
  );
} finally {
  await database.close();
  // The port keeps the thread alive; closing it lets the thread end once its work is done.
  parentPort?.close();
}
