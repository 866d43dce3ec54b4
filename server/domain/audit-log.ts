import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { auditLog } from "../db/schema/index.ts";

export type AuditEntry = typeof auditLog.$inferSelect;
export type AuditDetail = AuditEntry["detail"];

/** Who did it: a signed-in user, or the CLI (scripted set-up has no user). */
export type AuditActor = { userId: string; label: string } | "cli";

/**
 * Records one curator or admin action. Call it in the same transaction as the change it
 * describes, so the log never claims what did not happen (nor misses what did).
 */
export async function recordAudit(
  db: Db | Tx,
  actor: AuditActor,
  action: string,
  target: string,
  detail: AuditDetail = {},
): Promise<void> {
  await db.insert(auditLog).values({
    id: uuidv7(),
    userId: actor === "cli" ? null : actor.userId,
    actorLabel: actor === "cli" ? "cli" : actor.label,
    action,
    target,
    detail,
  });
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The id to pass as `before` for the next (older) page, when there is one. */
  next: string | null;
}

/** Newest first, keyset-paginated by id (UUIDv7 ids follow creation order); filter by action. */
export async function listAudit(
  db: Db | Tx,
  options: { before?: string; action?: string; limit?: number } = {},
): Promise<AuditPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const conditions: SQL[] = [];
  if (options.before) conditions.push(lt(auditLog.id, options.before));
  if (options.action) conditions.push(eq(auditLog.action, options.action));
  const rows = await db
    .select()
    .from(auditLog)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const entries = rows.slice(0, limit);
  return { entries, next: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}
