import type { Federation, RequestContext } from "@fedify/fedify";
import {
  Article,
  Document,
  Event,
  Hashtag,
  LanguageString,
  Link,
  Place,
  PropertyValue,
  PUBLIC_COLLECTION,
  Video,
} from "@fedify/vocab";
import type { EventLocation, ItemTranslation, PracticeDetails, ResourceDetails } from "../db/schema/index.ts";
import { type Account, findAccount } from "../domain/accounts.ts";
import { formatEventPlace } from "../domain/events.ts";
import { findItemById, type Item } from "../domain/items.ts";
import { postTypeOf } from "../domain/posts.ts";
import { countryName, formatPeriod, practiceWords } from "../domain/practices.ts";
import { resourceTypeName } from "../domain/resources.ts";
import { escapeHtml } from "../http/escape.ts";
import { mayFetch } from "./authorized-fetch.ts";
import type { AppContext, FedContext } from "./context.ts";
import { LibraryArticle, LibraryEvent, type LibraryTerms, withTerms } from "./library-terms.ts";
import { toInstant } from "./temporal.ts";
import { webcastToVideo } from "./webcast-object.ts";

export function tagUrl(origin: URL, tag: string): URL {
  return new URL(`/tags/${encodeURIComponent(tag.toLowerCase())}`, origin);
}

/**
 * Text in the item's language and in each of its other versions: plain `name` (what software
 * without language maps shows) plus `nameMap` with every language (FEP-67ff style maps).
 */
