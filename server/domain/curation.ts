import { and, desc, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { curation, curationSources, items, remoteActors } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";
import { decodeCursor, encodeCursor, type Item } from "./items.ts";
import type { RemoteActor } from "./remote-actors.ts";

export type Curation = typeof curation.$inferSelect;
export type CurationState = Curation["state"];
export const CURATION_STATES: CurationState[] = ["pending", "approved", "hidden"];

/** A curator's action on one item; each is an audit-log verb `item.<action>`. */
export type CurationAction = "approve" | "hide" | "restore" | "feature" | "unfeature";
export const CURATION_ACTIONS: CurationAction[] = ["approve", "hide", "restore", "feature", "unfeature"];

/** The item a curator acts on is not (or no longer) on the hub: the CLI says so, the web answers 404. */
export class ItemGoneError extends ValidationError {
  readonly status = 404;
}

export interface CuratedItem {
  item: Item;
  curation: Curation;
  source: RemoteActor;
}

/**
 * A received item by its IRI or its page URL, with its curation row. Deleted (or never stored)
 * items are an ItemGoneError naming the argument, so a curator learns why nothing happened.
 */
export async function findCuratedItem(db: Db | Tx, target: string, field = "item"): Promise<CuratedItem> {
  const wanted = target.trim();
  if (wanted === "") throw new ValidationError(field, "give the item's URL or IRI");
  const [row] = await db
    .select({ item: items, curation, source: remoteActors })
    .from(items)
    .innerJoin(curation, eq(curation.itemId, items.id))
    .innerJoin(remoteActors, eq(remoteActors.id, curation.remoteActorId))
    .where(or(eq(items.iri, wanted), eq(items.url, wanted)))
    .limit(1);
  if (!row)
    throw new ItemGoneError(
      field,
      `no received item ${wanted} on this hub (unknown, or deleted by its source)`,
    );
  if (row.item.deletedAt) throw new ItemGoneError(field, `${wanted} was deleted by its source`);
  return row;
}

/** The same by the item's id (the admin forms post ids), locked for the change that follows. */
export async function lockCuratedItem(tx: Tx, itemId: string, field = "item"): Promise<CuratedItem> {
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) throw new ValidationError(field, `"${itemId}" is not an item id`);
  const [row] = await tx
    .select({ item: items, curation, source: remoteActors })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .innerJoin(remoteActors, eq(remoteActors.id, curation.remoteActorId))
    .where(eq(curation.itemId, itemId))
    .for("update", { of: curation });
  if (!row) throw new ItemGoneError(field, "this item is no longer on the hub (deleted by its source)");
  if (row.item.deletedAt) throw new ItemGoneError(field, `${row.item.iri} was deleted by its source`);
  return row;
}

