import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { deliveryFailures } from "../db/schema/index.ts";

export interface DeliveryFailure {
  actorIri?: string | null;
  inbox?: string | null;
  activityId?: string | null;
  activityType?: string | null;
  status?: number | null;
  error: string;
  permanent?: boolean;
}

/** How long failures are kept: the dashboard shows the last week; a month helps an operator. */
const KEEP_DAYS = 30;

/** Records one failed delivery, and forgets those older than a month in the same statement. */
export async function recordDeliveryFailure(db: Db, failure: DeliveryFailure): Promise<void> {
  await db.execute(sql`
    WITH pruned AS (
      DELETE FROM ${deliveryFailures}
      WHERE ${deliveryFailures.failedAt} < now() - make_interval(days => ${KEEP_DAYS})
    )
    INSERT INTO ${deliveryFailures}
      (id, actor_iri, inbox, activity_id, activity_type, status, error, permanent)
    VALUES (${uuidv7()}, ${failure.actorIri ?? null}, ${failure.inbox ?? null}, ${failure.activityId ?? null},
      ${failure.activityType ?? null}, ${failure.status ?? null}, ${failure.error.slice(0, 500)},
      ${failure.permanent ?? false})`);
}

/** The failures of the last days, one line per receiving server, the most recent first. */
export interface DeliveryProblem {
  host: string;
  failures: number;
  /** Of which Fedify gave up on (410/404 or the circuit breaker): those followers got nothing. */
  permanent: number;
  lastStatus: number | null;
  lastError: string;
  lastAt: Date;
}

export async function deliveryProblems(
  db: Db,
  options: { actorIris?: readonly string[]; days?: number; limit?: number } = {},
): Promise<DeliveryProblem[]> {
  const days = options.days ?? 7;
  const byActor =
    options.actorIris && options.actorIris.length > 0
      ? sql`AND actor_iri IN (${sql.join(
          options.actorIris.map((iri) => sql`${iri}`),
          sql`, `,
        )})`
      : sql``;
  const rows = await db.execute<{
    host: string;
    failures: number;
    permanent: number;
    last_status: number | null;
    last_error: string;
    last_at: string | Date;
  }>(sql`
    SELECT coalesce(substring(inbox from '^[a-z]+://([^/]+)'), '?') AS host,
      count(*)::int AS failures,
      count(*) FILTER (WHERE permanent)::int AS permanent,
      (array_agg(status ORDER BY failed_at DESC))[1] AS last_status,
      (array_agg(error ORDER BY failed_at DESC))[1] AS last_error,
      max(failed_at) AS last_at
    FROM ${deliveryFailures}
    WHERE failed_at > now() - make_interval(days => ${days}) ${byActor}
    GROUP BY 1
    ORDER BY max(failed_at) DESC
    LIMIT ${options.limit ?? 20}`);
  return rows.map((row) => ({
    host: row.host,
    failures: row.failures,
    permanent: row.permanent,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAt: new Date(row.last_at),
  }));
}
