import type { Federation } from "@fedify/fedify";
import { Accept, Create, Delete, Follow, Reject, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { AppContext } from "../context.ts";
import { onCreateOrUpdate, onDelete } from "./content.ts";
import { onFollow, onFollowAnswer, onUndo } from "./follows.ts";

const logger = getLogger(["baltic", "inbox"]);

export function registerInbox(federation: Federation<AppContext>): void {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    // An activity delivered to several of our inboxes (personal and shared) is handled once.
    .withIdempotency("global")
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .on(Accept, onFollowAnswer)
    .on(Reject, onFollowAnswer)
    .on(Create, onCreateOrUpdate)
    .on(Update, onCreateOrUpdate)
    .on(Delete, onDelete)
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
