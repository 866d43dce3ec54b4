import { and, count, eq, max, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { following, items, remoteActors } from "../db/schema/index.ts";
import { ValidationError } from "./errors.ts";

/** A library the hub follows (its follow accepted), as the directory and the map show it. */
export interface DirectoryEntry {
  id: string;
  iri: string;
  handle: string;
  name: string;
  url: string | null;
  country: string | null;
  city: string | null;
  website: string | null;
  latitude: number | null;
  longitude: number | null;
  items: number;
  /** The newest item's date, or null before the first one. */
  lastActivity: Date | null;
}

export const DIRECTORY_SORTS = ["name", "country", "items", "activity"] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

export interface DirectoryQuery {
  country?: string;
  sort?: DirectorySort;
}

/** A query string's country and sort, or a ValidationError naming the bad one. */
export function parseDirectoryQuery(country: string | undefined, sort: string | undefined): DirectoryQuery {
  const code = country?.trim().toUpperCase() || undefined;
  if (code && !/^[A-Z]{2}$/.test(code))
    throw new ValidationError("country", "use a two-letter code (LT, LV…)");
  const order = sort?.trim() || undefined;
  if (order && !(DIRECTORY_SORTS as readonly string[]).includes(order)) {
    throw new ValidationError("sort", `use one of ${DIRECTORY_SORTS.join(", ")}`);
  }
  return { country: code, sort: order as DirectorySort | undefined };
}

/** The libraries `accountId` (the hub's account) follows, with their item counts and latest item. */
export async function listDirectory(
  db: Db,
  accountId: string,
  query: DirectoryQuery = {},
): Promise<DirectoryEntry[]> {
  const conditions: SQL[] = [eq(following.accountId, accountId), eq(following.state, "accepted")];
  if (query.country) conditions.push(eq(remoteActors.country, query.country));
  const counted = db
    .select({
      actorId: items.remoteActorId,
      n: count().as("n"),
      latest: max(items.published).as("latest"),
    })
    .from(items)
    .where(sql`${items.remoteActorId} IS NOT NULL AND ${items.deletedAt} IS NULL`)
    .groupBy(items.remoteActorId)
    .as("counted");
  const order: Record<DirectorySort, SQL[]> = {
    name: [sql`lower(${remoteActors.name})`],
    country: [sql`${remoteActors.country} NULLS LAST`, sql`lower(${remoteActors.name})`],
    items: [sql`coalesce(${counted.n}, 0) DESC`, sql`lower(${remoteActors.name})`],
    activity: [sql`${counted.latest} DESC NULLS LAST`, sql`lower(${remoteActors.name})`],
  };
  const rows = await db
    .select({ actor: remoteActors, n: counted.n, latest: counted.latest })
    .from(following)
    .innerJoin(remoteActors, eq(remoteActors.id, following.actorId))
    .leftJoin(counted, eq(counted.actorId, remoteActors.id))
    .where(and(...conditions))
    .orderBy(...order[query.sort ?? "name"])
    .limit(5000);
  return rows.map(({ actor, n, latest }) => ({
    id: actor.id,
    iri: actor.iri,
    handle: actor.handle,
    name: actor.name || actor.handle,
    url: actor.url,
    country: actor.country,
    city: actor.city,
    website: actor.website,
    latitude: actor.latitude,
    longitude: actor.longitude,
    items: Number(n ?? 0),
    lastActivity: latest ? new Date(latest) : null,
  }));
}

/** The countries of the followed libraries, for the filter. */
export async function directoryCountries(db: Db, accountId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ country: remoteActors.country })
    .from(following)
    .innerJoin(remoteActors, eq(remoteActors.id, following.actorId))
    .where(and(eq(following.accountId, accountId), eq(following.state, "accepted")))
    .orderBy(remoteActors.country);
  return rows.flatMap((r) => (r.country ? [r.country] : []));
}
