import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { actorBlocks, curation, followers, remoteActors } from "../db/schema/index.ts";
import { type AuditActor, recordAudit } from "./audit-log.ts";
import { ValidationError } from "./errors.ts";
import { findSourceActor } from "./hub-sources.ts";

export type ActorBlock = typeof actorBlocks.$inferSelect;

const MAX_REASON = 500;
/** The inbox asks for every activity: the block list is kept this long in memory per process. */
const TTL_MS = 10_000;

interface Cache {
  iris: Set<string>;
  loadedAt: number;
}
const caches = new WeakMap<object, Cache>();

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
  forget(db);
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
  forget(db);
  return removed;
}

export function listActorBlocks(db: Db): Promise<ActorBlock[]> {
  return db.select().from(actorBlocks).orderBy(asc(actorBlocks.actorIri));
}

function forget(db: Db): void {
  caches.delete(db);
}

/**
 * Whether an actor (its IRI, or a key id `…#main-key` of it) is blocked. Read from a set kept
 * in memory for TTL_MS: an inbox POST asks once, and blocks are few and rarely change (another
 * process's block is heard within the TTL).
 */
export async function isBlockedActor(db: Db, iriOrKeyId: string): Promise<boolean> {
  let cache = caches.get(db);
  if (!cache || Date.now() - cache.loadedAt > TTL_MS) {
    const rows = await db.select({ iri: actorBlocks.actorIri }).from(actorBlocks);
    cache = { iris: new Set(rows.map((r) => r.iri)), loadedAt: Date.now() };
    caches.set(db, cache);
  }
  if (cache.iris.size === 0) return false;
  const iri = iriOrKeyId.replace(/#.*$/, "");
  return cache.iris.has(iri) || cache.iris.has(iriOrKeyId);
}
