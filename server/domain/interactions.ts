import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { interactions, items } from "../db/schema/index.ts";

export type InteractionKind = "like" | "announce";

export interface InteractionCounts {
  likes: number;
  announces: number;
  replies: number;
}

export const NO_INTERACTIONS: InteractionCounts = { likes: 0, announces: 0, replies: 0 };

/** Records a Like or Announce; a repeat (same activity, or same actor, kind and item) is a no-op. */
export async function recordInteraction(
  db: Db,
  values: { itemId: string; kind: InteractionKind; actorIri: string; activityIri: string },
): Promise<boolean> {
  const rows = await db
    .insert(interactions)
    .values({ id: uuidv7(), ...values })
    .onConflictDoNothing()
    .returning({ id: interactions.id });
  return rows.length > 0;
}

/** Undo of a Like or Announce: only the actor who sent it can take it back. */
export async function removeInteraction(
  db: Db,
  activityIri: string,
  actorIri: string,
): Promise<InteractionKind | null> {
  const [row] = await db
    .delete(interactions)
    .where(and(eq(interactions.activityIri, activityIri), eq(interactions.actorIri, actorIri)))
    .returning({ kind: interactions.kind });
  return row?.kind ?? null;
}

/** When an actor is deleted, its likes and boosts go too. */
export async function removeInteractionsOf(db: Db, actorIri: string): Promise<void> {
  await db.delete(interactions).where(eq(interactions.actorIri, actorIri));
}

/** Likes, boosts and replies of each item, in two grouped queries. */
export async function countInteractions(
  db: Db,
  list: { id: string; iri: string }[],
): Promise<Map<string, InteractionCounts>> {
  const counts = new Map<string, InteractionCounts>(list.map((i) => [i.id, { ...NO_INTERACTIONS }]));
  if (list.length === 0) return counts;
  const [grouped, replies] = await Promise.all([
    db
      .select({ itemId: interactions.itemId, kind: interactions.kind, n: sql<number>`count(*)::int` })
      .from(interactions)
      .where(
        inArray(
          interactions.itemId,
          list.map((i) => i.id),
        ),
      )
      .groupBy(interactions.itemId, interactions.kind),
    db
      .select({ iri: items.inReplyTo, n: sql<number>`count(*)::int` })
      .from(items)
      .where(
        inArray(
          items.inReplyTo,
          list.map((i) => i.iri),
        ),
      )
      .groupBy(items.inReplyTo),
  ]);
  for (const row of grouped) {
    const entry = counts.get(row.itemId);
    if (entry) entry[row.kind === "like" ? "likes" : "announces"] = row.n;
  }
  const byIri = new Map(list.map((i) => [i.iri, i.id]));
  for (const row of replies) {
    const entry = row.iri ? counts.get(byIri.get(row.iri) ?? "") : undefined;
    if (entry) entry.replies = row.n;
  }
  return counts;
}
