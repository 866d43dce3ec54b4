import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { JOBS_QUEUE } from "./item-jobs.ts";

/** "Walk this source's outbox": a job on our jobs queue (item-jobs.ts), run by a worker. */
export interface BackfillJob {
  kind: "backfill";
  backfillId: string;
}

export function isBackfillJob(message: unknown): message is BackfillJob {
  const m = message as Partial<BackfillJob> | null;
  return m?.kind === "backfill" && typeof m.backfillId === "string";
}

export async function enqueueBackfill(db: Db, backfillId: string): Promise<void> {
  const job: BackfillJob = { kind: "backfill", backfillId };
  await db.execute(sql`
    INSERT INTO queue_messages (queue, message) VALUES (${JOBS_QUEUE}, ${JSON.stringify(job)}::jsonb)`);
  await db.execute(sql`SELECT pg_notify(${`queue_messages_${JOBS_QUEUE}`}, '')`);
}
