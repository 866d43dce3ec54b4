import type { Federation } from "@fedify/fedify";
import { Application, Endpoints, Image, Organization, Place, PropertyValue } from "@fedify/vocab";
import { type Account, findAccount, getKeyPairs } from "../domain/accounts.ts";
import { getInstanceKeyPairs, INSTANCE_ACTOR } from "../domain/instance-actor.ts";
import { escapeHtml } from "../http/escape.ts";
import { mayFetch } from "./authorized-fetch.ts";
import type { AppContext, FedContext } from "./context.ts";
import { toInstant } from "./temporal.ts";

/**
 * Mastodon verifies a Website field (green check) only when the link's text equals its `href`
 * and the site links back with rel="me"; its invisible-span convention hides the scheme.
 */
export function websiteField(url: string): PropertyValue {
  const scheme = /^https?:\/\//.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const value =
    `<a href="${escapeHtml(url)}" rel="me nofollow noopener noreferrer" target="_blank" translate="no">` +
    `<span class="invisible">${escapeHtml(scheme)}</span><span class="">${escapeHtml(rest)}</span>` +
    `<span class="invisible"></span></a>`;
  return new PropertyValue({ name: "Website", value });
}

const countryNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** Mastodon and Misskey show a field as written, so the country goes out as a name. */
export function countryName(code: string): string {
  return countryNames.of(code.toUpperCase()) ?? code;
}

/** Our library account as an ActivityPub `Organization` (DESIGN.md §4). */
export async function accountToActor(ctx: FedContext, account: Account): Promise<Organization> {
  const keys = await ctx.getActorKeyPairs(account.username);
  const attachments: PropertyValue[] = [];
  if (account.website) attachments.push(websiteField(account.website));
  if (account.country) {
    attachments.push(new PropertyValue({ name: "Country", value: escapeHtml(countryName(account.country)) }));
  }
  if (account.city) attachments.push(new PropertyValue({ name: "City", value: escapeHtml(account.city) }));
  return new Organization({
    id: ctx.getActorUri(account.username),
    preferredUsername: account.username,
    name: account.name,
    summary: account.summary ? `<p>${escapeHtml(account.summary)}</p>` : null,
    url: ctx.getActorUri(account.username),
    published: toInstant(account.createdAt),
    icon: account.iconUrl ? new Image({ url: new URL(account.iconUrl) }) : null,
    image: account.imageUrl ? new Image({ url: new URL(account.imageUrl) }) : null,
    attachments,
    location:
      account.latitude != null && account.longitude != null
        ? new Place({
            name:
              [account.city, account.country && countryName(account.country)].filter(Boolean).join(", ") ||
              null,
            latitude: account.latitude,
            longitude: account.longitude,
          })
        : null,
    manuallyApprovesFollowers: account.manuallyApprovesFollowers,
    discoverable: account.discoverable,
    indexable: account.indexable,
    inbox: ctx.getInboxUri(account.username),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    outbox: ctx.getOutboxUri(account.username),
    followers: ctx.getFollowersUri(account.username),
    following: ctx.getFollowingUri(account.username),
    featured: ctx.getFeaturedUri(account.username),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
  });
}

/**
 * The instance itself (FEP-2677): an `Application` that signs our fetches of keys and objects,
 * so servers in authorized-fetch mode answer them.
 */
async function instanceActor(ctx: FedContext): Promise<Application> {
  const keys = await ctx.getActorKeyPairs(INSTANCE_ACTOR);
  const host = new URL(ctx.origin).host;
  return new Application({
    id: ctx.getActorUri(INSTANCE_ACTOR),
    preferredUsername: host,
    name: host,
    summary: "The instance's own actor: it signs the requests this server makes on its own behalf.",
    url: new URL("/", ctx.origin),
    inbox: ctx.getInboxUri(INSTANCE_ACTOR),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    manuallyApprovesFollowers: true,
    discoverable: false,
    indexable: false,
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
  });
}

export function registerActors(federation: Federation<AppContext>): void {
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return instanceActor(ctx);
      const account = await findAccount(ctx.data.db, identifier);
      return account ? accountToActor(ctx, account) : null;
    })
    .mapHandle((ctx, username) => {
      const name = username.toLowerCase();
      return name === new URL(ctx.origin).host ? INSTANCE_ACTOR : name;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return getInstanceKeyPairs(ctx.data.db);
      const account = await findAccount(ctx.data.db, identifier);
      return account ? getKeyPairs(ctx.data.db, account.id) : [];
    })
    .authorize(mayFetch);
}
