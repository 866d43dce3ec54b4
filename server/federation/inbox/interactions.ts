import type { InboxContext } from "@fedify/fedify";
import { Announce, type Like, type Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { type InteractionKind, recordInteraction, removeInteraction } from "../../domain/interactions.ts";
import { findItemByIri } from "../../domain/items.ts";
import type { AppContext } from "../context.ts";
import { ingestBoost } from "./boosts.ts";

const logger = getLogger(["baltic", "inbox"]);

/** Our own, live item that the activity names, if any. */
async function ourItem(ctx: InboxContext<AppContext>, objectId: URL | null) {
  if (objectId == null || objectId.origin !== new URL(ctx.origin).origin) return null;
  const item = await findItemByIri(ctx.data.db, objectId.href);
  return item?.accountId && !item.deletedAt ? item : null;
}

async function record(ctx: InboxContext<AppContext>, activity: Like | Announce, kind: InteractionKind) {
  const actor = activity.actorId;
  // DESIGN.md §5 rule 2: the activity's id is on the sender's server (Fedify checked the key).
  if (activity.id == null || actor == null || activity.id.origin !== actor.origin) return;
  const item = await ourItem(ctx, activity.objectId);
  if (!item) {
    // Boosts of other servers' posts by actors we follow: the boosted object is ingested.
    if (activity instanceof Announce) return ingestBoost(ctx, activity);
    logger.debug("Ignoring {kind} of {object}: not one of our items", {
      kind,
      object: activity.objectId?.href,
    });
    return;
  }
  const added = await recordInteraction(ctx.data.db, {
    itemId: item.id,
    kind,
    actorIri: actor.href,
    activityIri: activity.id.href,
  });
  if (added) logger.info("{actor}: {kind} of {item}", { actor: actor.href, kind, item: item.iri });
}

export const onLike = (ctx: InboxContext<AppContext>, like: Like) => record(ctx, like, "like");
export const onAnnounce = (ctx: InboxContext<AppContext>, announce: Announce) =>
  record(ctx, announce, "announce");

/**
 * Undo of a Like or Announce, matched by the undone activity's id and its sender; the object is
 * never fetched (Mastodon's like ids are not dereferenceable). Returns whether it was one.
 */
export async function undoInteraction(ctx: InboxContext<AppContext>, undo: Undo): Promise<boolean> {
  if (undo.objectId == null || undo.actorId == null) return false;
  const kind = await removeInteraction(ctx.data.db, undo.objectId.href, undo.actorId.href);
  if (kind) logger.info("{actor} took back a {kind}", { actor: undo.actorId.href, kind });
  return kind != null;
}
