import { createFederation, type Federation } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import type { AppContext } from "./context.ts";
import { registerInbox } from "./inbox/index.ts";
import { KvStoreWithList } from "./kv.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import { PostgresAtLeastOnceQueue } from "./queue.ts";

export interface FederationSetup {
  federation: Federation<AppContext>;
  queue: PostgresAtLeastOnceQueue;
}

/** Builds the Fedify federation over our database: KV store, durable queue and all dispatchers. */
export function buildFederation(config: Config, database: Database): FederationSetup {
  const queue = new PostgresAtLeastOnceQueue(database.sql, {
    // LISTEN/NOTIFY does not cross PGlite's socket: poll often there instead.
    useNotify: !database.url.includes("127.0.0.1") || config.databaseUrl != null,
    pollIntervalMs: config.databaseUrl ? 1000 : 100,
  });
  const federation = createFederation<AppContext>({
    kv: new KvStoreWithList(database.sql),
    queue,
    origin: config.publicUrl.href,
    // Web processes only enqueue; worker (and "all") processes start the queue themselves.
    manuallyStartQueue: true,
    allowPrivateAddress: config.allowPrivateAddress,
    userAgent: { software: "BalticLibraries/0.1.0", url: config.publicUrl },
  });
  registerActors(federation);
  registerObjects(federation);
  registerCollections(federation);
  registerInbox(federation);
  registerNodeInfo(federation);
  return { federation, queue };
}
