import { createFederation, type Federation, SendActivityError } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { recordDeliveryFailure } from "../domain/delivery-failures.ts";
import { removeGoneFollowers } from "../domain/follows.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import type { AppContext } from "./context.ts";
import { authenticatedLoaderFactory, safeDocumentLoaderFactory } from "./document-loader.ts";
import { registerInbox } from "./inbox/index.ts";
import { JOBS_QUEUE } from "./item-jobs.ts";
import { ShapingQueue } from "./json-shape.ts";
import { KvStoreWithList } from "./kv.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import { PostgresAtLeastOnceQueue } from "./queue.ts";

const logger = getLogger(["baltic", "federation"]);

/** What a failure record says of the activity that failed. */
function failedDelivery(activity: Activity | null) {
  return {
    actorIri: activity?.actorId?.href ?? null,
    activityId: activity?.id?.href ?? null,
    activityType: activity ? activity.constructor.name : null,
  };
}

export interface FederationSetup {
  federation: Federation<AppContext>;
  queues: Record<"inbox" | "outbox" | "fanout" | "jobs", PostgresAtLeastOnceQueue>;
}

/** Builds the Fedify federation over our database: KV store, durable queue and all dispatchers. */
export function buildFederation(config: Config, database: Database): FederationSetup {
  // Separate workers per kind: a burst of fan-outs (each expanding to hundreds of deliveries)
  // must not starve deliveries or incoming activities.
  const queues = {
    inbox: new PostgresAtLeastOnceQueue(database.sql, { name: "inbox", concurrency: 8 }),
    outbox: new PostgresAtLeastOnceQueue(database.sql, { name: "outbox", concurrency: 16 }),
    fanout: new PostgresAtLeastOnceQueue(database.sql, { name: "fanout", concurrency: 2 }),
    // Our own jobs (item-jobs.ts), not Fedify's: the worker side of publishing.
    jobs: new PostgresAtLeastOnceQueue(database.sql, { name: JOBS_QUEUE, concurrency: 2 }),
  };
  const kv = new KvStoreWithList(database.sql);
  const loaderDefaults = { allowPrivateAddress: config.allowPrivateAddress, kv };
  const federation = createFederation<AppContext>({
    kv,
    // Outgoing activities are shaped for Mastodon and Misskey on their way into the queue.
    queue: {
      inbox: queues.inbox,
      outbox: new ShapingQueue(queues.outbox, { origin: config.publicUrl, arrays: false }),
      fanout: new ShapingQueue(queues.fanout, { origin: config.publicUrl, arrays: false }),
    },
    origin: config.publicUrl.href,
    // Web processes only enqueue; worker (and "all") processes start the queue themselves.
    manuallyStartQueue: true,
    // Every remote document is fetched through our SSRF-safe fetcher (document-loader.ts).
    documentLoaderFactory: safeDocumentLoaderFactory(loaderDefaults),
    contextLoaderFactory: safeDocumentLoaderFactory(loaderDefaults, "contexts"),
    authenticatedDocumentLoaderFactory: authenticatedLoaderFactory(loaderDefaults),
    // Every failed attempt, for the editors' dashboard; Fedify retries it by its backoff.
    onOutboxError: (error, activity) =>
      recordDeliveryFailure(database.db, {
        ...failedDelivery(activity),
        inbox: error instanceof SendActivityError ? error.inbox.href : null,
        status: error instanceof SendActivityError ? error.statusCode : null,
        error: error.message,
      }).catch((cause) => logger.warn("Could not record a delivery failure: {cause}", { cause })),
  });
  registerActors(federation);
  registerObjects(federation);
  registerCollections(federation);
  registerInbox(federation);
  registerNodeInfo(federation);
  federation.setOutboxPermanentFailureHandler(async (ctx, failure) => {
    await recordDeliveryFailure(ctx.data.db, {
      ...failedDelivery(failure.activity),
      inbox: failure.inbox.href,
      status: failure.statusCode,
      error: failure.reason === "http" ? `HTTP ${failure.statusCode}: gave up` : "circuit breaker: gave up",
      permanent: true,
    });
    // 410 Gone: those accounts no longer exist; stop delivering to them. (404 may be a glitch.)
    if (failure.reason !== "http" || failure.statusCode !== 410) return;
    const removed = await removeGoneFollowers(
      ctx.data.db,
      failure.actorIds.map((id) => id.href),
    );
    logger.info("{inbox} answered 410 Gone; removed {removed} follower(s)", {
      inbox: failure.inbox.href,
      removed,
    });
  });
  return { federation, queues };
}
