import { getLogger } from "@logtape/logtape";
import { eq } from "drizzle-orm";
import { accounts } from "../db/schema/index.ts";
import { claimDueDrafts, recordScheduleFailure } from "../domain/draft-schedule.ts";
import { ValidationError } from "../domain/errors.ts";
import type { Services } from "./context.ts";
import { publishDraft } from "./drafts.ts";
import { runPeriodically } from "./periodic.ts";

const logger = getLogger(["baltic", "schedule"]);

/** How often a worker looks for due drafts: a post scheduled for 9:00 is out by 9:00:15. */
const TICK_MS = 15_000;
const BATCH = 20;

/** Publishes every draft that is due, a batch at a time; returns how many were published. */
export async function publishDueDrafts(services: Services, now = new Date()): Promise<number> {
  let published = 0;
  for (;;) {
    const due = await claimDueDrafts(services.db, now, BATCH);
    for (const draft of due) {
      const account = await services.db.query.accounts.findFirst({ where: eq(accounts.id, draft.accountId) });
      try {
        if (!account) throw new ValidationError("account", "no longer exists");
        const item = await publishDraft(services, account, draft);
        published++;
        logger.info("Published scheduled draft {draft} as {item}", { draft: draft.id, item: item.iri });
      } catch (error) {
        // Anything else (the database gone) is for the loop to log; the draft says it was interrupted.
        if (!(error instanceof ValidationError)) throw error;
        await recordScheduleFailure(services.db, draft.id, error.message);
        logger.warn("Scheduled draft {draft} could not be published: {error}", {
          draft: draft.id,
          error: error.message,
        });
      }
    }
    if (due.length < BATCH) return published;
  }
}

/** The worker's scheduler (NODE_TYPE=worker or all). Resolves once `signal` aborts. */
export function runScheduledPublishing(services: Services, signal: AbortSignal): Promise<void> {
  return runPeriodically(
    TICK_MS,
    signal,
    () => publishDueDrafts(services),
    (error) => logger.error("Scheduled publishing failed: {error}", { error }),
  );
}
