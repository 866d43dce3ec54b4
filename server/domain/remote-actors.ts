import type { Actor } from "@fedify/vocab";
import { eq, sql } from "drizzle-orm";
import { builtOnce, type Db, PER_ACTIVITY, type Tx } from "../db/client.ts";
import { uuidv7 } from "../db/ids.ts";
import { remoteActors } from "../db/schema/index.ts";
import { actorProfileOf } from "../ingest/actor-profile.ts";
import { checkUrl, UnsafeUrlError } from "../ingest/safe-fetch.ts";
import { httpUrlOrNull } from "../ingest/urls.ts";

export type RemoteActor = typeof remoteActors.$inferSelect;

/** An actor document without an id or an inbox: nothing we could store or deliver to. */
export class UnusableActorError extends Error {
  override name = "UnusableActorError";
}

/**
 * Whether upsertRemoteActor refused the actor itself (no inbox, or one we must not POST to), the
 * sender's mistake to ignore, rather than failed (the database). A refusal thrown from an inbox
 * handler had Fedify retry the activity for hours.
 */
export function isRefusedActor(error: unknown): error is Error {
  return error instanceof UnusableActorError || error instanceof UnsafeUrlError;
}

export interface UpsertOptions {
  /** Only tests and the local demo let inboxes live on private addresses (DESIGN.md §5 rule 5). */
  allowPrivateAddress: boolean;
}

/**
 * Stores (or refreshes) what we need of a remote actor: identity, inboxes, display fields.
 * Its inboxes are where we will POST: a hostile actor must not point them at our own network.
 */
export async function upsertRemoteActor(
  db: Db | Tx,
  actor: Actor,
  options: UpsertOptions,
): Promise<RemoteActor> {
  if (actor.id == null) throw new UnusableActorError("remote actor has no id");
  if (actor.inboxId == null) throw new UnusableActorError(`remote actor ${actor.id.href} has no inbox`);
  for (const inbox of [actor.inboxId, actor.endpoints?.sharedInbox]) {
    if (inbox) await checkUrl(inbox, { allowPrivateAddress: options.allowPrivateAddress });
  }
  // user@host of the actor's id: no WebFinger round trip on the inbox's hot path.
  const handle = `${actor.preferredUsername ?? "unknown"}@${actor.id.host}`;
  const icon = await actor.getIcon().catch(() => null);
  const iconUrl = httpUrlOrNull(icon?.url instanceof URL ? icon.url.href : icon?.url?.href?.href);
  const values = {
    iri: actor.id.href,
    type: actor.constructor.name,
    handle,
    name: actor.name?.toString() ?? actor.preferredUsername?.toString() ?? "",
    // Only http(s): a `javascript:` profile link would run in an admin's session when clicked.
    url: httpUrlOrNull(actor.url instanceof URL ? actor.url.href : actor.url?.href?.href),
    iconUrl,
    inboxUrl: actor.inboxId.href,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
    // Consent (FEP-5feb), place and website: refreshed with every profile we receive.
    ...(await actorProfileOf(actor)),
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(remoteActors)
    .values({ id: uuidv7(), ...values })
    .onConflictDoUpdate({
      target: remoteActors.iri,
      // A country a curator corrected stays as the curator set it.
      set: {
        ...values,
        country: sql`CASE WHEN ${remoteActors.countryByCurator} THEN ${remoteActors.country} ELSE excluded.country END`,
      },
    })
    .returning();
  if (!row) throw new Error("upsert returned no row");
  return row;
}

const remoteActorByIri = builtOnce((db) =>
  db.query.remoteActors
    .findFirst({ where: eq(remoteActors.iri, sql.placeholder("iri")) })
    .prepare(PER_ACTIVITY),
);

export function findRemoteActor(db: Db, iri: string): Promise<RemoteActor | undefined> {
  return remoteActorByIri(db).execute({ iri });
}

/** Forgets a remote actor; its follows and received items go with it (ON DELETE CASCADE). */
export async function deleteRemoteActor(db: Db, id: string): Promise<void> {
  await db.delete(remoteActors).where(eq(remoteActors.id, id));
}
