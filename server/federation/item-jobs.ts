import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";

/**
 * "Send this item's Create/Update/Delete to the followers": a job stored in the same transaction
 * as the item change (a transactional outbox), so publishing returns after two inserts and a
 * worker does the expensive part (listing followers, signing, fan-out) through outbox.ts.
 */
export interface ItemJob {
  kind: "item";
  itemId: string;
  activity: "Create" | "Update" | "Delete";
}

export const JOBS_QUEUE = "jobs";

export function isItemJob(message: unknown): message is ItemJob {
  const m = message as Partial<ItemJob> | null;
  return (
    m?.kind === "item" &&
    typeof m.itemId === "string" &&
    ["Create", "Update", "Delete"].includes(m.activity ?? "")
  );
}

/** Queues the job; `orderingKey` (the item's IRI) keeps Create → Update → Delete in order. */
export async function enqueueItemJob(db: Db | Tx, job: ItemJob, orderingKey: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO queue_messages (queue, message, ordering_key)
    VALUES (${JOBS_QUEUE}, ${JSON.stringify(job)}::jsonb, ${orderingKey})`);
  // Delivered on commit: wakes a listening worker at once, in this process or another.
  await db.execute(sql`SELECT pg_notify(${`queue_messages_${JOBS_QUEUE}`}, '')`);
}
