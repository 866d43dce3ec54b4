import { and, count, desc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { accounts, backfills, following, items, remoteActors } from "../db/schema/index.ts";
import type { Account } from "./accounts.ts";
import type { Backfill } from "./backfills.ts";
import { ValidationError } from "./errors.ts";
import type { FollowState } from "./follows.ts";
import type { RemoteActor } from "./remote-actors.ts";

/** A pending follow older than this was never answered: the source's server is not taking it. */
export const FOLLOW_ANSWER_DEADLINE_MS = 24 * 60 * 60 * 1000;

export type SourceState = FollowState | "failing";

/** A library the hub follows, with what the curator sees about it. */
export interface HubSource {
  actor: RemoteActor;
  followState: FollowState;
  /** The follow state, or "failing" (see sourceState). */
  state: SourceState;
  followedAt: Date;
  items: number;
  backfill: Backfill | null;
}

/**
 * The hub's following account: its oldest library account, created at setup (docs/federation.md,
 * "The hub"). Its Follows are what sources accept; its name is what their followers lists show.
 */
export async function hubAccount(db: Db): Promise<Account> {
  const account = await db.query.accounts.findFirst({ orderBy: accounts.createdAt });
  if (!account) {
    throw new ValidationError(
      "account",
      "this hub has no account yet: create one first (npm run cli -- accounts create --username hub --name …); the oldest account follows the sources",
    );
  }
  return account;
}

/**
 * "failing": the follow is pending for more than a day (the source's server never answered), or
 * the latest backfill of its outbox failed. Otherwise the follow's own state.
 */
export function sourceState(
  followState: FollowState,
  followedAt: Date,
  backfill: Pick<Backfill, "state"> | null,
  now = Date.now(),
): SourceState {
  if (followState === "pending" && now - followedAt.getTime() > FOLLOW_ANSWER_DEADLINE_MS) return "failing";
  if (followState === "accepted" && backfill?.state === "failed") return "failing";
  return followState;
}

/** Every source the account follows, newest first, with item counts and the latest backfill. */
export async function listHubSources(db: Db, accountId: string): Promise<HubSource[]> {
  const rows = await db
    .select({ actor: remoteActors, followState: following.state, followedAt: following.createdAt })
    .from(following)
    .innerJoin(remoteActors, eq(remoteActors.id, following.actorId))
    .where(eq(following.accountId, accountId))
    .orderBy(desc(following.createdAt))
    .limit(5000);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.actor.id);
  const counts = await db
    .select({ actorId: items.remoteActorId, n: count() })
    .from(items)
    .where(inArray(items.remoteActorId, ids))
    .groupBy(items.remoteActorId);
  const latest = await db
    .selectDistinctOn([backfills.actorId])
    .from(backfills)
    .where(inArray(backfills.actorId, ids))
    .orderBy(backfills.actorId, desc(backfills.startedAt));
  const countOf = new Map(counts.map((c) => [c.actorId, c.n]));
  const backfillOf = new Map(latest.map((b) => [b.actorId, b]));
  return rows.map((row) => {
    const backfill = backfillOf.get(row.actor.id) ?? null;
    return {
      ...row,
      state: sourceState(row.followState, row.followedAt, backfill),
      items: countOf.get(row.actor.id) ?? 0,
      backfill,
    };
  });
}

/** A stored actor by its id (actor URL) or its handle (`@user@host`, `user@host`). */
export async function findSourceActor(db: Db, target: string): Promise<RemoteActor | undefined> {
  const trimmed = target.trim();
  const handle = trimmed.replace(/^@/, "");
  return db.query.remoteActors.findFirst({
    where: or(eq(remoteActors.iri, trimmed), eq(remoteActors.handle, handle)),
  });
}

/** A curator's country for a source (a two-letter code), kept over what its profile says; null lets the profile decide again. */
export async function setSourceCountry(db: Db, actorId: string, code: string | null): Promise<void> {
  const country = code?.trim().toUpperCase() || null;
  if (country != null && !/^[A-Z]{2}$/.test(country)) {
    throw new ValidationError("country", `"${code}" is not a two-letter country code (LT, LV, EE…)`);
  }
  await db
    .update(remoteActors)
    .set({ country, countryByCurator: country != null })
    .where(and(eq(remoteActors.id, actorId)));
}
