import { and, count, desc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { reports } from "../db/schema/index.ts";
import { type AuditActor, recordAudit } from "./audit-log.ts";
import { ValidationError } from "./errors.ts";

export type Report = typeof reports.$inferSelect;

/** Reports kept per reporting domain and hour; beyond it a flood is dropped (with a log line). */
export const REPORTS_PER_DOMAIN_HOUR = 20;
const MAX_COMMENT = 5000;
const MAX_OBJECTS = 50;

export interface IncomingReport {
  activityIri: string;
  reporterIri: string;
  objectIris: string[];
  comment: string;
}

export type StoreOutcome = "stored" | "duplicate" | "rate-limited";

/**
 * Stores a received Flag. The first object is taken as the reported actor (Mastodon sends
 * `[actor, statuses…]`), the rest as the reported posts; the comment is kept as plain text.
 */
export async function storeReport(db: Db, incoming: IncomingReport, now = new Date()): Promise<StoreOutcome> {
  const reporterDomain = new URL(incoming.reporterIri).host.toLowerCase();
  const since = new Date(now.getTime() - 3600_000);
  const [recent] = await db
    .select({ n: count() })
    .from(reports)
    .where(and(eq(reports.reporterDomain, reporterDomain), gt(reports.receivedAt, since)));
  if ((recent?.n ?? 0) >= REPORTS_PER_DOMAIN_HOUR) return "rate-limited";
  const [target, ...objects] = incoming.objectIris.slice(0, MAX_OBJECTS + 1);
  const inserted = await db
    .insert(reports)
    .values({
      id: uuidv7(),
      activityIri: incoming.activityIri,
      reporterIri: incoming.reporterIri,
      reporterDomain,
      targetActorIri: target ?? null,
      objectIris: objects,
      comment: incoming.comment.slice(0, MAX_COMMENT),
      receivedAt: now,
    })
    .onConflictDoNothing({ target: reports.activityIri })
    .returning({ id: reports.id });
  return inserted.length > 0 ? "stored" : "duplicate";
}

export function listReports(db: Db, state: Report["state"] = "open", limit = 100): Promise<Report[]> {
  return db
    .select()
    .from(reports)
    .where(eq(reports.state, state))
    .orderBy(desc(reports.receivedAt))
    .limit(limit);
}

export async function findReport(db: Db, id: string): Promise<Report> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ValidationError("report", `"${id}" is not a report id`);
  const report = await db.query.reports.findFirst({ where: eq(reports.id, id) });
  if (!report) throw new ValidationError("report", "no such report");
  return report;
}

/** Marks a report resolved, with its audit entry in the same transaction; false if it already was. */
export async function resolveReport(db: Db, who: AuditActor, id: string): Promise<boolean> {
  const report = await findReport(db, id);
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(reports)
      .set({ state: "resolved", resolvedAt: new Date() })
      .where(and(eq(reports.id, report.id), eq(reports.state, "open")))
      .returning({ id: reports.id });
    if (changed.length === 0) return false;
    await recordAudit(tx, who, "report.resolve", report.targetActorIri ?? report.reporterIri, {
      report: report.id,
      reporter: report.reporterIri,
    });
    return true;
  });
}
