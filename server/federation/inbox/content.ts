import type { InboxContext } from "@fedify/fedify";
import {
  type Actor,
  type Object as APObject,
  type Create,
  type Delete,
  isActor,
  Update,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { isFollowedByUs } from "../../domain/follows.ts";
import { removeInteractionsOf } from "../../domain/interactions.ts";
import { findItemByIri } from "../../domain/items.ts";
import {
  deleteRemoteActor,
  findRemoteActor,
  isRefusedActor,
  type RemoteActor,
  upsertRemoteActor,
} from "../../domain/remote-actors.ts";
import { isIngestedObject, removeRemoteObject, storeRemoteObject } from "../../ingest/remote-object.ts";
import type { AppContext } from "../context.ts";
import { detailsFromTerms, receivedTerms } from "../library-terms.ts";

const logger = getLogger(["baltic", "inbox"]);

/**
 * DESIGN.md §5 rule 2: the activity id must share the actor's origin. (Embedded objects of another
 * origin are not trusted as sent: Fedify fetches them again from their own origin.)
 */
function sameOriginAsActor(activity: Create | Update | Delete): boolean {
  const actor = activity.actorId;
  if (actor == null || activity.id == null) return false;
  return activity.id.origin === actor.origin;
}

/** The sender as we store it, fetched and stored if new (its inboxes checked). */
async function storedSender(
  ctx: InboxContext<AppContext>,
  activity: Create | Update,
): Promise<RemoteActor | null> {
  if (activity.actorId == null) return null;
  const known = await findRemoteActor(ctx.data.db, activity.actorId.href);
  if (known) return known;
  const fetched = await activity.getActor().catch(() => null);
  if (!fetched) return null;
  const stored = await upsertRemoteActor(ctx.data.db, fetched, ctx.data.config).catch((error) => {
    if (isRefusedActor(error)) return null;
    throw error;
  });
  return stored;
}

/** Whether the object answers one of our own items: replies are kept from anyone. */
async function repliesToUs(ctx: InboxContext<AppContext>, object: APObject): Promise<boolean> {
  const target = object.replyTargetId;
  if (target == null || target.origin !== new URL(ctx.origin).origin) return false;
  const item = await findItemByIri(ctx.data.db, target.href);
  return item?.accountId != null && item.deletedAt == null;
}

/** Create and Update of Note, Article, Page, Video, Event, Question by their author. */
export async function onCreateOrUpdate(
  ctx: InboxContext<AppContext>,
  activity: Create | Update,
): Promise<void> {
  const kind = activity.constructor.name;
  if (!sameOriginAsActor(activity)) {
    logger.warn("Ignoring {kind} {id}: its id is not on the actor's server", { kind, id: activity.id?.href });
    return;
  }
  const object = await activity.getObject().catch(() => null);
  if (isActor(object)) {
    // Update(Person/Organization…): a profile change, accepted only from the actor itself.
    if (activity instanceof Update && object.id?.href === activity.actorId?.href)
      await refreshActor(ctx, object);
    return;
  }
  if (!isIngestedObject(object) || object.id == null) {
    logger.info("Ignoring {kind} of a {type} from {actor}: not a type we keep", {
      kind,
      type: object?.constructor.name ?? "missing object",
      actor: activity.actorId?.href,
    });
    return;
  }
  // Rule 2 and 3: the object must be the actor's own, on the actor's server.
  const author = object.attributionId;
  if (author?.href !== activity.actorId?.href || object.id.origin !== activity.actorId?.origin) {
    logger.warn("Ignoring {kind} of {object}: not attributed to the sender {actor}", {
      kind,
      object: object.id.href,
      actor: activity.actorId?.href,
    });
    return;
  }
  // We keep what followed actors publish, and replies to our items from anyone.
  const sender = await storedSender(ctx, activity);
  const wanted =
    sender != null && ((await isFollowedByUs(ctx.data.db, sender.id)) || (await repliesToUs(ctx, object)));
  if (!sender || !wanted) {
    logger.debug("Ignoring {kind} from {actor}: none of our accounts follows it", {
      kind,
      actor: activity.actorId?.href,
    });
    return;
  }
  const terms = await receivedTerms(activity, object, ctx.contextLoader);
  const item = await storeRemoteObject(ctx.data.db, sender, object, { details: detailsFromTerms(terms) });
  // Debug: a hub stores hundreds a second, and each line went through the web thread's console.
  if (item) logger.debug("Stored {kind} of {iri} from {actor}", { kind, iri: item.iri, actor: sender.iri });
}

async function refreshActor(ctx: InboxContext<AppContext>, actor: Actor): Promise<void> {
  if (actor.id == null || !(await findRemoteActor(ctx.data.db, actor.id.href))) return;
  await upsertRemoteActor(ctx.data.db, actor, ctx.data.config).catch((error) => {
    if (!isRefusedActor(error)) throw error;
    logger.warn("Ignoring profile update of {actor}: {reason}", {
      actor: actor.id?.href,
      reason: error.message,
    });
  });
}

/** Delete: only the author's Delete removes an item; a forged one changes nothing. */
export async function onDelete(ctx: InboxContext<AppContext>, activity: Delete): Promise<void> {
  if (!sameOriginAsActor(activity) || activity.objectId == null || activity.actorId == null) return;
  const sender = await findRemoteActor(ctx.data.db, activity.actorId.href);
  if (!sender) {
    // An actor we never stored (it only liked or boosted) leaves: its likes and boosts go too.
    if (activity.objectId.href === activity.actorId.href) {
      await removeInteractionsOf(ctx.data.db, activity.actorId.href);
    }
    return;
  }
  if (activity.objectId.href === sender.iri) {
    // The account itself is gone: forget it, its follows and everything it published.
    await deleteRemoteActor(ctx.data.db, sender.id);
    await removeInteractionsOf(ctx.data.db, sender.iri);
    logger.info("Removed deleted actor {actor} and its items", { actor: sender.iri });
    return;
  }
  // The object is usually a Tombstone or a bare id; never fetch it, it is gone.
  const iri = activity.objectId.href;
  if (await removeRemoteObject(ctx.data.db, sender, iri)) {
    logger.info("Deleted {iri} at the request of {actor}", { iri, actor: sender.iri });
  }
}
