import {
  Accept,
  type Actor,
  Create,
  Delete,
  Follow,
  type Recipient,
  Reject,
  Tombstone,
  Undo,
  Update,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Account } from "../domain/accounts.ts";
import type { FollowerInbox } from "../domain/follows.ts";
import type { Item } from "../domain/items.ts";
import type { RemoteActor } from "../domain/remote-actors.ts";
import { accountToActor } from "./actors.ts";
import type { FedContext } from "./context.ts";
import { itemToObject } from "./objects.ts";
import { toInstant } from "./temporal.ts";

/**
 * The one place that sends activities. Everything goes through Fedify's queue (our durable
 * PostgreSQL queue), signed with the account's keys, to shared inboxes where the peer has one.
 */
const logger = getLogger(["baltic", "outbox"]);

/** A remote actor as Fedify's delivery target. */
export function toRecipient(actor: FollowerInbox): Recipient {
  return {
    id: new URL(actor.iri),
    inboxId: new URL(actor.inboxUrl),
    endpoints: actor.sharedInboxUrl ? { sharedInbox: new URL(actor.sharedInboxUrl) } : null,
  };
}

export function createActivityFor(ctx: FedContext, account: Account, item: Item): Create {
  const article = itemToObject(ctx, account, item);
  return new Create({
    id: new URL(`${item.iri}#create`),
    actor: ctx.getActorUri(account.username),
    object: article,
    published: toInstant(item.published),
    tos: article.toIds,
    ccs: article.ccIds,
  });
}

/** Sends Create, Update or Delete of one of our items to the account's followers. */
export async function sendItemToFollowers(
  ctx: FedContext,
  account: Account,
  item: Item,
  kind: "Create" | "Update" | "Delete",
): Promise<void> {
  const actor = ctx.getActorUri(account.username);
  let activity: Create | Update | Delete;
  if (kind === "Create") {
    activity = createActivityFor(ctx, account, item);
  } else if (kind === "Update") {
    const article = itemToObject(ctx, account, item);
    activity = new Update({
      id: new URL(`${item.iri}#update-${(item.updated ?? new Date()).getTime()}`),
      actor,
      object: article,
      published: toInstant(item.updated ?? new Date()),
      tos: article.toIds,
      ccs: article.ccIds,
    });
  } else {
    activity = new Delete({
      id: new URL(`${item.iri}#delete`),
      actor,
      object: new Tombstone({ id: new URL(item.iri), deleted: toInstant(item.deletedAt ?? new Date()) }),
      to: new URL("https://www.w3.org/ns/activitystreams#Public"),
      cc: ctx.getFollowersUri(account.username),
    });
  }
  // The ordering key keeps Create → Update → Delete of one object in order per receiving server.
  await ctx.sendActivity({ identifier: account.username }, "followers", activity, {
    preferSharedInbox: true,
    orderingKey: item.iri,
  });
  logger.info("Queued {kind} of {iri} to the followers of @{username}", {
    kind,
    iri: item.iri,
    username: account.username,
  });
}

export async function sendFollow(ctx: FedContext, account: Account, target: Actor, followIri: URL) {
  const follow = new Follow({ id: followIri, actor: ctx.getActorUri(account.username), object: target.id });
  await ctx.sendActivity({ identifier: account.username }, target, follow);
}

export async function sendUndoFollow(
  ctx: FedContext,
  account: Account,
  target: RemoteActor,
  followIri: string,
) {
  const actor = ctx.getActorUri(account.username);
  const undo = new Undo({
    id: new URL(`${followIri}#undo`),
    actor,
    object: new Follow({ id: new URL(followIri), actor, object: new URL(target.iri) }),
  });
  await ctx.sendActivity({ identifier: account.username }, toRecipient(target), undo);
}

/** Answers a Follow with Accept or Reject (the Follow is embedded, as Mastodon expects). */
export async function sendFollowAnswer(
  ctx: FedContext,
  account: Account,
  follower: RemoteActor,
  followIri: string,
  answer: "Accept" | "Reject",
) {
  const actor = ctx.getActorUri(account.username);
  const follow = new Follow({ id: new URL(followIri), actor: new URL(follower.iri), object: actor });
  const id = new URL(`${actor.href}#${answer.toLowerCase()}s/${encodeURIComponent(followIri)}`);
  const activity =
    answer === "Accept"
      ? new Accept({ id, actor, object: follow })
      : new Reject({ id, actor, object: follow });
  await ctx.sendActivity({ identifier: account.username }, toRecipient(follower), activity);
}

/** Tells followers the library's profile changed, so Mastodon refreshes its name, avatar and fields. */
export async function sendProfileUpdate(ctx: FedContext, account: Account): Promise<void> {
  const actor = await accountToActor(ctx, account);
  const update = new Update({
    id: new URL(`${ctx.getActorUri(account.username).href}#update-${Date.now()}`),
    actor: ctx.getActorUri(account.username),
    object: actor,
    to: new URL("https://www.w3.org/ns/activitystreams#Public"),
    cc: ctx.getFollowersUri(account.username),
  });
  await ctx.sendActivity({ identifier: account.username }, "followers", update, { preferSharedInbox: true });
}
