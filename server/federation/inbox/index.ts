import type { Federation } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Flag, Follow, Like, Reject, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { INSTANCE_ACTOR } from "../../domain/instance-actor.ts";
import type { AppContext } from "../context.ts";
import { onCreateOrUpdate, onDelete } from "./content.ts";
import { onFlag } from "./flags.ts";
import { onFollow, onFollowAnswer, onUndo } from "./follows.ts";
import { onAnnounce, onLike } from "./interactions.ts";

const logger = getLogger(["baltic", "inbox"]);

export function registerInbox(federation: Federation<AppContext>): void {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    // An activity delivered to several of our inboxes (personal and shared) is handled once.
    .withIdempotency("global")
    // Keys and objects the inbox fetches are fetched with the instance actor's signature.
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE_ACTOR }))
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .on(Accept, onFollowAnswer)
    .on(Reject, onFollowAnswer)
    .on(Create, onCreateOrUpdate)
    .on(Update, onCreateOrUpdate)
    .on(Delete, onDelete)
    .on(Like, onLike)
    .on(Announce, onAnnounce)
    // Moderation: reports from other servers (server/federation/inbox/flags.ts).
    .on(Flag, onFlag)
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
