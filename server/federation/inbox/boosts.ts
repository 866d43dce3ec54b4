import type { InboxContext } from "@fedify/fedify";
import { type Announce, isActor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { isBlockedUrl } from "../../domain/domain-blocks.ts";
import { isFollowedByUs } from "../../domain/follows.ts";
import { INSTANCE_ACTOR } from "../../domain/instance-actor.ts";
import {
  findRemoteActor,
  isRefusedActor,
  type RemoteActor,
  upsertRemoteActor,
} from "../../domain/remote-actors.ts";
import { isIngestedObject } from "../../ingest/remote-object.ts";
import type { AppContext } from "../context.ts";
import { ingestAuthoredObject } from "../ingest-object.ts";

const logger = getLogger(["baltic", "inbox"]);

/** The boosted object's author as we store it, fetched from its own server when new. */
async function storedAuthor(ctx: InboxContext<AppContext>, iri: URL): Promise<RemoteActor | null> {
  const known = await findRemoteActor(ctx.data.db, iri.href);
  if (known) return known;
  const documentLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const fetched = await ctx.lookupObject(iri.href, { documentLoader }).catch(() => null);
  if (!isActor(fetched) || fetched.id?.href !== iri.href) return null;
  return upsertRemoteActor(ctx.data.db, fetched, ctx.data.config).catch((error) => {
    if (isRefusedActor(error)) return null;
    throw error;
  });
}

/**
 * Announce by an actor we follow of someone else's Note, Article…: the object is kept as an item
 * of its original author (the hub shows who wrote it, never the booster as author), after the
 * same checks as any received object. Fedify fetches an embedded object of another origin again
 * from its own server, so a booster cannot put words in the author's mouth.
 */
export async function ingestBoost(ctx: InboxContext<AppContext>, announce: Announce): Promise<void> {
  const db = ctx.data.db;
  const booster = announce.actorId ? await findRemoteActor(db, announce.actorId.href) : undefined;
  if (!booster || !(await isFollowedByUs(db, booster.id))) {
    logger.debug("Ignoring a boost by {actor}: none of our accounts follows it", {
      actor: announce.actorId?.href,
    });
    return;
  }
  const object = await announce.getObject().catch(() => null);
  if (!isIngestedObject(object) || object.id == null || object.attributionId == null) {
    logger.info("Ignoring a boost by {actor}: its object is missing or not a type we keep", {
      actor: booster.iri,
    });
    return;
  }
  if (await isBlockedUrl(db, object.attributionId)) return;
  const author = await storedAuthor(ctx, object.attributionId);
  if (!author) {
    logger.warn("Ignoring a boost of {object}: its author could not be fetched", { object: object.id.href });
    return;
  }
  const item = await ingestAuthoredObject(db, author, object, announce, ctx.contextLoader, "boost");
  if (item) logger.info("Stored {iri} boosted by {actor}", { iri: item.iri, actor: booster.iri });
}
