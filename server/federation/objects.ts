import type { Federation } from "@fedify/fedify";
import { Article, Document, Hashtag, LanguageString, PUBLIC_COLLECTION } from "@fedify/vocab";
import { type Account, findAccount } from "../domain/accounts.ts";
import { findItemById, type Item } from "../domain/items.ts";
import { escapeHtml } from "../http/escape.ts";
import type { AppContext, FedContext } from "./context.ts";
import { toInstant } from "./temporal.ts";

export function tagUrl(origin: URL, tag: string): URL {
  return new URL(`/tags/${encodeURIComponent(tag.toLowerCase())}`, origin);
}

/** Text in the item's language when it has one, so the JSON carries `contentMap` as well. */
function localized(text: string, language: string | null): (string | LanguageString)[] {
  return language ? [text, new LanguageString(text, language)] : [text];
}

/**
 * Our item as an `Article`. Mastodon discards `content` of converted types and shows `name`,
 * then `summary`, then a link to `url`; so the summary stands alone (DESIGN.md §4).
 */
export function itemToArticle(ctx: FedContext, account: Account, item: Item): Article {
  const actorUri = ctx.getActorUri(account.username);
  const summaryHtml = `<p>${escapeHtml(item.summary)}</p>`;
  return new Article({
    id: new URL(item.iri),
    attribution: actorUri,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(account.username),
    names: localized(item.title, item.language),
    summaries: localized(summaryHtml, item.language),
    contents: localized(item.content, item.language),
    url: new URL(item.url ?? item.iri),
    published: toInstant(item.published),
    updated: item.updated ? toInstant(item.updated) : null,
    tags: item.tags.map((tag) => new Hashtag({ href: tagUrl(new URL(ctx.origin), tag), name: `#${tag}` })),
    attachments: item.attachments.map(
      (a) => new Document({ url: new URL(a.url), mediaType: a.mediaType ?? null, name: a.name ?? null }),
    ),
  });
}

export function registerObjects(federation: Federation<AppContext>): void {
  federation.setObjectDispatcher(
    Article,
    "/users/{identifier}/articles/{id}",
    async (ctx, { identifier, id }) => {
      const item = await findItemById(ctx.data.db, id);
      if (!item || item.deletedAt || !item.accountId) return null;
      const account = await findAccount(ctx.data.db, identifier);
      if (!account || account.id !== item.accountId) return null;
      return itemToArticle(ctx, account, item);
    },
  );
}
