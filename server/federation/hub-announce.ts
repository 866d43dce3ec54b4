import { Announce, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Account } from "../domain/accounts.ts";
import type { FedContext } from "./context.ts";
import { toInstant } from "./temporal.ts";

/**
 * A hub's boost of a featured item: Announce of the ORIGINAL object (its IRI on the source's
 * server, never a copy) from the hub's account to its followers, with `audience` set to the hub
 * actor (FEP-1b12: the group-like actor that redistributes is the audience). Sent through
 * Fedify's queue (our durable queue), as every activity of outbox.ts is.
 */
const logger = getLogger(["baltic", "outbox", "hub"]);
const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

/** A stable id per featuring, so the Undo names exactly the Announce it takes back. */
export function announceIriFor(ctx: FedContext, account: Account, itemId: string, at: Date): string {
  return `${ctx.getActorUri(account.username).href}/announces/${itemId}/${at.getTime()}`;
}

/** The Announce itself: what is sent, what the Undo wraps, and what the hub's outbox lists. */
export function announceOf(
  ctx: FedContext,
  account: Account,
  objectIri: string,
  announceIri: string,
  at?: Date,
): Announce {
  const actor = ctx.getActorUri(account.username);
  return new Announce({
    id: new URL(announceIri),
    actor,
    object: new URL(objectIri),
    audience: actor,
    to: PUBLIC,
    cc: ctx.getFollowersUri(account.username),
    ...(at && { published: toInstant(at) }),
  });
}

export async function sendHubAnnounce(
  ctx: FedContext,
  account: Account,
  objectIri: string,
  announceIri: string,
  at: Date,
): Promise<void> {
  await ctx.sendActivity(
    { identifier: account.username },
    "followers",
    announceOf(ctx, account, objectIri, announceIri, at),
    { preferSharedInbox: true, orderingKey: announceIri },
  );
  logger.info("Queued Announce of {object} to the followers of @{username}", {
    object: objectIri,
    username: account.username,
  });
}

export async function sendHubUndoAnnounce(
  ctx: FedContext,
  account: Account,
  objectIri: string,
  announceIri: string,
): Promise<void> {
  const actor = ctx.getActorUri(account.username);
  const undo = new Undo({
    id: new URL(`${announceIri}#undo`),
    actor,
    object: announceOf(ctx, account, objectIri, announceIri),
    audience: actor,
    to: PUBLIC,
    cc: ctx.getFollowersUri(account.username),
  });
  await ctx.sendActivity({ identifier: account.username }, "followers", undo, {
    preferSharedInbox: true,
    orderingKey: announceIri,
  });
  logger.info("Queued Undo of the Announce of {object}", { object: objectIri });
}
