import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { announceChanged, notifiedSet } from "../db/notified-cache.ts";
import { actorBlocks, curation, followers, remoteActors } from "../db/schema/index.ts";
import { type AuditActor, recordAudit } from "./audit-log.ts";
import { ValidationError } from "./errors.ts";
import { findSourceActor } from "./hub-sources.ts";

export type ActorBlock = typeof actorBlocks.$inferSelect;

const MAX_REASON = 500;
/** Every process hears of a block or unblock made anywhere (server/db/notified-cache.ts). */
const CHANGED = "actor_blocks_changed";

/**
 * The actor IRI a curator means: a stored actor by IRI or handle, or else any http(s) URL (an
 * actor we never met can be blocked ahead of its first activity).
 */
export async function resolveActorIri(db: Db, input: string, field = "actor"): Promise<string> {
  const trimmed = input.trim();
  if (trimmed === "") throw new ValidationError(field, "give the actor's URL or @user@host handle");
  const known = await findSourceActor(db, trimmed);
  if (known) return known.iri;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ValidationError(
      field,
      `${JSON.stringify(trimmed)} is not a known actor handle nor an actor URL`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError(field, `${JSON.stringify(trimmed)} is not an http(s) actor URL`);
  }
  url.hash = "";
  return url.href;
}

export interface ActorBlockResult {
  block: ActorBlock;
  /** Items hidden from the hub (or deleted with purge). */
  items: number;
}

/**
 * Blocks one actor. Its follows of our accounts end, its received items are hidden from the hub
 * (`purge`: the actor is deleted, and with it its items, follows and interactions), and the
 * audit entry is written in the same transaction.
 */
export async function blockActor(
  db: Db,
  who: AuditActor,
  input: string,
  options: { purge?: boolean; reason?: string } = {},
): Promise<ActorBlockResult> {
  const actorIri = await resolveActorIri(db, input);
  const reason = (options.reason ?? "").trim();
  if (reason.length > MAX_REASON) throw new ValidationError("reason", `at most ${MAX_REASON} characters`);
  const purge = options.purge === true;
  const result = await db.transaction(async (tx) => {
    const [block] = await tx
      .insert(actorBlocks)
      .values({ actorIri, purge, reason })
      .onConflictDoUpdate({ target: actorBlocks.actorIri, set: { purge, reason } })
      .returning();
    if (!block) throw new Error("insert returned no row");
    const actor = await tx.query.remoteActors.findFirst({ where: eq(remoteActors.iri, actorIri) });
    let affected = 0;
    if (actor && purge) {
      const gone = await tx.execute(
        sql`SELECT count(*)::int AS n FROM items WHERE remote_actor_id = ${actor.id}`,
      );
      affected = Number((gone[0] as { n?: number } | undefined)?.n ?? 0);
      await tx.delete(remoteActors).where(eq(remoteActors.id, actor.id));
      await tx.execute(sql`DELETE FROM interactions WHERE actor_iri = ${actorIri}`);
    } else if (actor) {
      const hidden = await tx
        .update(curation)
        .set({ state: "hidden", decidedAt: new Date() })
        .where(eq(curation.remoteActorId, actor.id))
        .returning({ id: curation.itemId });
      affected = hidden.length;
      await tx.delete(followers).where(eq(followers.actorId, actor.id));
    }
    await recordAudit(tx, who, "actor.block", actorIri, { purge, reason, items: affected });
    return { block, items: affected };
  });
  await announceChanged(db, CHANGED);
  return result;
}

/** Lifts an actor block; false if there was none. Hidden items stay hidden (a curator restores them). */
export async function unblockActor(db: Db, who: AuditActor, input: string): Promise<boolean> {
  const actorIri = await resolveActorIri(db, input);
  const removed = await db.transaction(async (tx) => {
    const rows = await tx.delete(actorBlocks).where(eq(actorBlocks.actorIri, actorIri)).returning();
    if (rows.length > 0) await recordAudit(tx, who, "actor.unblock", actorIri);
    return rows.length > 0;
  });
  await announceChanged(db, CHANGED);
  return removed;
}

export function listActorBlocks(db: Db): Promise<ActorBlock[]> {
  return db.select().from(actorBlocks).orderBy(asc(actorBlocks.actorIri));
}

/**
 * The actor IRIs a key id may belong to: the key id itself, without its fragment
 * (`<actor>#main-key`: Mastodon, Misskey, ours) and without its last path segment
 * (`<actor>/main-key`: GoToSocial and others).
 */
function actorsOfKey(iriOrKeyId: string): string[] {
  const withoutFragment = iriOrKeyId.replace(/#.*$/, "");
  const parent = withoutFragment.replace(/\/[^/]*$/, "");
  return [iriOrKeyId, withoutFragment, parent];
}

/**
 * Whether an actor (its IRI, or a key id of it) is blocked. Read from a set kept in memory:
 * every inbox POST asks, and blocks are few and rarely change; a block made by any process
 * empties every process's copy through NOTIFY.
 */
export async function isBlockedActor(db: Db, iriOrKeyId: string): Promise<boolean> {
  const load = async (db: Db) => {
    const rows = await db.select({ iri: actorBlocks.actorIri }).from(actorBlocks);
    return new Set(rows.map((r) => r.iri));
  };
  const iris = (await notifiedSet(db, CHANGED, load)) ?? (await load(db));
  if (iris.size === 0) return false;
  return actorsOfKey(iriOrKeyId).some((iri) => iris.has(iri));
}
