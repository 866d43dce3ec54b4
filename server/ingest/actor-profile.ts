import { type Actor, Place, PropertyValue } from "@fedify/vocab";
import { htmlToText } from "./sanitize.ts";
import { httpUrlOrNull } from "./urls.ts";

/** What a hub keeps of a remote actor's profile beyond its identity: consent, place, website. */
export interface ActorProfile {
  summary: string;
  indexable: boolean;
  discoverable: boolean;
  /** ISO 3166-1 alpha-2 (LT), or null when the profile names no country we recognise. */
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
}

/** Field names, lower-cased, as libraries write them in English, Lithuanian and Latvian. */
const COUNTRY_FIELDS = new Set(["country", "šalis", "salis", "valsts", "valstybė", "land", "pays"]);
const CITY_FIELDS = new Set(["city", "miestas", "pilsēta", "pilseta", "town", "location", "vieta"]);
const WEBSITE_FIELDS = new Set([
  "website",
  "web",
  "homepage",
  "site",
  "svetainė",
  "svetaine",
  "tinklalapis",
  "tīmekļa vietne",
  "mājaslapa",
  "mājas lapa",
]);

const MAX_FIELDS = 20;

/** Every region code, with its names in the languages libraries here write, for lookups by name. */
const countryByName: Map<string, string> = (() => {
  const names = new Map<string, string>();
  const displays = ["en", "lt", "lv", "et", "de", "fr", "pl", "fi", "sv"].map(
    (locale) => new Intl.DisplayNames([locale], { type: "region", fallback: "none" }),
  );
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      for (const display of displays) {
        let name: string | undefined;
        try {
          name = display.of(code);
        } catch {
          name = undefined;
        }
        if (name && name !== code) names.set(name.toLowerCase(), code);
      }
    }
  }
  return names;
})();

/** A country written as a name in some language ("Lithuania", "Lietuva", "Latvija") or as a code. */
export function countryCode(text: string): string | null {
  const trimmed = text.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return [...countryByName.values()].includes(code) ? code : null;
  }
  return countryByName.get(trimmed.toLowerCase()) ?? null;
}

/** The first http(s) link in a field's HTML, or its text when that is a URL. */
function linkIn(html: string): string | null {
  const href = /href\s*=\s*["']([^"']+)["']/i.exec(html)?.[1];
  return httpUrlOrNull(href ?? htmlToText(html).trim());
}

const coordinate = (value: number | null, limit: number) =>
  value != null && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;

/**
 * Reads the profile from an actor document (hostile input: sizes bounded, links http(s) only).
 * Consent follows FEP-5feb: a missing `indexable` is false, as the FEP says and Mastodon does;
 * a missing `discoverable` says nothing, so only an explicit false withdraws the actor.
 */
export async function actorProfileOf(actor: Actor): Promise<ActorProfile> {
  const profile: ActorProfile = {
    summary: htmlToText((actor.summary?.toString() ?? "").slice(0, 20_000)).slice(0, 2000),
    indexable: actor.indexable === true,
    discoverable: actor.discoverable !== false,
    country: null,
    city: null,
    latitude: null,
    longitude: null,
    website: null,
  };
  let seen = 0;
  for await (const field of actor.getAttachments({ suppressError: true })) {
    if (++seen > MAX_FIELDS) break;
    if (!(field instanceof PropertyValue) || field.name == null || field.value == null) continue;
    const name = field.name.toString().trim().toLowerCase();
    const value = field.value.toString().slice(0, 5000);
    if (COUNTRY_FIELDS.has(name)) profile.country ??= countryCode(htmlToText(value));
    else if (CITY_FIELDS.has(name)) profile.city ??= htmlToText(value).trim().slice(0, 200) || null;
    else if (WEBSITE_FIELDS.has(name)) profile.website ??= linkIn(value);
  }
  const place = await actor.getLocation({ suppressError: true }).catch(() => null);
  if (place instanceof Place) {
    profile.latitude = coordinate(place.latitude, 90);
    profile.longitude = coordinate(place.longitude, 180);
    if (profile.latitude == null || profile.longitude == null) profile.latitude = profile.longitude = null;
  }
  // A profile link other than the actor's own id is its website (WordPress, Ghost, PeerTube).
  if (profile.website == null) {
    const url = actor.url instanceof URL ? actor.url.href : actor.url?.href?.href;
    const website = httpUrlOrNull(url);
    if (website && website !== actor.id?.href) profile.website = website;
  }
  return profile;
}