/** Topics as a curator types them (comma-separated): trimmed, de-duplicated, at most 20 of 60 characters. */
export function parseTopics(input: string): string[] {
  const topics = [
    ...new Set(
      input
        .split(",")
        .map((t) => t.trim().replace(/^#/, ""))
        .filter((t) => t !== ""),
    ),
  ];
  const long = topics.find((t) => t.length > 60);
  if (long) throw new ValidationError("topics", `"${long.slice(0, 60)}…" is longer than 60 characters`);
  if (topics.length > 20) throw new ValidationError("topics", "at most 20 topics");
  return topics;
}

export async function setTopics(tx: Tx, itemId: string, topics: string[]): Promise<void> {
  await tx.update(curation).set({ topics }).where(eq(curation.itemId, itemId));
}

export async function setState(tx: Tx, itemId: string, state: CurationState): Promise<void> {
  await tx.update(curation).set({ state, decidedAt: new Date() }).where(eq(curation.itemId, itemId));
}

export async function setFeatured(tx: Tx, itemId: string, announceIri: string | null): Promise<void> {
  await tx
    .update(curation)
    .set({ featuredAt: announceIri ? new Date() : null, announceIri })
    .where(eq(curation.itemId, itemId));
}

/** Whether a source's new items skip the queue (default: they wait for a curator). */
export async function autoApproves(db: Db | Tx, actorId: string): Promise<boolean> {
  const row = await db.query.curationSources.findFirst({ where: eq(curationSources.actorId, actorId) });
  return row?.autoApprove ?? false;
}

export async function setAutoApprove(tx: Tx, actorId: string, on: boolean): Promise<void> {
  await tx
    .insert(curationSources)
    .values({ actorId, autoApprove: on })
    .onConflictDoUpdate({ target: curationSources.actorId, set: { autoApprove: on, updatedAt: new Date() } });
}

export interface CurationFilter {
  state?: CurationState;
  featured?: boolean;
  sourceId?: string;
  country?: string;
  language?: string;
  /** Only sources that consent to being shown by a hub (FEP-5feb): the public feed. */
  consenting?: boolean;
  cursor?: string;
  limit?: number;
}

export interface CurationPage {
  entries: CuratedItem[];
  next: string | null;
}

/** Items by curation state (or featured), newest first, keyset-paginated on (published, id). */
export async function listCurated(db: Db, filter: CurationFilter): Promise<CurationPage> {
  const limit = Math.min(Math.max(filter.limit ?? 30, 1), 100);
  const conditions: SQL[] = [isNull(items.deletedAt)];
  if (filter.state) conditions.push(eq(curation.state, filter.state));
  if (filter.featured) conditions.push(sql`${curation.featuredAt} IS NOT NULL`);
  if (filter.consenting) conditions.push(sql`${remoteActors.indexable} AND ${remoteActors.discoverable}`);
  if (filter.sourceId) conditions.push(eq(curation.remoteActorId, filter.sourceId));
  if (filter.country) conditions.push(sql`upper(${remoteActors.country}) = ${filter.country.toUpperCase()}`);
  if (filter.language) {
    const language = filter.language.toLowerCase();
    conditions.push(
      sql`(lower(split_part(coalesce(${items.language}, ''), '-', 1)) = ${language} OR ${items.translations} ? ${language})`,
    );
  }
  if (filter.cursor) {
    const after = decodeCursor(filter.cursor);
    conditions.push(
      sql`(${curation.published}, ${curation.itemId}) < (${after.published.toISOString()}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select({ item: items, curation, source: remoteActors })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .innerJoin(remoteActors, eq(remoteActors.id, curation.remoteActorId))
    .where(and(...conditions))
    .orderBy(desc(curation.published), desc(curation.itemId))
    .limit(limit + 1);
  const entries = rows.slice(0, limit);
  const last = entries.at(-1);
  return { entries, next: rows.length > limit && last ? encodeCursor(last.item) : null };
}

export interface FeedFacet {
  value: string;
  label: string;
}

/** What the shared feed's filters offer: sources with approved items, their countries, the languages. */
export async function sharedFeedFacets(
  db: Db,
): Promise<{ sources: FeedFacet[]; countries: string[]; languages: string[] }> {
  const sources = await db
    .selectDistinct({ id: remoteActors.id, name: remoteActors.name, handle: remoteActors.handle })
    .from(curation)
    .innerJoin(remoteActors, eq(remoteActors.id, curation.remoteActorId))
    .where(
      and(eq(curation.state, "approved"), sql`${remoteActors.indexable} AND ${remoteActors.discoverable}`),
    )
    .limit(500);
  const countries = await db
    .selectDistinct({ country: sql<string>`upper(${remoteActors.country})` })
    .from(curation)
    .innerJoin(remoteActors, eq(remoteActors.id, curation.remoteActorId))
    .where(and(eq(curation.state, "approved"), sql`${remoteActors.country} IS NOT NULL`))
    .limit(100);
  const languages = await db
    .selectDistinct({ language: sql<string>`lower(split_part(${items.language}, '-', 1))` })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .where(and(eq(curation.state, "approved"), sql`coalesce(${items.language}, '') <> ''`))
    .limit(100);
  return {
    sources: sources
      .map((s) => ({ value: s.id, label: s.name || s.handle }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    countries: countries.map((c) => c.country).sort(),
    languages: languages.map((l) => l.language).sort(),
  };
}

/** Counts per state, for the queue's tabs. */
export async function countByState(db: Db): Promise<Record<CurationState, number>> {
  const rows = await db
    .select({ state: curation.state, n: sql<number>`count(*)::int` })
    .from(curation)
    .innerJoin(items, eq(items.id, curation.itemId))
    .where(isNull(items.deletedAt))
    .groupBy(curation.state);
  const counts: Record<CurationState, number> = { pending: 0, approved: 0, hidden: 0 };
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}
