import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { drafts } from "../db/schema/index.ts";
import type { Draft } from "./drafts.ts";
import { ValidationError } from "./errors.ts";
import { preparePost } from "./posts.ts";

/** Further ahead than this is a typo in the year, not a plan. */
const MAX_AHEAD_MS = 2 * 365 * 24 * 3600 * 1000;

/**
 * Schedules a draft to be published at `at` by the worker. The draft must be publishable now
 * (the same checks as Publish), so the editor learns of a missing field while still at the desk,
 * not from an error the next morning.
 */
export async function scheduleDraft(db: Db, draft: Draft, at: Date, now = new Date()): Promise<Draft> {
  if (Number.isNaN(at.getTime())) throw new ValidationError("publishAt", "is not a date and time");
  if (at.getTime() <= now.getTime()) throw new ValidationError("publishAt", "must be in the future");
  if (at.getTime() - now.getTime() > MAX_AHEAD_MS)
    throw new ValidationError("publishAt", "must be within two years");
  preparePost(draft.input);
  const [row] = await db
    .update(drafts)
    .set({ publishAt: at, scheduleError: null })
    .where(and(eq(drafts.id, draft.id), eq(drafts.accountId, draft.accountId)))
    .returning();
  if (!row) throw new ValidationError("draft", "was deleted meanwhile");
  return row;
}

/** Takes a draft off the schedule; it stays a draft. */
export async function unscheduleDraft(db: Db, draft: Pick<Draft, "id" | "accountId">): Promise<void> {
  await db
    .update(drafts)
    .set({ publishAt: null })
    .where(and(eq(drafts.id, draft.id), eq(drafts.accountId, draft.accountId)));
}

/** What a claimed draft says until its publishing ends, if the worker stops halfway. */
const INTERRUPTED = "publishing was interrupted; publish it again";

/**
 * Takes due drafts off the schedule for one worker, oldest due first: several workers share the
 * schedule and none publishes a draft another has claimed (SKIP LOCKED). A claimed draft that is
 * published is deleted; one whose worker dies stays a draft and says so, never published twice.
 */
export function claimDueDrafts(db: Db, now: Date, limit: number): Promise<Draft[]> {
  const due = db
    .select({ id: drafts.id })
    .from(drafts)
    .where(and(isNotNull(drafts.publishAt), lte(drafts.publishAt, now)))
    .orderBy(asc(drafts.publishAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(drafts)
    .set({ publishAt: null, scheduleError: INTERRUPTED })
    .where(inArray(drafts.id, due))
    .returning();
}

/** A due draft that could not be published: off the schedule, with the reason for its editor. */
export async function recordScheduleFailure(db: Db | Tx, draftId: string, reason: string): Promise<void> {
  await db
    .update(drafts)
    .set({ publishAt: null, scheduleError: reason.slice(0, 1000) })
    .where(eq(drafts.id, draftId));
}