function localized(
  item: Item,
  pick: (version: Omit<ItemTranslation, "source">) => string,
): (string | LanguageString)[] {
  const own = pick(item);
  if (!item.language) return [own];
  return [
    own,
    new LanguageString(own, item.language),
    ...Object.entries(item.translations ?? {}).map(
      ([language, version]) => new LanguageString(pick(version), language),
    ),
  ];
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
 * Where an event happens, as FEP-8a8e `location`s: the venue as a `Place` (with coordinates), and
 * the online room as a `Place` whose `url` is the link (Fedify's vocabulary has no schema.org
 * `VirtualLocation`; Mobilizon and Gancio read a Place's name and url).
 */
function eventLocations(location: EventLocation, language: string | null): Place[] {
  const places: Place[] = [];
  if (location.place) {
    places.push(
      new Place({
        name: location.place.name,
        latitude: location.place.latitude ?? null,
        longitude: location.place.longitude ?? null,
      }),
    );
  }
  if (location.online) {
    places.push(
      new Place({
        name: formatEventPlace({ online: location.online }, language),
        url: new URL(location.online),
      }),
    );
  }
  return places;
}

/**
 * Our item as an `Article`, an `Event` or a `Video` (webcast-object.ts). Mastodon discards `content` of converted types and
 * shows `name`, then `summary`, then a link to `url`; so the summary stands alone (DESIGN.md §4),
 * and an event's summary starts with its date, time, time zone and place.
 */
export function itemToObject(ctx: FedContext, account: Account, item: Item): Article | Event | Video {
  const values = objectValues(ctx, account, item);
  const terms = libraryTerms(item);
  if (item.type === "Video" && item.details?.kind === "webcast") {
    return webcastToVideo(values, item, item.details, terms);
  }
  if (item.type === "Event" && item.details?.kind === "event") {
    return withTerms(
      new LibraryEvent({
        ...values,
        startTime: item.startsAt ? toInstant(item.startsAt) : null,
        endTime: item.endsAt ? toInstant(item.endsAt) : null,
        locations: eventLocations(item.details.location, item.language),
      }),
      terms,
    );
  }
  const extra =
    item.details?.kind === "resource"
      ? resourceAttachments(item.details, item)
      : item.details?.kind === "practice"
        ? practiceAttachments(item.details, item.language)
        : [];
  return withTerms(new LibraryArticle({ ...values, attachments: [...values.attachments, ...extra] }), terms);
}

/** What kind of library content (docs/federation.md): the hub's type facet. */
const CONTENT_KINDS = {
  article: "news",
  event: "event",
  resource: "resource",
  practice: "practice",
  webcast: "webcast",
} as const;

/** Our machine-readable terms for the item (library-terms.ts). */
export function libraryTerms(item: Item): LibraryTerms {
  const terms: LibraryTerms = { contentKind: CONTENT_KINDS[postTypeOf(item)] };
  const details = item.details;
  if (details?.kind === "resource") terms.resourceType = details.resourceType;
  if (details?.kind === "practice") {
    Object.assign(terms, {
      geographicScope: details.scope,
      targetAudience: details.audiences,
      skillLevel: details.skillLevel,
      country: details.countries,
      fundingType: details.fundingType,
      funder: details.funder,
      partner: details.partners,
      periodStart: details.periodStart,
      periodEnd: details.periodEnd,
      reach: details.reach,
      results: details.results,
      contact: details.contact,
    });
  }
  return terms;
}

/** A good practice's metadata as `PropertyValue`s, for people (Misskey and others list them). */
function practiceAttachments(details: PracticeDetails, language: string | null): PropertyValue[] {
  const words = practiceWords(language);
  const rows: [string, string | undefined][] = [
    ["Geographic scope", words.scope[details.scope]],
    ["Countries", details.countries.map((c) => countryName(c, language)).join(", ")],
    ["Target audience", details.audiences.join(", ")],
    ["Skill level", details.skillLevel ? words.skill[details.skillLevel] : undefined],
    [
      "Funding",
      [details.fundingType && words.funding[details.fundingType], details.funder].filter(Boolean).join(": "),
    ],
    ["Partners", details.partners.join(", ")],
    ["Period", formatPeriod(details)],
    ["Participants and reach", details.reach],
    ["Results", details.results],
    ["Contact", details.contact],
  ];
  return rows
    .filter((row): row is [string, string] => Boolean(row[1]))
    .map(([name, value]) => new PropertyValue({ name, value: escapeHtml(value) }));
}

/**
 * A resource's document and facts as attachments: the PDF as a `Document` (a page as a `Link`,
 * which Mastodon skips, keeping the link card), then `PropertyValue`s anyone can read, as in a
 * profile's fields.
 */
function resourceAttachments(details: ResourceDetails, item: Item): (Document | Link | PropertyValue)[] {
  const out: (Document | Link | PropertyValue)[] = [];
  if (details.documentUrl) {
    const pdf = details.documentType === "application/pdf";
    out.push(
      pdf
        ? new Document({ url: new URL(details.documentUrl), mediaType: "application/pdf", name: item.title })
        : new Link({ href: new URL(details.documentUrl), name: item.title }),
    );
  }
  out.push(
    new PropertyValue({
      name: "Type",
      value: escapeHtml(resourceTypeName(details.resourceType, item.language)),
    }),
  );
  if (details.authors.length > 0) {
    out.push(new PropertyValue({ name: "Authors", value: escapeHtml(details.authors.join(", ")) }));
  }
  if (details.year) out.push(new PropertyValue({ name: "Year", value: String(details.year) }));
  return out;
}

function objectValues(ctx: FedContext, account: Account, item: Item) {
  const actorUri = ctx.getActorUri(account.username);
  const origin = new URL(ctx.origin);
  return {
    id: new URL(item.iri),
    attribution: actorUri,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(account.username),
    names: localized(item, (v) => v.title),
    // Plain text: Misskey and others show `summary` as a raw-text content warning.
    summaries: localized(item, (v) => v.summary),
    contents: localized(item, (v) => contentWithTagLinks(origin, v.content, item.tags)),
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
  };
}

/** Serves one of our items as its ActivityPub object, or null when it is not there to serve. */
async function ourObject(ctx: RequestContext<AppContext>, identifier: string, id: string, type: string) {
  const item = await findItemById(ctx.data.db, id);
  if (!item || item.deletedAt || !item.accountId || item.type !== type) return null;
  const account = await findAccount(ctx.data.db, identifier);
  if (!account || account.id !== item.accountId) return null;
  return itemToObject(ctx, account, item);
}

export function registerObjects(federation: Federation<AppContext>): void {
  federation
    .setObjectDispatcher(Article, "/users/{identifier}/articles/{id}", async (ctx, { identifier, id }) => {
      const object = await ourObject(ctx, identifier, id, "Article");
      return object instanceof Article ? object : null;
    })
    .authorize((ctx) => mayFetch(ctx));
  federation
    .setObjectDispatcher(Event, "/users/{identifier}/events/{id}", async (ctx, { identifier, id }) => {
      const object = await ourObject(ctx, identifier, id, "Event");
      return object instanceof Event ? object : null;
    })
    .authorize((ctx) => mayFetch(ctx));
  federation
    .setObjectDispatcher(Video, "/users/{identifier}/videos/{id}", async (ctx, { identifier, id }) => {
      const object = await ourObject(ctx, identifier, id, "Video");
      return object instanceof Video ? object : null;
    })
    .authorize((ctx) => mayFetch(ctx));
}
