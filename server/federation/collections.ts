import type { Federation, RequestContext } from "@fedify/fedify";
import type { Activity, Object as APObject } from "@fedify/vocab";
import type { Account } from "../domain/accounts.ts";
import { findAccount } from "../domain/accounts.ts";
import {
  countFollowers,
  countFollowing,
  listFollowerInboxes,
  listFollowers,
  listFollowing,
} from "../domain/follows.ts";
import { countHubAnnounces, listHubAnnounces } from "../domain/hub-announces.ts";
import { hubAccount } from "../domain/hub-sources.ts";
import { countItemsOf } from "../domain/item-counts.ts";
import { encodeCursor, listItems } from "../domain/items.ts";
import { mayFetch } from "./authorized-fetch.ts";
import type { AppContext } from "./context.ts";
import { announceOf } from "./hub-announce.ts";
import { createActivityFor, toRecipient } from "./outbox.ts";

const PAGE_SIZE = 50;

/** On a hub, the account that follows the sources is the one whose featurings are Announces. */
async function isHubAccount(ctx: RequestContext<AppContext>, account: Account): Promise<boolean> {
  if (ctx.data.config.instanceRole !== "hub") return false;
  return (await hubAccount(ctx.data.db).catch(() => null))?.id === account.id;
}

/**
 * One outbox page: the account's posts as Creates and, on the hub's account, its standing
 * Announces too (as Mastodon lists boosts), merged newest first. Both lists page on (time, id)
 * with the same cursor, so taking the newest PAGE_SIZE of both pages is the merged page.
 */
async function outboxPage(
  ctx: RequestContext<AppContext>,
  account: Account,
  cursor: string | undefined,
): Promise<{ items: Activity[]; nextCursor: string | null }> {
  const db = ctx.data.db;
  const page = await listItems(db, new URL(ctx.origin), { limit: PAGE_SIZE, cursor, accountId: account.id });
  if (!(await isHubAccount(ctx, account))) {
    return {
      items: page.items.map((item) => createActivityFor(ctx, account, item)),
      nextCursor: page.nextCursor,
    };
  }
  const announces = await listHubAnnounces(db, { limit: PAGE_SIZE, cursor });
  const entries = [
    ...page.items.map((item) => ({
      published: item.published,
      id: item.id,
      activity: () => createActivityFor(ctx, account, item) as Activity,
    })),
    ...announces.map((a) => ({
      published: a.featuredAt,
      id: a.itemId,
      activity: () => announceOf(ctx, account, a.objectIri, a.announceIri, a.featuredAt) as Activity,
    })),
  ].sort((x, y) => y.published.getTime() - x.published.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
  const taken = entries.slice(0, PAGE_SIZE);
  const last = taken.at(-1);
  const more = entries.length > PAGE_SIZE || page.nextCursor != null || announces.length === PAGE_SIZE;
  return {
    items: taken.map((entry) => entry.activity()),
    nextCursor: more && last ? encodeCursor(last) : null,
  };
}

/** Offset cursors: collections here are small and change slowly. */
function pageOffset(cursor: string): number | null {
  const n = Number(cursor);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export function registerCollections(federation: Federation<AppContext>): void {
  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (ctx, identifier, cursor) => {
      const account = await findAccount(ctx.data.db, identifier);
      if (!account) return null;
      // Without a cursor Fedify wants every recipient: this is how sendActivity fans out.
      if (cursor == null) {
        const all = await listFollowerInboxes(ctx.data.db, account.id);
        return { items: all.map(toRecipient) };
      }
      const offset = pageOffset(cursor);
      if (offset == null) return null;
      const page = await listFollowers(ctx.data.db, account.id, { limit: PAGE_SIZE, offset });
      return {
        items: page.map((row) => toRecipient(row.actor)),
        nextCursor: page.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : null,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const account = await findAccount(ctx.data.db, identifier);
      return account ? countFollowers(ctx.data.db, account.id) : null;
    })
    .setFirstCursor(() => "0")
    .authorize(mayFetch);

  federation
    .setFollowingDispatcher("/users/{identifier}/following", async (ctx, identifier, cursor) => {
      const account = await findAccount(ctx.data.db, identifier);
      if (!account || cursor == null) return null;
      const offset = pageOffset(cursor);
      if (offset == null) return null;
      const page = await listFollowing(ctx.data.db, account.id, PAGE_SIZE, offset);
      return {
        items: page.filter((f) => f.state === "accepted").map((f) => new URL(f.actor.iri)),
        nextCursor: page.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : null,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const account = await findAccount(ctx.data.db, identifier);
      return account ? countFollowing(ctx.data.db, account.id) : null;
    })
    .setFirstCursor(() => "0")
    .authorize(mayFetch);

  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const account = await findAccount(ctx.data.db, identifier);
      if (!account || cursor == null) return null;
      return outboxPage(ctx, account, cursor === "" ? undefined : cursor).catch(() => null);
    })
    .setCounter(async (ctx, identifier) => {
      const account = await findAccount(ctx.data.db, identifier);
      if (!account) return null;
      const posts = await countItemsOf(ctx.data.db, account.id);
      return (await isHubAccount(ctx, account)) ? posts + (await countHubAnnounces(ctx.data.db)) : posts;
    })
    .setFirstCursor(() => "")
    .authorize(mayFetch);

  // Pinned posts are not a feature yet; the collection exists so Mastodon's profile fetch succeeds.
  federation
    .setFeaturedDispatcher("/users/{identifier}/featured", async (ctx, identifier) => {
      const account = await findAccount(ctx.data.db, identifier);
      return account ? { items: [] as APObject[] } : null;
    })
    .authorize(mayFetch);
}
