import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { builtOnce, type Db, PER_ACTIVITY, type Tx } from "../db/client.ts";
import { followers, following, remoteActors } from "../db/schema/index.ts";
import type { RemoteActor } from "./remote-actors.ts";

export type FollowState = "pending" | "accepted" | "rejected";

export interface FollowRow {
  actor: RemoteActor;
  followIri: string;
  state: FollowState;
  createdAt: Date;
}

/** Records an incoming Follow (a repeated Follow from the same actor replaces the old one). */
export async function saveFollower(
  db: Db | Tx,
  accountId: string,
  actorId: string,
  followIri: string,
  state: FollowState,
): Promise<void> {
  await db
    .insert(followers)
    .values({ accountId, actorId, followIri, state })
    .onConflictDoUpdate({ target: [followers.accountId, followers.actorId], set: { followIri, state } });
}

export async function removeFollower(db: Db, accountId: string, actorId: string): Promise<boolean> {
  const rows = await db
    .delete(followers)
    .where(and(eq(followers.accountId, accountId), eq(followers.actorId, actorId)))
    .returning();
  return rows.length > 0;
}

export async function setFollowerState(
  db: Db,
  accountId: string,
  actorId: string,
  state: FollowState,
): Promise<FollowRow | undefined> {
  const [row] = await db
    .update(followers)
    .set({ state })
    .where(and(eq(followers.accountId, accountId), eq(followers.actorId, actorId)))
    .returning();
  if (!row) return undefined;
  const actor = await db.query.remoteActors.findFirst({ where: eq(remoteActors.id, actorId) });
  return actor ? { actor, followIri: row.followIri, state: row.state, createdAt: row.createdAt } : undefined;
}

export async function listFollowers(
  db: Db,
  accountId: string,
  options: { state?: FollowState; limit?: number; offset?: number } = {},
): Promise<FollowRow[]> {
  const rows = await db
    .select({
      actor: remoteActors,
      followIri: followers.followIri,
      state: followers.state,
      createdAt: followers.createdAt,
    })
    .from(followers)
    .innerJoin(remoteActors, eq(remoteActors.id, followers.actorId))
    .where(and(eq(followers.accountId, accountId), eq(followers.state, options.state ?? "accepted")))
    .orderBy(desc(followers.createdAt))
    .limit(options.limit ?? 1000)
    .offset(options.offset ?? 0);
  return rows;
}

export async function countFollowers(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(followers)
    .where(and(eq(followers.accountId, accountId), eq(followers.state, "accepted")));
  return row?.n ?? 0;
}

/** Records an outgoing Follow, pending until the remote side accepts. */
export async function saveFollowing(db: Db, accountId: string, actorId: string, followIri: string) {
  await db
    .insert(following)
    .values({ accountId, actorId, followIri, state: "pending" })
    .onConflictDoUpdate({
      target: [following.accountId, following.actorId],
      set: { followIri, state: "pending" },
    });
}

/** Applies a remote Accept/Reject to the Follow we sent with this id; returns its account id. */
export async function answerFollowing(
  db: Db,
  actorId: string,
  followIri: string,
  state: "accepted" | "rejected",
): Promise<string | undefined> {
  const [row] = await db
    .update(following)
    .set({ state })
    .where(and(eq(following.actorId, actorId), eq(following.followIri, followIri)))
    .returning();
  return row?.accountId;
}

export async function removeFollowing(
  db: Db,
  accountId: string,
  actorId: string,
): Promise<FollowRow | undefined> {
  const [row] = await db
    .delete(following)
    .where(and(eq(following.accountId, accountId), eq(following.actorId, actorId)))
    .returning();
  if (!row) return undefined;
  const actor = await db.query.remoteActors.findFirst({ where: eq(remoteActors.id, actorId) });
  return actor ? { actor, followIri: row.followIri, state: row.state, createdAt: row.createdAt } : undefined;
}

export async function listFollowing(
  db: Db,
  accountId: string,
  limit = 1000,
  offset = 0,
): Promise<FollowRow[]> {
  return db
    .select({
      actor: remoteActors,
      followIri: following.followIri,
      state: following.state,
      createdAt: following.createdAt,
    })
    .from(following)
    .innerJoin(remoteActors, eq(remoteActors.id, following.actorId))
    .where(eq(following.accountId, accountId))
    .orderBy(desc(following.createdAt))
    .limit(limit)
    .offset(offset);
}

export async function countFollowing(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(following)
    .where(and(eq(following.accountId, accountId), eq(following.state, "accepted")));
  return row?.n ?? 0;
}

const acceptedFollowOf = builtOnce((db) =>
  db.query.following
    .findFirst({
      columns: { actorId: true },
      where: and(eq(following.actorId, sql.placeholder("actorId")), eq(following.state, "accepted")),
    })
    .prepare(PER_ACTIVITY),
);

/** Whether any of our accounts follows this remote actor (accepted): only then we keep its posts. */
export async function isFollowedByUs(db: Db, actorId: string): Promise<boolean> {
  return (await acceptedFollowOf(db).execute({ actorId })) != null;
}

/** Drops these remote actors as followers of every account (their server said they are gone). */
export async function removeGoneFollowers(db: Db, actorIris: readonly string[]): Promise<number> {
  if (actorIris.length === 0) return 0;
  const actors = db
    .select({ id: remoteActors.id })
    .from(remoteActors)
    .where(inArray(remoteActors.iri, [...actorIris]));
  const rows = await db.delete(followers).where(inArray(followers.actorId, actors)).returning();
  return rows.length;
}

export interface FollowerInbox {
  iri: string;
  inboxUrl: string;
  sharedInboxUrl: string | null;
}

/**
 * Where to deliver to every accepted follower: only the three columns a fan-out needs, unordered.
 * (Publishing to 10,000 followers spends most of its time here, so no joins or sorting beyond it.)
 */
export function listFollowerInboxes(db: Db, accountId: string): Promise<FollowerInbox[]> {
  return db
    .select({
      iri: remoteActors.iri,
      inboxUrl: remoteActors.inboxUrl,
      sharedInboxUrl: remoteActors.sharedInboxUrl,
    })
    .from(followers)
    .innerJoin(remoteActors, eq(remoteActors.id, followers.actorId))
    .where(and(eq(followers.accountId, accountId), eq(followers.state, "accepted")));
}
