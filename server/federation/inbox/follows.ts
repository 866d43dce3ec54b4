import type { InboxContext } from "@fedify/fedify";
import { Accept, Follow, type Reject, type Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findAccount } from "../../domain/accounts.ts";
import { startBackfill } from "../../domain/backfills.ts";
import { answerFollowing, removeFollower, saveFollower } from "../../domain/follows.ts";
import { findRemoteActor, isRefusedActor, upsertRemoteActor } from "../../domain/remote-actors.ts";
import { enqueueBackfill } from "../backfill-jobs.ts";
import type { AppContext } from "../context.ts";
import { sendFollowAnswer } from "../outbox.ts";
import { undoInteraction } from "./interactions.ts";

const logger = getLogger(["baltic", "inbox"]);

/** A remote actor follows one of ours: accept at once, or hold for approval if the account asks. */
export async function onFollow(ctx: InboxContext<AppContext>, follow: Follow): Promise<void> {
  if (follow.id == null || follow.objectId == null) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor") return;
  const account = await findAccount(ctx.data.db, target.identifier);
  if (!account) return;
  const follower = await follow.getActor();
  if (follower == null) return;
  const state = account.manuallyApprovesFollowers ? "pending" : "accepted";
  const followIri = follow.id.href;
  // One transaction: a Delete of the same actor handled at the same moment cannot remove its row
  // between the two writes (found by fuzzing: the follower insert then broke its foreign key).
  const actor = await ctx.data.db.transaction(async (tx) => {
    const stored = await upsertRemoteActor(tx, follower, ctx.data.config).catch((error) => {
      if (!isRefusedActor(error)) throw error;
      logger.warn("Ignoring Follow from {actor}: {reason}", {
        actor: follower.id?.href,
        reason: error.message,
      });
      return null;
    });
    if (stored) await saveFollower(tx, account.id, stored.id, followIri, state);
    return stored;
  });
  if (!actor) return;
  logger.info("{actor} asked to follow @{username}: {state}", {
    actor: actor.iri,
    username: account.username,
    state,
  });
  if (state === "accepted") await sendFollowAnswer(ctx, account, actor, follow.id.href, "Accept");
}

/** Undo(Follow): the follower leaves. Undo of a Like or Announce takes it back. */
export async function onUndo(ctx: InboxContext<AppContext>, undo: Undo): Promise<void> {
  if (await undoInteraction(ctx, undo)) return;
  const object = await undo.getObject().catch(() => null);
  if (!(object instanceof Follow) || object.objectId == null || undo.actorId == null) return;
  // Only the follower can undo its Follow.
  if (object.actorId?.href !== undo.actorId.href) return;
  const target = ctx.parseUri(object.objectId);
  if (target?.type !== "actor") return;
  const account = await findAccount(ctx.data.db, target.identifier);
  const actor = await findRemoteActor(ctx.data.db, undo.actorId.href);
  if (!account || !actor) return;
  if (await removeFollower(ctx.data.db, account.id, actor.id)) {
    logger.info("{actor} unfollowed @{username}", { actor: actor.iri, username: account.username });
  }
}

/** Accept or Reject of a Follow one of our accounts sent, matched by the Follow's id. */
export async function onFollowAnswer(ctx: InboxContext<AppContext>, answer: Accept | Reject): Promise<void> {
  // objectId is the Follow's id whether the Follow is embedded (Mastodon) or only referenced.
  if (answer.actorId == null || answer.objectId == null) return;
  const actor = await findRemoteActor(ctx.data.db, answer.actorId.href);
  if (!actor) return;
  const state = answer instanceof Accept ? "accepted" : "rejected";
  const account = await answerFollowing(ctx.data.db, actor.id, answer.objectId.href, state);
  if (account) logger.info("{actor} {state} the follow of {account}", { actor: actor.iri, state, account });
  // A hub reads what the source published before it was followed (services/backfill.ts).
  if (account && state === "accepted" && ctx.data.config.instanceRole === "hub") {
    const { backfill, fresh } = await startBackfill(ctx.data.db, actor.id);
    if (fresh) await enqueueBackfill(ctx.data.db, backfill.id);
  }
}
