import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { backfills } from "../db/schema/index.ts";

export type Backfill = typeof backfills.$inferSelect;

/** A running backfill older than this is taken as dead (its worker was killed): a new one may start. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Starts a backfill of the actor's outbox, or returns the one already running: asking twice
 * (the follow's Accept and a curator's click) walks the outbox once.
 */
export async function startBackfill(
  db: Db,
  actorId: string,
): Promise<{ backfill: Backfill; fresh: boolean }> {
  const running = await db.query.backfills.findFirst({
    where: and(eq(backfills.actorId, actorId), eq(backfills.state, "running")),
    orderBy: desc(backfills.startedAt),
  });
  if (running && Date.now() - running.startedAt.getTime() < STALE_AFTER_MS) {
    return { backfill: running, fresh: false };
  }
  if (running) await finishBackfill(db, running.id, "failed", "interrupted");
  const [row] = await db.insert(backfills).values({ id: uuidv7(), actorId }).returning();
  if (!row) throw new Error("insert returned no row");
  return { backfill: row, fresh: true };
}

export function findBackfill(db: Db, id: string): Promise<Backfill | undefined> {
  return db.query.backfills.findFirst({ where: eq(backfills.id, id) });
}

export function latestBackfill(db: Db, actorId: string): Promise<Backfill | undefined> {
  return db.query.backfills.findFirst({
    where: eq(backfills.actorId, actorId),
    orderBy: desc(backfills.startedAt),
  });
}

export async function recordBackfillProgress(
  db: Db,
  id: string,
  progress: { fetched: number; stored: number; total?: number | null },
): Promise<void> {
  await db
    .update(backfills)
    .set({
      fetched: progress.fetched,
      stored: progress.stored,
      ...(progress.total !== undefined && { total: progress.total }),
    })
    .where(eq(backfills.id, id));
}

export async function finishBackfill(
  db: Db,
  id: string,
  state: "done" | "failed",
  error: string | null = null,
): Promise<void> {
  await db
    .update(backfills)
    .set({ state, error: error?.slice(0, 1000) ?? null, finishedAt: sql`now()` })
    .where(eq(backfills.id, id));
}

/** One line about a backfill, as the CLI prints it ("backfilling 120/200"). */
export function describeBackfill(backfill: Backfill | null): string {
  if (!backfill) return "not backfilled";
  const of = backfill.total != null ? `/${backfill.total}` : "";
  if (backfill.state === "running") return `backfilling ${backfill.fetched}${of}`;
  if (backfill.state === "failed")
    return `backfill failed after ${backfill.fetched} read: ${backfill.error ?? "?"}`;
  return `backfilled ${backfill.stored} of ${backfill.fetched} read`;
}
