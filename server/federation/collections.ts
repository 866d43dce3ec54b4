import type { Federation } from "@fedify/fedify";
import type { Object as APObject } from "@fedify/vocab";
import { findAccount } from "../domain/accounts.ts";
import {
  countFollowers,
  countFollowing,
  listFollowerInboxes,
  listFollowers,
  listFollowing,
} from "../domain/follows.ts";
import { countItemsOf } from "../domain/item-counts.ts";
import { listItems } from "../domain/items.ts";
import { mayFetch } from "./authorized-fetch.ts";
import type { AppContext } from "./context.ts";
import { createActivityFor, toRecipient } from "./outbox.ts";

const PAGE_SIZE = 50;

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
      const page = await listItems(ctx.data.db, new URL(ctx.origin), {
        limit: PAGE_SIZE,
        cursor: cursor === "" ? undefined : cursor,
        accountId: account.id,
      }).catch(() => null);
      if (!page) return null;
      return {
        items: page.items.map((item) => createActivityFor(ctx, account, item)),
        nextCursor: page.nextCursor,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const account = await findAccount(ctx.data.db, identifier);
      return account ? countItemsOf(ctx.data.db, account.id) : null;
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
