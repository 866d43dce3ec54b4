import { and, count, desc, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { curation, items } from "../db/schema/index.ts";
import { decodeCursor } from "./items.ts";

/** A boost the hub's account sent and has not taken back: what its outbox lists as an Announce. */
export interface HubAnnounce {
  itemId: string;
  /** The original object's IRI on its source's server. */
  objectIri: string;
  announceIri: string;
  featuredAt: Date;
}

const current = and(
  isNotNull(curation.featuredAt),
  isNotNull(curation.announceIri),
  eq(curation.state, "approved"),
  isNull(items.deletedAt),
);

/**
 * The hub's standing Announces, newest first, keyset-paginated on (featuredAt, item id) with the
 * same cursors as listItems, so the outbox can merge them with the account's own posts.
 */
export async function listHubAnnounces(
  db: Db,
  options: { limit: number; cursor?: string },
): Promise<HubAnnounce[]> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await db
    .select({
      itemId: curation.itemId,
      objectIri: items.iri,
      announceIri: curation.announceIri,
      featuredAt: curation.featuredAt,
    })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .where(
      and(
        current,
        after
          ? or(
              lt(curation.featuredAt, after.published),
              and(eq(curation.featuredAt, after.published), lt(curation.itemId, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(curation.featuredAt), desc(curation.itemId))
    .limit(options.limit);
  return rows.flatMap((r) =>
    r.announceIri && r.featuredAt ? [{ ...r, announceIri: r.announceIri, featuredAt: r.featuredAt }] : [],
  );
}

export async function countHubAnnounces(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .where(current);
  return row?.n ?? 0;
}
