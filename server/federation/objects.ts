import type { Federation } from "@fedify/fedify";
import { Article, Document, Hashtag, LanguageString, PUBLIC_COLLECTION } from "@fedify/vocab";
import { type Account, findAccount } from "../domain/accounts.ts";
import { findItemById, type Item } from "../domain/items.ts";
import { escapeHtml } from "../http/escape.ts";
import { mayFetch } from "./authorized-fetch.ts";
import type { AppContext, FedContext } from "./context.ts";
import { toInstant } from "./temporal.ts";

export function tagUrl(origin: URL, tag: string): URL {
  return new URL(`/tags/${encodeURIComponent(tag.toLowerCase())}`, origin);
}

/** Text in the item's language when it has one, so the JSON carries `contentMap` as well. */
function localized(text: string, language: string | null): (string | LanguageString)[] {
  return language ? [text, new LanguageString(text, language)] : [text];
}

/** Hashtags as links at the end of `content`: Misskey shows tags only when they are links there. */
export function contentWithTagLinks(origin: URL, content: string, tags: string[]): string {
  if (tags.length === 0) return content;
  const links = tags.map(
    (tag) =>
      `<a href="${escapeHtml(tagUrl(origin, tag).href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`,
  );
  return `${content}<p>${links.join(" ")}</p>`;
}

/**
 * Our item as an `Article`. Mastodon discards `content` of converted types and shows `name`,
 * then `summary`, then a link to `url`; so the summary stands alone (DESIGN.md §4).
 */
export function itemToArticle(ctx: FedContext, account: Account, item: Item): Article {
  const actorUri = ctx.getActorUri(account.username);
  const origin = new URL(ctx.origin);
  return new Article({
    id: new URL(item.iri),
    attribution: actorUri,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(account.username),
    names: localized(item.title, item.language),
    // Plain text: Misskey and others show `summary` as a raw-text content warning.
    summaries: localized(item.summary, item.language),
    contents: localized(contentWithTagLinks(origin, item.content, item.tags), item.language),
    url: new URL(item.url ?? item.iri),
    published: toInstant(item.published),
    updated: item.updated ? toInstant(item.updated) : null,
    tags: item.tags.map((tag) => new Hashtag({ href: tagUrl(origin, tag), name: `#${tag}` })),
    attachments: item.attachments.map(
      (a) =>
        new Document({
          url: new URL(a.url),
          mediaType: a.mediaType ?? null,
          name: a.name ?? null,
          width: a.width ?? null,
          height: a.height ?? null,
        }),
    ),
  });
}

export function registerObjects(federation: Federation<AppContext>): void {
  federation
    .setObjectDispatcher(Article, "/users/{identifier}/articles/{id}", async (ctx, { identifier, id }) => {
      const item = await findItemById(ctx.data.db, id);
      if (!item || item.deletedAt || !item.accountId) return null;
      const account = await findAccount(ctx.data.db, identifier);
      if (!account || account.id !== item.accountId) return null;
      return itemToArticle(ctx, account, item);
    })
    .authorize((ctx) => mayFetch(ctx));
}
