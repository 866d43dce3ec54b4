import { getLogger } from "@logtape/logtape";
import { isBackfillJob } from "../federation/backfill-jobs.ts";
import type { FederationSetup } from "../federation/federation.ts";
import { isItemJob } from "../federation/item-jobs.ts";
import { installKeyImportCache } from "../federation/key-import-cache.ts";
import { runBackfill } from "./backfill.ts";
import type { Services } from "./context.ts";
import { runFeedPoller } from "./feed-poller.ts";
import { runItemJob } from "./publishing.ts";
import { runScheduledPublishing } from "./scheduled-publishing.ts";

const logger = getLogger(["baltic", "worker"]);

/**
 * What a worker process runs (NODE_TYPE=worker or all): Fedify's inbox, outbox and fan-out
 * queues, our item jobs, the poller of attached RSS/Atom feeds and scheduled publishing. Resolves once `signal`
 * aborts and in-flight work has finished.
 */
export async function runWorkers(
  setup: FederationSetup,
  services: Services,
  signal: AbortSignal,
): Promise<void> {
  // Each delivery would otherwise import the sender's private keys again.
  installKeyImportCache();
  await Promise.all([
    setup.federation.startQueue({ db: services.db, config: services.config }, { signal }),
    setup.queues.jobs.listen(
      async (message) => {
        if (isItemJob(message)) await runItemJob(services, message);
        else if (isBackfillJob(message)) await runBackfill(services, message);
        else logger.warn("Dropping an unknown job: {message}", { message });
      },
      { signal },
    ),
    runFeedPoller(services, signal),
    runScheduledPublishing(services, signal),
  ]);
}
